// The image-folder reader (normad/imagedata/ImageFolderReader.h) on small PNG/JPEG folders the test
// writes: class order, labels, pixel layout, scaling, every malformed case, the memory check before
// decoding, and the reader registered in the engine's source-format table.

#include "normad/DatasetTask.h"
#include "normad/imagedata/ImageFolderReader.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdlib>
#include <functional>

using namespace normad;

namespace {

std::string str(const QString& s)
{
    return s.toStdString();
}

/// A grey image: pixel (x, y) = value(x, y).
QImage greyImage(int width, int height, const std::function<int(int, int)>& value)
{
    QImage image(width, height, QImage::Format_Grayscale8);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.scanLine(y)[x] = static_cast<uchar>(value(x, y));
    return image;
}

void writeImage(const QString& path, const QImage& image, const char* format)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QVERIFY2(image.save(path, format, format == QByteArray("jpeg") ? 100 : -1), qPrintable(path));
}

void writeBytes(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

QByteArray readBytes(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

/// Two classes, listed in an order the file system need not keep: "dog" has a PNG and a JPEG in a
/// nested folder, "cat" two PNGs; plus files the reader must ignore.
void writeTwoClassFolder(const QString& root)
{
    writeImage(root + "/dog/b.png", greyImage(4, 4, [](int, int) { return 200; }), "png");
    writeImage(root + "/dog/more/c.jpg", greyImage(8, 8, [](int, int) { return 128; }), "jpeg");
    writeImage(root + "/cat/a.png", greyImage(2, 2, [](int, int) { return 10; }), "png");
    writeImage(root + "/cat/z.PNG", greyImage(2, 2, [](int, int) { return 30; }), "png");
    writeBytes(root + "/cat/notes.txt", "not an image, ignored");
    writeBytes(root + "/cat/.hidden.png", "hidden, ignored");
    writeBytes(root + "/README", "ignored");
}

} // namespace

class TestImageFolder : public QObject {
    Q_OBJECT

private slots:
    void readsClassesInSortedOrder();
    void keepsPixelLayout();
    void scalesToTheGivenSize();
    void convertsColourToGrey();
    void refusesBadFolders_data();
    void refusesBadFolders();
    void checksMemoryBeforeDecoding();
    void readerIsRegistered();
};

void TestImageFolder::readsClassesInSortedOrder()
{
    QTemporaryDir dir;
    writeTwoClassFolder(dir.path());
    ImageFolderOptions options;
    options.width = 2;
    options.height = 2;
    const Dataset data = readImageFolder(str(dir.path()), options);
    QCOMPARE(data.classNames(), (std::vector<std::string>{"cat", "dog"}));
    QCOMPARE(data.sampleCount(), std::size_t(4));
    QVERIFY(data.isImage());
    QCOMPARE(data.imageWidth(), 2);
    QCOMPARE(data.imageHeight(), 2);
    QCOMPARE(data.featureCount(), std::size_t(4));
    // Samples in relative-path order: cat/a.png, cat/z.PNG, dog/b.png, dog/more/c.jpg.
    QCOMPARE(data.labels(), (std::vector<int>{0, 0, 1, 1}));
    QCOMPARE(data.feature(0, 0), 10.0);
    QCOMPARE(data.feature(1, 3), 30.0);
    QCOMPARE(data.feature(2, 2), 200.0);
    // JPEG is lossy even at quality 100; a uniform grey stays within a step or two.
    for (std::size_t j = 0; j < 4; ++j)
        QVERIFY2(std::abs(data.feature(3, j) - 128.0) <= 2.0, qPrintable(QString::number(data.feature(3, j))));
    QCOMPARE(data.origin().format, std::string("image-folder"));
    QCOMPARE(data.classCounts(), (std::vector<std::size_t>{2, 2}));
}

void TestImageFolder::keepsPixelLayout()
{
    // Width 3: QImage pads each line to 4 bytes, which must not leak into the samples.
    QTemporaryDir dir;
    writeImage(dir.path() + "/a/x.png", greyImage(3, 2, [](int x, int y) { return 10 * (3 * y + x) + 5; }), "png");
    writeImage(dir.path() + "/b/y.png", greyImage(3, 2, [](int x, int y) { return 250 - x - y; }), "png");
    ImageFolderOptions options;
    options.width = 3;
    options.height = 2;
    const Dataset data = readImageFolder(str(dir.path()), options);
    const auto first = data.bytesOf(0);
    QCOMPARE(std::vector<std::uint8_t>(first.begin(), first.end()), (std::vector<std::uint8_t>{5, 15, 25, 35, 45, 55}));
    const auto second = data.bytesOf(1);
    QCOMPARE(std::vector<std::uint8_t>(second.begin(), second.end()),
             (std::vector<std::uint8_t>{250, 249, 248, 249, 248, 247}));
}

void TestImageFolder::scalesToTheGivenSize()
{
    // 8 × 8: left half black, right half white, scaled to 2 × 2 → one black and one white column.
    QTemporaryDir dir;
    writeImage(dir.path() + "/a/x.png", greyImage(8, 8, [](int x, int) { return x < 4 ? 0 : 255; }), "png");
    writeImage(dir.path() + "/b/y.png", greyImage(1, 1, [](int, int) { return 77; }), "png");
    ImageFolderOptions options;
    options.width = 2;
    options.height = 2;
    const Dataset data = readImageFolder(str(dir.path()), options);
    const auto halves = data.bytesOf(0);
    QCOMPARE(std::vector<std::uint8_t>(halves.begin(), halves.end()), (std::vector<std::uint8_t>{0, 255, 0, 255}));
    const auto upscaled = data.bytesOf(1);
    QCOMPARE(std::vector<std::uint8_t>(upscaled.begin(), upscaled.end()), (std::vector<std::uint8_t>{77, 77, 77, 77}));
}

void TestImageFolder::convertsColourToGrey()
{
    QTemporaryDir dir;
    QImage white(2, 2, QImage::Format_RGB32);
    white.fill(QColor(255, 255, 255));
    QImage black(2, 2, QImage::Format_RGB32);
    black.fill(QColor(0, 0, 0));
    writeImage(dir.path() + "/black/x.png", black, "png");
    writeImage(dir.path() + "/white/x.bmp", white, "bmp"); // not only PNG/JPEG: every format Qt reads
    ImageFolderOptions options;
    options.width = 2;
    options.height = 2;
    const Dataset data = readImageFolder(str(dir.path()), options);
    QCOMPARE(data.storage(), FeatureStorage::Bytes);
    QCOMPARE(data.feature(0, 0), 0.0);
    QCOMPARE(data.feature(1, 3), 255.0);
}

void TestImageFolder::refusesBadFolders_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("expected"); // substrings of the message; "%1" = the folder
    QTest::newRow("text named .png") << "text" << QStringList{"%1/dog/bad.png", "not a readable image"};
    QTest::newRow("truncated png") << "truncated" << QStringList{"%1/dog/bad.png", "not a readable image"};
    QTest::newRow("empty jpeg") << "empty" << QStringList{"%1/dog/bad.jpg", "not a readable image"};
    QTest::newRow("class without images") << "emptyclass" << QStringList{"%1/dog", "class \"dog\" has no images"};
    QTest::newRow("no class folders") << "noclasses" << QStringList{"%1: no class sub-folders"};
    QTest::newRow("image at the top") << "toplevel" << QStringList{"%1/stray.png", "belongs in the sub-folder"};
    QTest::newRow("missing folder") << "missing" << QStringList{"%1/nothing-here: not a folder"};
    QTest::newRow("zero width") << "zerowidth" << QStringList{"image size 0 × 28 pixels"};
}

void TestImageFolder::refusesBadFolders()
{
    QFETCH(QString, name);
    QFETCH(QStringList, expected);
    QTemporaryDir dir;
    const QString root = dir.path();
    writeImage(root + "/cat/ok.png", greyImage(2, 2, [](int, int) { return 1; }), "png");
    QString path = root;
    ImageFolderOptions options;
    if (name == "text") {
        writeBytes(root + "/dog/bad.png", "this is not a PNG file");
    } else if (name == "truncated") {
        writeImage(root + "/dog/full.png", greyImage(16, 16, [](int x, int y) { return (x * 37 + y * 11) % 256; }),
                   "png");
        const QByteArray full = readBytes(root + "/dog/full.png");
        QFile::remove(root + "/dog/full.png");
        writeBytes(root + "/dog/bad.png", full.left(full.size() / 2));
    } else if (name == "empty") {
        writeBytes(root + "/dog/bad.jpg", {});
    } else if (name == "emptyclass") {
        writeBytes(root + "/dog/readme.txt", "no images here");
    } else if (name == "noclasses") {
        QDir(root + "/cat").removeRecursively();
        writeBytes(root + "/readme.txt", "no classes");
    } else if (name == "toplevel") {
        writeImage(root + "/stray.png", greyImage(2, 2, [](int, int) { return 1; }), "png");
    } else if (name == "missing") {
        path = root + "/nothing-here";
    } else if (name == "zerowidth") {
        options.width = 0;
    }
    try {
        readImageFolder(str(path), options);
        QFAIL("no DatasetError");
    } catch (const DatasetError& error) {
        const QString message = QString::fromStdString(error.what());
        for (const QString& part : expected)
            QVERIFY2(message.contains(part.arg(root)), qPrintable(message + "\n  lacks: " + part.arg(root)));
    }
}

void TestImageFolder::checksMemoryBeforeDecoding()
{
    // A broken image and a limit too small: the limit is reported, so nothing was decoded first.
    QTemporaryDir dir;
    writeImage(dir.path() + "/a/x.png", greyImage(2, 2, [](int, int) { return 1; }), "png");
    writeBytes(dir.path() + "/b/bad.png", "broken");
    ImageFolderOptions options;
    options.width = 100;
    options.height = 100;
    options.maxBytes = 10'000; // two 100 × 100 images need 20 000 bytes and their labels
    try {
        readImageFolder(str(dir.path()), options);
        QFAIL("no DatasetError");
    } catch (const DatasetError& error) {
        const QString message = QString::fromStdString(error.what());
        QVERIFY2(message.contains("The images of " + dir.path()), qPrintable(message));
        QVERIFY2(message.contains("over the limit"), qPrintable(message));
    }
    options.maxBytes = 1'000'000;
    QVERIFY_THROWS_EXCEPTION(DatasetError, readImageFolder(str(dir.path()), options));
}

void TestImageFolder::readerIsRegistered()
{
    // The engine reads an image-folder source through the table once the library registered itself.
    QTemporaryDir dir;
    writeTwoClassFolder(dir.path());
    registerImageFolderReader();
    QVERIFY(std::ranges::count(datasetFormats(), std::string("image-folder")) == 1);
    DatasetSourceSpec source;
    source.format = "image-folder";
    source.imageWidth = 3;
    source.imageHeight = 2;
    const Dataset data = readDatasetSource(source, {str(dir.path())});
    QCOMPARE(data.sampleCount(), std::size_t(4));
    QCOMPARE(data.featureCount(), std::size_t(6));
    QCOMPARE(data.classNames(), (std::vector<std::string>{"cat", "dog"}));
    // Its manifest (the engine's referenceDataFolder) covers exactly the files the reader decodes:
    // not cat/.hidden.png, nor anything in a hidden folder (macOS leaves "._x.png" and ".Trashes").
    QVERIFY(QFileInfo::exists(dir.path() + "/cat/.hidden.png"));
    QVERIFY(QDir(dir.path()).mkpath("dog/.thumbnails"));
    QVERIFY(QFile::copy(dir.path() + "/dog/b.png", dir.path() + "/dog/.thumbnails/b.png"));
    const DataFileReference reference = referenceDataFolder(str(dir.path()), str(dir.path()));
    std::uint64_t size = 0;
    for (const QString file : {"cat/a.png", "cat/z.PNG", "dog/b.png", "dog/more/c.jpg"})
        size += static_cast<std::uint64_t>(QFileInfo(dir.path() + "/" + file).size());
    QCOMPARE(reference.size, size);
    // A hidden file changing does not make the data "changed".
    QFile hidden(dir.path() + "/cat/.hidden.png");
    QVERIFY(hidden.open(QIODevice::Append));
    hidden.write("x");
    hidden.close();
    QCOMPARE(referenceDataFolder(str(dir.path()), str(dir.path())).sha256, reference.sha256);
}

QTEST_GUILESS_MAIN(TestImageFolder)
#include "tst_imagefolder.moc"
