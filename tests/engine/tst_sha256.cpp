// SHA-256 (normad/Sha256.h) on the NIST FIPS 180-4 example vectors, in one piece and in chunks, and
// file fingerprints against coreutils' sha256sum.

#include "normad/IdxReader.h"
#include "normad/Sha256.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <stdexcept>

using namespace normad;

Q_DECLARE_METATYPE(std::string)

class TestSha256 : public QObject {
    Q_OBJECT

private slots:
    void nistVectors_data();
    void nistVectors();
    void files();
};

void TestSha256::nistVectors_data()
{
    QTest::addColumn<std::string>("message");
    QTest::addColumn<std::string>("digest");
    QTest::newRow("empty string") << std::string()
                                  << std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    QTest::newRow("abc") << std::string("abc")
                         << std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    QTest::newRow("448 bits") << std::string("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                              << std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    QTest::newRow("one million a") << std::string(1000000, 'a')
                                   << std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

void TestSha256::nistVectors()
{
    QFETCH(std::string, message);
    QFETCH(std::string, digest);
    QCOMPARE(sha256Hex(message), digest);
    // The same message fed in uneven chunks.
    Sha256 hash;
    std::size_t at = 0;
    for (std::size_t chunk = 1; at < message.size(); chunk = chunk * 3 + 1) {
        const std::size_t n = std::min(chunk, message.size() - at);
        hash.update(message.data() + at, n);
        at += n;
    }
    QCOMPARE(hash.hexDigest(), digest);
}

void TestSha256::files()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("abc.txt").toStdString();
    std::ofstream(path, std::ios::binary) << "abc";
    const FileFingerprint f = fingerprintFile(path);
    QCOMPARE(f.size, std::uint64_t(3));
    QCOMPARE(f.sha256, std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    // sha256sum /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz (5125 bytes).
    const FileFingerprint labels = fingerprintFile(std::string(fashionMnistDirectory) + "/t10k-labels-idx1-ubyte.gz");
    QCOMPARE(labels.size, std::uint64_t(5125));
    QCOMPARE(labels.sha256, std::string("8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"));
    try {
        fingerprintFile(path + ".missing");
        QFAIL("no error");
    } catch (const std::runtime_error& e) {
        QCOMPARE(std::string(e.what()), path + ".missing: cannot open the file (No such file or directory)");
    }
}

QTEST_GUILESS_MAIN(TestSha256)
#include "tst_sha256.moc"
