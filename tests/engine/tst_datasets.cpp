// Dataset sources (normad/Dataset.h, IdxReader.h, CsvTableReader.h): IDX and CSV files the tests write,
// each malformed case refused with a message naming the file, the record or line and the value, and
// the real Fashion-MNIST files of Debian's dataset-fashion-mnist package.

#include "normad/CsvTableReader.h"
#include "normad/Dataset.h"
#include "normad/IdxReader.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <numeric>
#include <string>
#include <vector>

using namespace normad;

Q_DECLARE_METATYPE(std::string)

namespace {

using Bytes = std::vector<std::uint8_t>;

void appendBigEndian(Bytes& out, std::uint32_t v)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(v >> shift));
}

// An IDX file of unsigned bytes: magic 0x0000 08 <dims>, the sizes, then the data.
Bytes idx(const std::vector<std::uint32_t>& dims, const Bytes& data)
{
    Bytes out = {0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
    for (auto d : dims)
        appendBigEndian(out, d);
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

void writeFile(const std::string& path, const Bytes& bytes, bool gzip)
{
    if (gzip) {
        gzFile f = gzopen(path.c_str(), "wb");
        QVERIFY(f);
        QCOMPARE(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
        QCOMPARE(gzclose(f), Z_OK);
    } else {
        std::ofstream out(path, std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        QVERIFY(out.good());
    }
}

void writeText(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
    QVERIFY(out.good());
}

// Three 2 × 3 images (rows 2, columns 3), pixel value 10·image + position; labels 2, 0, 1.
const Bytes threeImages = {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23, 24, 25};
const Bytes threeLabels = {2, 0, 1};

template <typename F> std::string errorOf(F&& f)
{
    try {
        f();
    } catch (const DatasetError& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

class TestDatasets : public QObject {
    Q_OBJECT

private slots:
    void memoryEstimate();
    void idxReads_data();
    void idxReads();
    void idxRefusals_data();
    void idxRefusals();
    void idxBrokenGzip();
    void idxHeaderBeyondTheData();
    void fashionMnistTest();
    void fashionMnistTrain();
    void csvReads_data();
    void csvReads();
    void csvRefusals_data();
    void csvRefusals();

private:
    std::string path(const char* name) const { return m_dir.filePath(name).toStdString(); }
    QTemporaryDir m_dir;
};

void TestDatasets::memoryEstimate()
{
    // 60 000 images of 784 bytes + 4-byte labels.
    QCOMPARE(estimateDatasetBytes(60000, 784, FeatureStorage::Bytes), 60000ULL * 784 + 60000ULL * 4);
    QCOMPARE(estimateDatasetBytes(150, 4, FeatureStorage::Doubles), 150ULL * 4 * 8 + 150ULL * 4);
    // A corrupt header's sizes saturate instead of wrapping below a limit.
    QCOMPARE(estimateDatasetBytes(0xFFFFFFFFULL, 0xFFFFFFFFULL * 0xFFFFULL, FeatureStorage::Doubles), UINT64_MAX);
    QCOMPARE(formatBytes(47280000), std::string("47.3 MB"));
    QCOMPARE(formatBytes(999), std::string("999 bytes"));
    const std::string message = errorOf([] { requireWithinMemoryLimit(2000, 1000, "x.idx"); });
    QCOMPARE(message, std::string("x.idx would take 2.0 kB, over the limit of 1.0 kB"));
    QCOMPARE(errorOf([] { requireWithinMemoryLimit(1000, 1000, "x.idx"); }), std::string("(no error)"));
}

void TestDatasets::idxReads_data()
{
    QTest::addColumn<bool>("gzip");
    QTest::addColumn<int>("classCount");
    QTest::addColumn<int>("expectedClasses");
    QTest::newRow("plain, classes from labels") << false << 0 << 3;
    QTest::newRow("gzip, classes from labels") << true << 0 << 3;
    QTest::newRow("gzip, 5 classes given, 2 empty") << true << 5 << 5;
}

void TestDatasets::idxReads()
{
    QFETCH(bool, gzip);
    QFETCH(int, classCount);
    QFETCH(int, expectedClasses);
    writeFile(path("images"), idx({3, 2, 3}, threeImages), gzip);
    writeFile(path("labels"), idx({3}, threeLabels), gzip);
    IdxReadOptions options;
    options.classCount = classCount;
    options.allowEmptyClasses = classCount > 3;
    const Dataset d = readIdx(path("images"), path("labels"), options);
    QCOMPARE(d.sampleCount(), std::size_t(3));
    QCOMPARE(d.featureCount(), std::size_t(6));
    QCOMPARE(d.imageWidth(), 3);
    QCOMPARE(d.imageHeight(), 2);
    QVERIFY(d.isImage());
    QCOMPARE(d.storage(), FeatureStorage::Bytes);
    QCOMPARE(d.classCount(), expectedClasses);
    QCOMPARE(d.labels(), (std::vector<int>{2, 0, 1}));
    QCOMPARE(d.classNames()[2], std::string("2"));
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 6; ++j)
            QCOMPARE(d.feature(i, j), double(10 * i + j));
    QCOMPARE(d.features(1), (std::vector<double>{10, 11, 12, 13, 14, 15}));
    QCOMPARE(int(d.bytesOf(2)[5]), 25);
    std::vector<std::size_t> counts(static_cast<std::size_t>(expectedClasses), 0);
    counts[0] = counts[1] = counts[2] = 1;
    QCOMPARE(d.classCounts(), counts);
    QCOMPARE(d.memoryBytes(), std::uint64_t(18 + 3 * sizeof(int)));
    QCOMPARE(d.origin().format, std::string("idx"));
    QCOMPARE(d.origin().files, (std::vector<std::string>{path("images"), path("labels")}));
}

void TestDatasets::idxRefusals_data()
{
    QTest::addColumn<Bytes>("images");
    QTest::addColumn<Bytes>("labels");
    QTest::addColumn<int>("classCount");
    QTest::addColumn<qulonglong>("maxBytes");
    QTest::addColumn<std::string>("file");     // which file the message must name
    QTest::addColumn<std::string>("expected"); // a part of the message

    const Bytes good = idx({3, 2, 3}, threeImages), goodLabels = idx({3}, threeLabels);
    const qulonglong unlimited = 1ULL << 40;
    Bytes badMagic = good;
    badMagic[0] = 0x1F;
    QTest::newRow("wrong magic") << badMagic << goodLabels << 0 << unlimited << std::string("images")
                                 << std::string("wrong magic number 0x1F000803: an IDX file starts with two zero "
                                                "bytes");
    Bytes badType = good;
    badType[2] = 0x0D;
    QTest::newRow("float data") << badType << goodLabels << 0 << unlimited << std::string("images")
                                << std::string("data type 0x0D is not supported");
    QTest::newRow("images with 2 dimensions")
        << idx({3, 6}, threeImages) << goodLabels << 0 << unlimited << std::string("images")
        << std::string("2 dimensions, but an IDX images file has 3");
    QTest::newRow("labels with 3 dimensions")
        << good << idx({3, 1, 1}, threeLabels) << 0 << unlimited << std::string("labels")
        << std::string("3 dimensions, but an IDX labels file has 1");
    QTest::newRow("header cut") << Bytes(good.begin(), good.begin() + 10) << goodLabels << 0 << unlimited
                                << std::string("images")
                                << std::string("ends inside the IDX header (size of dimension 2)");
    QTest::newRow("empty file") << Bytes{} << goodLabels << 0 << unlimited << std::string("images")
                                << std::string("ends inside the IDX header (4-byte magic number expected)");
    QTest::newRow("truncated images")
        << Bytes(good.begin(), good.end() - 4) << goodLabels << 0 << unlimited << std::string("images")
        << std::string("truncated: the header announces 3 images, but the data ends in image 2 (counting from 0) after "
                       "14 of 18 data bytes");
    QTest::newRow("truncated labels") << good << Bytes(goodLabels.begin(), goodLabels.end() - 1) << 0 << unlimited
                                      << std::string("labels") << std::string("data ends in label 2");
    Bytes extra = good;
    extra.push_back(7);
    QTest::newRow("extra bytes") << extra << goodLabels << 0 << unlimited << std::string("images")
                                 << std::string("extra bytes after the last of the 3 images");
    QTest::newRow("label count") << good << idx({2}, {2, 0}) << 0 << unlimited << std::string("labels")
                                 << std::string("label count 2 ≠ image count 3");
    QTest::newRow("label out of range") << good << idx({3}, {2, 9, 2}) << 3 << unlimited << std::string("labels")
                                        << std::string("record 1 has label 9, outside the classes 0 … 2");
    QTest::newRow("class with no samples") << good << idx({3}, {2, 0, 2}) << 0 << unlimited << std::string("labels")
                                           << std::string("class 1 has no samples among the 3 labels");
    QTest::newRow("given class with no samples") << good << goodLabels << 4 << unlimited << std::string("labels")
                                                 << std::string("class 3 has no samples among the 3 labels");
    QTest::newRow("over the memory limit")
        << idx({3000000, 2000, 2000}, {}) << idx({3000000}, {}) << 0 << unlimited << std::string("images")
        << std::string("3000000 images of 2000 × 2000 would take 12.0 TB, over the limit of 1.1 TB");
    QTest::newRow("over a small limit") << good << goodLabels << 0 << qulonglong(20) << std::string("images")
                                        << std::string("would take 30 bytes, over the limit of 20 bytes");
}

void TestDatasets::idxRefusals()
{
    QFETCH(Bytes, images);
    QFETCH(Bytes, labels);
    QFETCH(int, classCount);
    QFETCH(qulonglong, maxBytes);
    QFETCH(std::string, file);
    QFETCH(std::string, expected);
    for (bool gzip : {false, true}) {
        writeFile(path("images"), images, gzip);
        writeFile(path("labels"), labels, gzip);
        IdxReadOptions options;
        options.classCount = classCount;
        options.maxBytes = maxBytes;
        const std::string message = errorOf([&] { readIdx(path("images"), path("labels"), options); });
        QVERIFY2(message.find(expected) != std::string::npos, message.c_str());
        QVERIFY2(message.rfind(path(file.c_str()) + ": ", 0) == 0, message.c_str());
    }
}

void TestDatasets::idxBrokenGzip()
{
    // A gzip stream cut short (a partial download): zlib's own diagnosis, with the file named.
    writeFile(path("labels"), idx({3}, threeLabels), false);
    writeFile(path("images.gz"), idx({3, 2, 3}, threeImages), true);
    std::ifstream in(path("images.gz"), std::ios::binary);
    Bytes gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    gz.resize(gz.size() - 12);
    writeFile(path("images.gz"), gz, false);
    const std::string message = errorOf([&] { readIdx(path("images.gz"), path("labels")); });
    QVERIFY2(message.rfind(path("images.gz") + ": ", 0) == 0, message.c_str());
    QVERIFY2(message.find("truncated") != std::string::npos ||
                 message.find("unexpected end of file") != std::string::npos,
             message.c_str());
    // A missing file.
    const std::string missing = errorOf([&] { readIdx(path("nothing.gz"), path("labels")); });
    QCOMPARE(missing, path("nothing.gz") + ": cannot open the file");
}

namespace {

/// Peak resident memory since the last call, kB (/proc/self/clear_refs "5" resets VmHWM to VmRSS).
long long residentPeakSinceLastCallKiB()
{
    long long peak = -1;
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0)
            peak = std::stoll(line.substr(6));
    std::ofstream("/proc/self/clear_refs") << "5";
    return peak;
}

long long residentKiB()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stoll(line.substr(6));
    return -1;
}

} // namespace

void TestDatasets::idxHeaderBeyondTheData()
{
    // A 40-byte file announcing 4 images of 25 000 000 × 1 pixels (100 MB, within every limit): found
    // truncated without filling 100 MB first (fuzz_idx: 150 bytes announcing 480 MB took seconds).
    for (bool gzip : {false, true}) {
        writeFile(path("images"), idx({4, 25'000'000, 1}, Bytes(16, 7)), gzip);
        writeFile(path("labels"), idx({4}, {0, 1, 0, 1}), gzip);
        residentPeakSinceLastCallKiB();
        const long long before = residentKiB();
        const std::string message = errorOf([&] { readIdx(path("images"), path("labels")); });
        const long long peak = residentPeakSinceLastCallKiB();
        QVERIFY2(message.find("truncated: the header announces 4 images, but the data ends in image 0 (counting from "
                              "0) after 16 of 100000000 data bytes") != std::string::npos,
                 message.c_str());
        QVERIFY2(before > 0 && peak > 0, "no VmRSS/VmHWM in /proc/self/status");
        const QString growth = QString("peak %1 kB above %2 kB").arg(peak - before).arg(before);
        QVERIFY2(peak - before < 32 * 1024, qPrintable(growth));
    }
}

void TestDatasets::fashionMnistTest()
{
    // Independent figures, computed with Python's gzip and NumPy from the same files:
    //   x = np.frombuffer(gzip.open('t10k-images-idx3-ubyte.gz').read(), np.uint8, offset=16).reshape(-1, 784)
    //   x[0].sum() == 33456; x.sum(dtype=np.int64) == 573469082; x[9999].sum() == 24390; x[0, 14*28+14] == 110
    //   l = np.frombuffer(gzip.open('t10k-labels-idx1-ubyte.gz').read(), np.uint8, offset=8): l[:10] below,
    //   np.bincount(l) == [1000] * 10
    const std::string dir = fashionMnistDirectory;
    IdxReadOptions options;
    options.classNames = fashionMnistClassNames();
    const Dataset d = readIdx(dir + "/t10k-images-idx3-ubyte.gz", dir + "/t10k-labels-idx1-ubyte.gz", options);
    QCOMPARE(d.sampleCount(), std::size_t(10000));
    QCOMPARE(d.imageWidth(), 28);
    QCOMPARE(d.imageHeight(), 28);
    QCOMPARE(d.classCount(), 10);
    QCOMPARE(d.classNames()[9], std::string("Ankle boot"));
    QCOMPARE(d.classCounts(), std::vector<std::size_t>(10, 1000));
    QCOMPARE(std::vector<int>(d.labels().begin(), d.labels().begin() + 10),
             (std::vector<int>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7}));
    auto imageSum = [&](std::size_t i) {
        const auto b = d.bytesOf(i);
        return std::accumulate(b.begin(), b.end(), 0LL);
    };
    QCOMPARE(imageSum(0), 33456LL);
    QCOMPARE(imageSum(9999), 24390LL);
    QCOMPARE(d.feature(0, 14 * 28 + 14), 110.0);
    long long total = 0;
    for (std::size_t i = 0; i < d.sampleCount(); ++i)
        total += imageSum(i);
    QCOMPARE(total, 573469082LL);
}

void TestDatasets::fashionMnistTrain()
{
    // NumPy: 60000 images, first image's pixel sum 76247, 6000 of each class.
    const std::string dir = fashionMnistDirectory;
    QElapsedTimer timer;
    timer.start();
    const Dataset d = readIdx(dir + "/train-images-idx3-ubyte.gz", dir + "/train-labels-idx1-ubyte.gz");
    qInfo("Fashion-MNIST training file: %lld ms, %s", static_cast<long long>(timer.elapsed()),
          formatBytes(d.memoryBytes()).c_str());
    QCOMPARE(d.sampleCount(), std::size_t(60000));
    QCOMPARE(d.classCounts(), std::vector<std::size_t>(10, 6000));
    const auto b = d.bytesOf(0);
    QCOMPARE(std::accumulate(b.begin(), b.end(), 0LL), 76247LL);
    QCOMPARE(d.memoryBytes(), std::uint64_t(60000) * 784 + 60000 * sizeof(int));
}

void TestDatasets::csvReads_data()
{
    QTest::addColumn<std::string>("text");
    QTest::addColumn<std::string>("labelColumn");
    QTest::addColumn<int>("labelPosition");
    QTest::addColumn<int>("header"); // −1 detect, 0 no, 1 yes
    QTest::addColumn<std::vector<double>>("values");
    QTest::addColumn<std::vector<int>>("labels");
    QTest::addColumn<std::vector<std::string>>("classNames");
    QTest::addColumn<std::vector<std::string>>("featureNames");
    QTest::addColumn<std::string>("labelName");

    QTest::newRow("header, text labels last, sorted classes")
        << std::string("sepal,petal,species\n5.1,1.4,virginica\n4.9,1.3,setosa\n6.0,4.5,versicolor\n") << std::string()
        << -1 << -1 << std::vector<double>{5.1, 1.4, 4.9, 1.3, 6.0, 4.5} << std::vector<int>{2, 0, 1}
        << std::vector<std::string>{"setosa", "versicolor", "virginica"} << std::vector<std::string>{"sepal", "petal"}
        << std::string("species");
    QTest::newRow("no header, text labels")
        << std::string("1,2,cat\n3,4,dog\n") << std::string() << -1 << -1 << std::vector<double>{1, 2, 3, 4}
        << std::vector<int>{0, 1} << std::vector<std::string>{"cat", "dog"}
        << std::vector<std::string>{"column 1", "column 2"} << std::string("column 3");
    QTest::newRow("no header, integer labels 1 to 3")
        << std::string("0.5,3\n1.5,1\n2.5,2\n") << std::string() << -1 << -1 << std::vector<double>{0.5, 1.5, 2.5}
        << std::vector<int>{2, 0, 1} << std::vector<std::string>{"1", "2", "3"} << std::vector<std::string>{"column 1"}
        << std::string("column 2");
    QTest::newRow("column named class in the middle")
        << std::string("a,Class,b\n1,0,2\n3,1,4\n") << std::string() << -1 << -1 << std::vector<double>{1, 2, 3, 4}
        << std::vector<int>{0, 1} << std::vector<std::string>{"0", "1"} << std::vector<std::string>{"a", "b"}
        << std::string("Class");
    QTest::newRow("label column by name")
        << std::string("kind,x,y\nb,1,2\na,3,4\n") << std::string("KIND") << -1 << -1 << std::vector<double>{1, 2, 3, 4}
        << std::vector<int>{1, 0} << std::vector<std::string>{"a", "b"} << std::vector<std::string>{"x", "y"}
        << std::string("kind");
    QTest::newRow("label column by position, header forced off")
        << std::string("7,1,2\n8,3,4\n") << std::string() << 0 << 0 << std::vector<double>{1, 2, 3, 4}
        << std::vector<int>{0, 1} << std::vector<std::string>{"7", "8"}
        << std::vector<std::string>{"column 2", "column 3"} << std::string("column 1");
    QTest::newRow("RFC 4180 quotes, CRLF, BOM, blank line, spaces, +sign")
        << std::string("\xEF\xBB\xBF\"width, cm\",\"say \"\"hi\"\"\",label\r\n 1.5 ,+2e1,\"a,b\"\r\n\r\n-3,4,"
                       "\"line\nbreak\"\r\n")
        << std::string() << -1 << -1 << std::vector<double>{1.5, 20, -3, 4} << std::vector<int>{0, 1}
        << std::vector<std::string>{"a,b", "line\nbreak"} << std::vector<std::string>{"width, cm", "say \"hi\""}
        << std::string("label");
}

void TestDatasets::csvReads()
{
    QFETCH(std::string, text);
    QFETCH(std::string, labelColumn);
    QFETCH(int, labelPosition);
    QFETCH(int, header);
    QFETCH(std::vector<double>, values);
    QFETCH(std::vector<int>, labels);
    QFETCH(std::vector<std::string>, classNames);
    QFETCH(std::vector<std::string>, featureNames);
    QFETCH(std::string, labelName);
    writeText(path("table.csv"), text);
    CsvReadOptions options;
    options.labelColumn = labelColumn;
    options.labelPosition = labelPosition;
    if (header >= 0)
        options.hasHeader = header == 1;
    const Dataset d = readCsvTable(path("table.csv"), options);
    QCOMPARE(d.storage(), FeatureStorage::Doubles);
    QVERIFY(!d.isImage());
    QCOMPARE(d.labels(), labels);
    QCOMPARE(d.classNames(), classNames);
    QCOMPARE(d.featureNames(), featureNames);
    QCOMPARE(d.featureCount(), featureNames.size());
    std::vector<double> read;
    for (std::size_t i = 0; i < d.sampleCount(); ++i)
        for (double v : d.features(i))
            read.push_back(v);
    QCOMPARE(read, values);
    QCOMPARE(d.origin().labelColumn, labelName);
    QCOMPARE(d.origin().format, std::string("csv"));

    // The same table from memory (a built-in example's data) reads the same.
    const Dataset fromText = readCsvText(text, "built-in.csv", options);
    QCOMPARE(fromText.labels(), labels);
    QCOMPARE(fromText.classNames(), classNames);
    QCOMPARE(fromText.featureNames(), featureNames);
    std::vector<double> readFromText;
    for (std::size_t i = 0; i < fromText.sampleCount(); ++i)
        for (double v : fromText.features(i))
            readFromText.push_back(v);
    QCOMPARE(readFromText, values);
}

void TestDatasets::csvRefusals_data()
{
    QTest::addColumn<std::string>("text");
    QTest::addColumn<std::string>("labelColumn");
    QTest::addColumn<qulonglong>("maxBytes");
    QTest::addColumn<std::string>("expected"); // after "<file>, "

    const qulonglong unlimited = 1ULL << 40;
    QTest::newRow("empty file") << std::string() << std::string() << unlimited << std::string(": the file is empty");
    QTest::newRow("blank lines only") << std::string("\n \n") << std::string() << unlimited
                                      << std::string(": the file is empty");
    QTest::newRow("header only") << std::string("a,b,label\n") << std::string() << unlimited
                                 << std::string(": no samples: the file has a header line only");
    QTest::newRow("one column") << std::string("1\n2\n") << std::string() << unlimited
                                << std::string(", line 1: a table needs at least one feature column and a label "
                                               "column");
    QTest::newRow("ragged row") << std::string("a,b,label\n1,2,x\n3,y\n") << std::string() << unlimited
                                << std::string(", line 3: ragged row: 2 cells where line 1 has 3");
    QTest::newRow("non-numeric cell") << std::string("a,b,label\n1,2,x\n3,4.5.6,y\n") << std::string() << unlimited
                                      << std::string(", line 3, column 2 (b): feature value \"4.5.6\" is not a number");
    QTest::newRow("empty feature") << std::string("1,2,x\n3,,y\n") << std::string() << unlimited
                                   << std::string(", line 2, column 2: feature value \"\" is not a number");
    QTest::newRow("NaN feature") << std::string("a,b,label\n1,2,x\n3,nan,y\n") << std::string() << unlimited
                                 << std::string(", line 3, column 2 (b): feature value \"nan\" is NaN");
    QTest::newRow("infinite feature") << std::string("a,b,label\n-inf,2,x\n") << std::string() << unlimited
                                      << std::string(", line 2, column 1 (a): feature value \"-inf\" is not finite");
    QTest::newRow("empty label") << std::string("a,b,label\n1,2,x\n3,4, \n") << std::string() << unlimited
                                 << std::string(", line 3, column 3 (label): empty label");
    QTest::newRow("class with no samples") << std::string("a,label\n1,0\n2,2\n3,0\n") << std::string() << unlimited
                                           << std::string(", column 2 (label): class 1 has no samples "
                                                          "(labels are integers from 0 to 2)");
    QTest::newRow("unknown label column") << std::string("a,b,c\n1,2,3\n") << std::string("species") << unlimited
                                          << std::string(": no column named \"species\" for the labels "
                                                         "(columns: a, b, c)");
    QTest::newRow("unterminated quote") << std::string("a,label\n1,x\n2,\"y\n3,z\n") << std::string() << unlimited
                                        << std::string(", line 3, column 2: a quoted field is never closed");
    QTest::newRow("line numbers after a quoted line break")
        << std::string("\"a\nb\",label\n1,x\n2,y,9\n") << std::string() << unlimited
        << std::string(", line 4: ragged row: 3 cells where line 1 has 2");
    QTest::newRow("table over the limit") << std::string("a,b,label\n1,2,x\n3,4,y\n") << std::string() << qulonglong(30)
                                          << std::string(": 2 rows of 2 features would take 40 bytes, over the limit "
                                                         "of 30 bytes");
    QTest::newRow("file over the limit") << std::string("a,label\n1,x\n") << std::string() << qulonglong(5)
                                         << std::string(": the file would take 12 bytes, over the limit of 5 bytes");
}

void TestDatasets::csvRefusals()
{
    QFETCH(std::string, text);
    QFETCH(std::string, labelColumn);
    QFETCH(qulonglong, maxBytes);
    QFETCH(std::string, expected);
    writeText(path("bad.csv"), text);
    CsvReadOptions options;
    options.labelColumn = labelColumn;
    options.maxBytes = maxBytes;
    const std::string message = errorOf([&] { readCsvTable(path("bad.csv"), options); });
    QVERIFY2(message.rfind(path("bad.csv") + expected, 0) == 0, message.c_str());
    const std::string fromText = errorOf([&] { readCsvText(text, "built-in.csv", options); });
    QVERIFY2(fromText.rfind("built-in.csv" + expected, 0) == 0, fromText.c_str());
}

QTEST_GUILESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
