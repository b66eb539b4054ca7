// Tests of the dataset commands of `normad` (dataset info, …): run as a separate process
// (NORMAD_CLI) on small tables, IDX files and image folders the test writes.

#include "normad/CsvTableReader.h"
#include "normad/DatasetSplit.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <set>

namespace {

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

QByteArray bigEndian32(quint32 v)
{
    const char bytes[] = {char(v >> 24), char((v >> 16) & 0xff), char((v >> 8) & 0xff), char(v & 0xff)};
    return QByteArray(bytes, 4);
}

/// An IDX images file (n images of rows × columns, pixel = value) and its labels file.
void writeIdx(const QString& images, const QString& labels, const std::vector<int>& classOf, int rows, int columns)
{
    QByteArray head("\0\0\x08\x03", 4);
    head += bigEndian32(quint32(classOf.size())) + bigEndian32(quint32(rows)) + bigEndian32(quint32(columns));
    QByteArray pixels;
    for (std::size_t i = 0; i < classOf.size(); ++i)
        pixels += QByteArray(rows * columns, char(10 * classOf[i] + int(i % 7)));
    writeFile(images, head + pixels);
    QByteArray labelHead("\0\0\x08\x01", 4);
    labelHead += bigEndian32(quint32(classOf.size()));
    QByteArray values;
    for (const int c : classOf)
        values += char(c);
    writeFile(labels, labelHead + values);
}

/// 20 rows of a three-class table with text labels in a column named "kind" (not the last one).
QByteArray smallTable()
{
    QByteArray csv = "width,kind,height\n";
    const char* kinds[] = {"oak", "ash", "elm"};
    for (int i = 0; i < 20; ++i)
        csv += QByteArray::number(0.5 * i) + "," + kinds[i % 3] + "," + QByteArray::number(i % 5) + "\n";
    return csv;
}

} // namespace

class TestCliDatasets : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void help();
    void infoTable();
    void infoJsonAndSplitCsv();
    void infoIdxWithTestFiles();
    void infoImageFolder();
    void badSources_data();
    void badSources();

private:
    CliRun run(const QStringList& args);
    QString path(const QString& name) const { return m_dir.filePath(name); }

    QString m_cli;
    QTemporaryDir m_dir;
};

void TestCliDatasets::initTestCase()
{
    m_cli = qEnvironmentVariable("NORMAD_CLI");
    QVERIFY2(!m_cli.isEmpty() && QFileInfo(m_cli).isExecutable(), "NORMAD_CLI must name the normad binary");
    QVERIFY(m_dir.isValid());
    writeFile(path("trees.csv"), smallTable());
}

CliRun TestCliDatasets::run(const QStringList& args)
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.start(m_cli, args);
    CliRun r;
    if (!p.waitForStarted(10000) || !p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void TestCliDatasets::help()
{
    for (const QStringList& args : {QStringList{"help", "dataset", "info"}, QStringList{"dataset", "info", "--help"}}) {
        const CliRun r = run(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith("Usage: normad dataset info SOURCE"), r.out.constData());
        QVERIFY(r.out.contains("--split-csv FILE"));
    }
    const CliRun global = run({"--help"});
    QVERIFY(global.out.contains("  dataset info "));
    // The group word alone names its members.
    for (const QStringList& args : {QStringList{"dataset"}, QStringList{"help", "dataset"}}) {
        const CliRun r = run(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith("normad: 'dataset' needs a subcommand: ") && r.err.contains("info"),
                 r.err.constData());
    }
    const CliRun extra = run({"help", "dataset", "info", "more"});
    QCOMPARE(extra.exitCode, 2);
    QVERIFY2(extra.err.contains("'more'"), extra.err.constData());
}

void TestCliDatasets::infoTable()
{
    const CliRun r = run({"dataset", "info", "trees.csv", "--label", "kind"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("source: trees.csv (csv)\n"), r.out.constData());
    QVERIFY(r.out.contains("samples: 20\n"));
    QVERIFY(r.out.contains("features: 2 (label column: kind)\n"));
    QVERIFY(r.out.contains("classes: 3\n"));
    // Text classes sorted by name: ash (rows 1, 4, …: 7), elm (6), oak (7).
    QVERIFY2(r.out.contains("  0  ash  7 samples\n  1  elm  6 samples\n  2  oak  7 samples\n"), r.out.constData());
    QVERIFY2(r.out.contains("split (validation 15"), r.out.constData());

    // Without --label the last column is the label: five integer classes 0 … 4.
    const CliRun byDefault = run({"dataset", "info", "trees.csv"});
    QVERIFY2(byDefault.exitCode == 2, byDefault.out.constData());
    QVERIFY2(byDefault.err.contains("trees.csv") && byDefault.err.contains("oak"), byDefault.err.constData());
}

void TestCliDatasets::infoJsonAndSplitCsv()
{
    const CliRun r = run({"dataset", "info", "trees.csv", "--label=kind", "--json", "--split-csv", "split.csv"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j["format"].toString(), QString("csv"));
    QCOMPARE(j["samples"].toInt(), 20);
    QCOMPARE(j["features"].toInt(), 2);
    QCOMPARE(j["label_column"].toString(), QString("kind"));
    QCOMPARE(j["feature_names"].toArray().at(1).toString(), QString("height"));
    QCOMPARE(j["classes"].toArray().at(2).toObject()["name"].toString(), QString("oak"));
    QCOMPARE(j["classes"].toArray().at(2).toObject()["samples"].toInt(), 7);
    const QJsonObject split = j["split"].toObject();

    // The split file: every sample once, in the splits the engine makes, with the engine's labels.
    normad::CsvReadOptions options;
    options.labelColumn = "kind";
    const normad::Dataset table = normad::readCsvTable(path("trees.csv").toStdString(), options);
    normad::SplitParams params;
    params.validationFraction = split["validation_fraction"].toDouble();
    params.testFraction = split["test_fraction"].toDouble();
    params.seed = static_cast<std::uint64_t>(split["seed"].toInteger());
    QVERIFY(params.testFraction > 0); // a table gets a held-out test split
    const normad::DatasetSplit expected = normad::stratifiedSplit(table.labels(), table.classCount(), params);

    const QList<QByteArray> lines = readAll(path("split.csv")).split('\n');
    QCOMPARE(lines.first(), QByteArray("file,sample,split,label"));
    std::map<QByteArray, std::vector<std::size_t>> parts;
    std::set<std::size_t> seen;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (lines[i].isEmpty())
            continue;
        const QList<QByteArray> cells = lines[i].split(',');
        QCOMPARE(cells.size(), 4);
        QCOMPARE(cells[0], QByteArray("0"));
        const std::size_t sample = cells[1].toULongLong();
        QVERIFY(seen.insert(sample).second);
        QCOMPARE(cells[3].toInt(), table.label(sample));
        parts[cells[2]].push_back(sample);
    }
    QCOMPARE(seen.size(), std::size_t(20));
    QCOMPARE(parts["train"], expected.train);
    QCOMPARE(parts["validation"], expected.validation);
    QCOMPARE(parts["test"], expected.test);
    QCOMPARE(split["train"].toInt(), int(expected.train.size()));
    QCOMPARE(split["test"].toInt(), int(expected.test.size()));
}

void TestCliDatasets::infoIdxWithTestFiles()
{
    const QString folder = path("idx");
    std::vector<int> train;
    for (int i = 0; i < 30; ++i)
        train.push_back(i % 3);
    writeIdx(folder + "/train-images-idx3-ubyte", folder + "/train-labels-idx1-ubyte", train, 4, 5);
    writeIdx(folder + "/t10k-images-idx3-ubyte", folder + "/t10k-labels-idx1-ubyte", {2, 1, 0, 0}, 4, 5);
    const CliRun r = run({"dataset", "info", folder, "--split-csv", "idx-split.csv"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("samples: 30 (+ 4 in the test files)\n"), r.out.constData());
    QVERIFY(r.out.contains("features: 20 (5 x 4 pixel images"));
    QVERIFY(r.out.contains("  0  0  10 samples\n"));
    QVERIFY2(r.out.contains("test = the test files") && r.out.contains("validation 3, test 4\n"), r.out.constData());
    const QByteArray csv = readAll(path("idx-split.csv"));
    QVERIFY2(csv.contains("\n1,0,test,2\n1,1,test,1\n1,2,test,0\n1,3,test,0\n"), csv.constData());
    QCOMPARE(csv.count("train"), 27);

    // The images file alone finds its labels beside it (no test set then).
    const CliRun file = run({"dataset", "info", folder + "/t10k-images-idx3-ubyte"});
    QVERIFY2(file.exitCode == 0, file.err.constData());
    QVERIFY2(file.out.contains("samples: 4\n"), file.out.constData());
}

void TestCliDatasets::infoImageFolder()
{
    const QString folder = path("images");
    QImage image(6, 3, QImage::Format_Grayscale8);
    image.fill(90);
    for (const QString file : {"round/a.png", "round/b.png", "square/c.jpg"}) {
        QDir().mkpath(QFileInfo(folder + "/" + file).absolutePath());
        QVERIFY(image.save(folder + "/" + file));
    }
    const CliRun r = run({"dataset", "info", folder, "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j["format"].toString(), QString("image-folder"));
    QCOMPARE(j["samples"].toInt(), 3);
    QCOMPARE(j["image_width"].toInt(), 28); // every image is scaled to the default size
    QCOMPARE(j["classes"].toArray().at(0).toObject()["name"].toString(), QString("round"));
    QCOMPARE(j["classes"].toArray().at(1).toObject()["samples"].toInt(), 1);
}

void TestCliDatasets::badSources_data()
{
    QTest::addColumn<QByteArray>("file"); // written to the path below; empty: nothing written
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("messageContains");
    QTest::newRow("missing source") << QByteArray() << "nothing.csv" << QStringList{"nothing.csv", "no such file"};
    QTest::newRow("ragged row") << QByteArray("a,b,label\n1,2,x\n3,y\n") << "ragged.csv"
                                << QStringList{"ragged.csv", "line 3"};
    QTest::newRow("not a number") << QByteArray("a,b,label\n1,2,x\n3,abc,y\n") << "nan.csv"
                                  << QStringList{"nan.csv", "line 3", "abc"};
    QTest::newRow("unknown label column")
        << QByteArray("a,b,label\n1,2,x\n3,4,y\n") << "nolabel.csv" << QStringList{"nolabel.csv", "species"};
    QTest::newRow("IDX without labels") << QByteArray("\0\0\x08\x03", 4) << "lone-images-idx3-ubyte"
                                        << QStringList{"lone-images-idx3-ubyte", "lone-labels-idx1-ubyte"};
    QTest::newRow("empty class folder") << QByteArray() << "emptyclass" << QStringList{"emptyclass", "has no images"};
}

void TestCliDatasets::badSources()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, name);
    QFETCH(QStringList, messageContains);
    if (!file.isEmpty())
        writeFile(path(name), file);
    QStringList args{"dataset", "info", name};
    if (name == "nolabel.csv")
        args << "--label"
             << "species";
    if (name == "emptyclass") {
        QImage image(2, 2, QImage::Format_Grayscale8);
        image.fill(1);
        QVERIFY(QDir().mkpath(path("emptyclass/a")) && QDir().mkpath(path("emptyclass/b")));
        QVERIFY(image.save(path("emptyclass/a/x.png")));
    }
    const CliRun r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.startsWith("normad: ") && r.err.count('\n') == 1, r.err.constData());
    for (const QString& part : messageContains)
        QVERIFY2(r.err.contains(part.toUtf8()), r.err.constData());
}

QTEST_GUILESS_MAIN(TestCliDatasets)
#include "tst_cli_datasets.moc"
