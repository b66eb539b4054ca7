// DataFileReference (normad/DataFileReference.h): paths stored relative to the project where
// possible, and a moved, resized or altered file reported with what differs.

#include "normad/DataFileReference.h"
#include "normad/IdxReader.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

using namespace normad;

Q_DECLARE_METATYPE(std::string)

namespace {
void write(const std::string& path, const std::string& text)
{
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
}
} // namespace

class TestDataFiles : public QObject {
    Q_OBJECT

private slots:
    void storedPaths_data();
    void storedPaths();
    void changes();
    void rebased_data();
    void rebased();
};

void TestDataFiles::storedPaths_data()
{
    QTest::addColumn<std::string>("file");
    QTest::addColumn<std::string>("projectDir");
    QTest::addColumn<std::string>("stored"); // "ABS": the absolute path
    QTest::newRow("beside the project") << std::string("p/iris.csv") << std::string("p") << std::string("iris.csv");
    QTest::newRow("in a sub-folder") << std::string("p/data/iris.csv") << std::string("p")
                                     << std::string("data/iris.csv");
    QTest::newRow("one folder up") << std::string("data/iris.csv") << std::string("p")
                                   << std::string("../data/iris.csv");
    QTest::newRow("far away stays absolute") << std::string("iris.csv") << std::string("p/q/r") << std::string("ABS");
}

void TestDataFiles::storedPaths()
{
    QFETCH(std::string, file);
    QFETCH(std::string, projectDir);
    QFETCH(std::string, stored);
    QTemporaryDir dir;
    const std::string root = dir.path().toStdString() + "/";
    write(root + file, "abc");
    std::filesystem::create_directories(root + projectDir);
    const DataFileReference r = referenceDataFile(root + file, root + projectDir);
    const std::string absolute = std::filesystem::weakly_canonical(root + file).generic_string();
    QCOMPARE(r.path, stored == "ABS" ? absolute : stored);
    QCOMPARE(r.size, std::uint64_t(3));
    QCOMPARE(r.sha256, std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    const DataFileCheck c = checkDataFile(r, root + projectDir);
    QVERIFY2(c.status == DataFileCheck::Status::Unchanged, c.message.c_str());
    QVERIFY(c.message.empty());
    QCOMPARE(std::filesystem::weakly_canonical(c.resolvedPath).generic_string(), absolute);
}

void TestDataFiles::changes()
{
    QTemporaryDir dir;
    const std::string project = dir.path().toStdString() + "/p", data = project + "/iris.csv";
    write(data, "a,label\n1,x\n");
    const DataFileReference r = referenceDataFile(data, project);

    write(data, "a,label\n2,x\n"); // same size, other content
    DataFileCheck c = checkDataFile(r, project);
    QVERIFY(c.status == DataFileCheck::Status::ContentChanged);
    QVERIFY2(c.message.find(data + ": the data file has changed: SHA-256 ") == 0, c.message.c_str());
    QVERIFY2(c.message.find("where the project recorded " + r.sha256 + " (same size)") != std::string::npos,
             c.message.c_str());

    write(data, "a,label\n1,x\n3,y\n");
    c = checkDataFile(r, project);
    QVERIFY(c.status == DataFileCheck::Status::SizeChanged);
    QCOMPARE(c.message, data + ": the data file has changed: 16 bytes where the project recorded 12");

    std::filesystem::rename(data, project + "/moved.csv");
    c = checkDataFile(r, project);
    QVERIFY(c.status == DataFileCheck::Status::Missing);
    QCOMPARE(c.message, data + ": the data file is missing (the project refers to \"iris.csv\", 12 bytes)");

    // The installed Fashion-MNIST files are referenced by their absolute paths.
    const std::string labels = std::string(fashionMnistDirectory) + "/t10k-labels-idx1-ubyte.gz";
    const DataFileReference system = referenceDataFile(labels, project);
    QCOMPARE(system.path, labels);
    QVERIFY(checkDataFile(system, project).status == DataFileCheck::Status::Unchanged);
}

void TestDataFiles::rebased_data()
{
    QTest::addColumn<std::string>("from");
    QTest::addColumn<std::string>("to");
    QTest::addColumn<std::string>("stored"); // "ABS": the absolute path
    // The data lives in p/iris.csv; the project moves from p to …
    QTest::newRow("its run folder") << std::string("p") << std::string("p/p-run") << std::string("../iris.csv");
    QTest::newRow("a sub-folder of it") << std::string("p") << std::string("p/a/b") << std::string("ABS");
    QTest::newRow("back from the run folder") << std::string("p/p-run") << std::string("p") << std::string("iris.csv");
    QTest::newRow("the same folder") << std::string("p") << std::string("p") << std::string("iris.csv");
}

void TestDataFiles::rebased()
{
    QFETCH(std::string, from);
    QFETCH(std::string, to);
    QFETCH(std::string, stored);
    QTemporaryDir dir;
    const std::string root = dir.path().toStdString() + "/";
    write(root + "p/iris.csv", "abc");
    std::filesystem::create_directories(root + from);
    std::filesystem::create_directories(root + to);
    const DataFileReference original = referenceDataFile(root + "p/iris.csv", root + from);
    const DataFileReference moved = rebaseDataFile(original, root + from, root + to);
    const std::string absolute = std::filesystem::weakly_canonical(root + "p/iris.csv").generic_string();
    QCOMPARE(moved.path, stored == "ABS" ? absolute : stored);
    QCOMPARE(moved.size, original.size);
    QCOMPARE(moved.sha256, original.sha256);
    const DataFileCheck c = checkDataFile(moved, root + to);
    QVERIFY2(c.status == DataFileCheck::Status::Unchanged, c.message.c_str());
    // An absolute reference stays as it is.
    QCOMPARE(rebaseDataFile(DataFileReference{absolute, 3, original.sha256}, root + from, root + to).path, absolute);
}

QTEST_GUILESS_MAIN(TestDataFiles)
#include "tst_datafiles.moc"
