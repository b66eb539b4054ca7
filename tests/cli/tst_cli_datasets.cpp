// Tests of the dataset commands of `normad` (dataset info, …): run as a separate process
// (NORMAD_CLI) on small tables, IDX files and image folders the test writes.

#include "CliProcess.h"

#include "normad/CsvTableReader.h"
#include "normad/DatasetSplit.h"
#include "normad/ProjectIo.h"

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

using normad::testcli::CliRun;
using normad::testcli::readAll;
using normad::testcli::writeFile;

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

/// `rows` rows of two well separated classes plus one in between: class c's points scatter around
/// (c, 2 − c) by ±0.25 (a fixed pattern, no random generator).
QByteArray clusterTable(int rows)
{
    QByteArray csv = "x,y,label\n";
    const char* names[] = {"low", "mid", "high"};
    for (int i = 0; i < rows; ++i) {
        const int c = i % 3;
        const double dx = 0.25 * ((i * 7) % 5 - 2) / 2.0, dy = 0.25 * ((i * 3) % 5 - 2) / 2.0;
        csv += QByteArray::number(c + dx) + "," + QByteArray::number(2 - c + dy) + "," + names[c] + "\n";
    }
    return csv;
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
    void threeCommands();
    void newOptions();
    void newRefusals_data();
    void newRefusals();
    void evaluateRefusals();
    void preview();
    void exampleIris();

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
    return normad::testcli::runCli(m_cli, args, m_dir.path());
}

void TestCliDatasets::help()
{
    for (const QStringList& args : {QStringList{"help", "dataset", "info"}, QStringList{"dataset", "info", "--help"}}) {
        const CliRun r = run(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith("Usage: normad dataset info PROJECT|SOURCE"), r.out.constData());
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

void TestCliDatasets::threeCommands()
{
    // The promise: a user's table goes from file to trained network in three commands.
    writeFile(path("clusters.csv"), clusterTable(60));
    const CliRun made = run({"dataset", "new", "clusters.csv", "-o", "clusters.json", "--epochs", "40"});
    QVERIFY2(made.exitCode == 0, made.err.constData());
    QVERIFY2(made.out.startsWith("wrote clusters.json: 60 samples, 3 classes, 2 features\n"), made.out.constData());
    QVERIFY(made.out.contains("encoding: receptive-fields (10 inputs)"));
    QVERIFY(made.out.contains("next: normad train clusters.json"));
    const normad::Project project = normad::loadProject(path("clusters.json").toStdString());
    QVERIFY(project.dataset);
    QVERIFY(project.task.patterns.empty());
    QCOMPARE(project.dataset->source.format, std::string("csv"));
    QCOMPARE(project.dataset->source.files.at(0).path, std::string("clusters.csv")); // relative to the project
    QCOMPARE(project.dataset->source.files.at(0).size, std::uint64_t(readAll(path("clusters.csv")).size()));
    QCOMPARE(project.dataset->source.labelColumn, std::string("label"));
    QCOMPARE(project.network.inputCount(), 10);
    QCOMPARE(project.network.populationSize(project.network.layerCount()), 3);
    QCOMPARE(project.training.maxEpochs, 40);
    QVERIFY(project.hasWeights);

    const CliRun trained = run({"train", "clusters.json", "--out", "run", "--json"});
    QVERIFY2(trained.exitCode == 0, trained.err.constData());
    const QList<QByteArray> lines = trained.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 41); // 40 epochs and the result
    double lastValidation = -1;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        const QJsonObject epoch = QJsonDocument::fromJson(lines[i]).object();
        QCOMPARE(epoch["type"].toString(), QString("epoch"));
        QVERIFY2(epoch.contains("train_accuracy") && epoch.contains("validation_accuracy"), lines[i].constData());
        lastValidation = epoch["validation_accuracy"].toDouble();
    }
    // Seeded, so the figures are fixed (0.78, 11 of 12 when written); the bounds catch a network that
    // no longer learns.
    QVERIFY2(lastValidation >= 0.7, qPrintable(QString::number(lastValidation)));
    QVERIFY(QFileInfo::exists(path("run/trained.json")));
    const QList<QByteArray> accuracy = readAll(path("run/accuracy.csv")).trimmed().split('\n');
    QCOMPARE(accuracy.first(), QByteArray("epoch,train_accuracy,validation_accuracy,cost,seconds"));
    QCOMPARE(accuracy.size(), 41);
    // trained.json, one folder down, still finds the data.
    const normad::Project trainedProject = normad::loadProject(path("run/trained.json").toStdString());
    QCOMPARE(trainedProject.dataset->source.files.at(0).path, std::string("../clusters.csv"));

    const CliRun text = run({"train", "clusters.json", "--out", "run-text", "--epochs", "2"});
    QVERIFY2(text.exitCode == 0, text.err.constData());
    QVERIFY2(text.out.contains("accuracy train ") && text.out.contains("  validation "), text.out.constData());

    const CliRun evaluated = run({"evaluate", "run/trained.json", "--out", "eval"});
    QVERIFY2(evaluated.exitCode == 0, evaluated.err.constData());
    QVERIFY2(evaluated.out.startsWith("test accuracy: "), evaluated.out.constData());
    const QList<QByteArray> predictions = readAll(path("eval/predictions.csv")).trimmed().split('\n');
    QCOMPARE(predictions.first(), QByteArray("sample,true,predicted,correct"));
    const qsizetype testSamples = predictions.size() - 1;
    QCOMPARE(testSamples, 12); // 20 % of each class of 20
    qsizetype correct = 0;
    for (qsizetype i = 1; i < predictions.size(); ++i)
        correct += predictions[i].endsWith(",true") || predictions[i].endsWith(",1");
    QVERIFY2(evaluated.out.contains("(" + QByteArray::number(correct) + " of 12 samples"), evaluated.out.constData());
    QVERIFY2(correct >= 10, qPrintable(QString::number(correct)));
    const QList<QByteArray> confusion = readAll(path("eval/confusion.csv")).trimmed().split('\n');
    QCOMPARE(confusion.size(), 4); // header and one row per class
    QVERIFY2(confusion.first().contains("high") && confusion.first().contains("undecided"),
             confusion.first().constData());

    // --json, and the other splits.
    const CliRun json = run({"evaluate", "run/trained.json", "--out", "eval-train", "--split", "train", "--json"});
    QVERIFY2(json.exitCode == 0, json.err.constData());
    const QJsonObject j = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(j["split"].toString(), QString("train"));
    QCOMPARE(j["classes"].toArray().size(), 3);
    QVERIFY(j["accuracy"].toDouble() >= 0.0 && j["accuracy"].toDouble() <= 1.0);

    // The project's own split from dataset info matches what evaluate used.
    const CliRun info = run({"dataset", "info", "clusters.json", "--json"});
    QVERIFY2(info.exitCode == 0, info.err.constData());
    const QJsonObject split = QJsonDocument::fromJson(info.out).object()["split"].toObject();
    QCOMPARE(split["test"].toInt(), 12);
    QCOMPARE(split["train"].toInt(), j["samples"].toInt());
}

void TestCliDatasets::newOptions()
{
    writeFile(path("opts.csv"), clusterTable(30));
    const CliRun r = run({"dataset", "new", "opts.csv", "-o", "opts.json", "--encoding", "poisson", "--hidden", "7,5",
                          "--seed", "3", "--per-class", "4"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const normad::Project p = normad::loadProject(path("opts.json").toStdString());
    QVERIFY(p.dataset->encoding.kind == normad::EncodingKind::Poisson);
    QCOMPARE(p.network.inputCount(), 2);
    QCOMPARE(p.network.layerCount(), 3);
    QCOMPARE(p.network.populationSize(1), 7);
    QCOMPARE(p.network.populationSize(2), 5);
    QCOMPARE(p.seed, std::uint64_t(3));
    QCOMPARE(p.dataset->split.seed, std::uint64_t(3));
    QCOMPARE(p.dataset->split.perClassLimit, 4);
    const CliRun info = run({"dataset", "info", "opts.json"});
    QVERIFY2(info.out.contains("train 12,") && info.out.contains("a class-balanced subset of 4 per class"),
             info.out.constData());

    const CliRun outputOnly = run({"dataset", "new", "opts.csv", "-o", "flat.json", "--hidden", "0"});
    QVERIFY2(outputOnly.exitCode == 0, outputOnly.err.constData());
    QCOMPARE(normad::loadProject(path("flat.json").toStdString()).network.layerCount(), 1);

    // Images: latency coding; the folder is referenced by its manifest.
    QImage image(5, 5, QImage::Format_Grayscale8);
    for (int k = 0; k < 6; ++k) {
        image.fill(k < 3 ? 30 : 220);
        const QString file = path(QString("pics/%1/%2.png").arg(k < 3 ? "dark" : "light").arg(k));
        QDir().mkpath(QFileInfo(file).absolutePath());
        QVERIFY(image.save(file));
    }
    const CliRun pics = run({"dataset", "new", "pics", "-o", "pics.json", "--image-size", "4x3"});
    QVERIFY2(pics.exitCode == 0, pics.err.constData());
    const normad::Project p2 = normad::loadProject(path("pics.json").toStdString());
    QCOMPARE(p2.dataset->source.format, std::string("image-folder"));
    QVERIFY(p2.dataset->encoding.kind == normad::EncodingKind::Latency);
    QCOMPARE(p2.dataset->source.imageWidth, 4);
    QCOMPARE(p2.network.inputCount(), 12);
    QCOMPARE(p2.dataset->source.files.at(0).path, std::string("pics"));
    // The image-folder reader is registered: the project trains.
    const CliRun picsTrained = run({"train", "pics.json", "--epochs", "1", "--out", "pics-run"});
    QVERIFY2(picsTrained.exitCode == 0, picsTrained.err.constData());
}

void TestCliDatasets::newRefusals_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("messageContains");
    QTest::newRow("unknown encoding") << QStringList{"trees.csv", "--label", "kind", "--encoding", "morse"} << "morse";
    QTest::newRow("zero in hidden list") << QStringList{"trees.csv", "--label", "kind", "--hidden", "5,0"} << "5,0";
    QTest::newRow("hidden not a number") << QStringList{"trees.csv", "--label", "kind", "--hidden", "ten"} << "ten";
    QTest::newRow("zero epochs") << QStringList{"trees.csv", "--label", "kind", "--epochs", "0"} << "--epochs";
    QTest::newRow("bad image size") << QStringList{"trees.csv", "--image-size", "28"} << "--image-size";
    QTest::newRow("missing source") << QStringList{"absent.csv"} << "absent.csv";
    QTest::newRow("bad table") << QStringList{"trees.csv"} << "trees.csv";
}

void TestCliDatasets::newRefusals()
{
    QFETCH(QStringList, args);
    QFETCH(QString, messageContains);
    const CliRun r = run(QStringList{"dataset", "new"} + args + QStringList{"-o", "refused.json"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.startsWith("normad: ") && r.err.count('\n') == 1, r.err.constData());
    QVERIFY2(r.err.contains(messageContains.toUtf8()), r.err.constData());
    QVERIFY(!QFileInfo::exists(path("refused.json")));
}

void TestCliDatasets::evaluateRefusals()
{
    writeFile(path("moving.csv"), clusterTable(30));
    QCOMPARE(run({"dataset", "new", "moving.csv", "-o", "moving.json"}).exitCode, 0);
    // The data changed after the project was made: refused, naming the file.
    writeFile(path("moving.csv"), clusterTable(33));
    for (const QString command : {"evaluate", "train"}) {
        const CliRun r = run({command, "moving.json", "--out", "moved-" + command});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("moving.csv") && r.err.contains("task.dataset.source.files[0]"), r.err.constData());
    }
    QVERIFY(QFile::remove(path("moving.csv")));
    const CliRun missing = run({"dataset", "info", "moving.json"});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.contains("moving.csv") && missing.err.contains("missing"), missing.err.constData());

    // A project of inline patterns has no classes to evaluate.
    QCOMPARE(run({"example", "xor", "-o", "xor.json"}).exitCode, 0);
    const CliRun patterns = run({"evaluate", "xor.json"});
    QCOMPARE(patterns.exitCode, 2);
    QVERIFY2(patterns.err.contains("not a dataset project"), patterns.err.constData());
    const CliRun badSplit = run({"evaluate", "xor.json", "--split", "holdout"});
    QCOMPARE(badSplit.exitCode, 2);
    QVERIFY2(badSplit.err.contains("'holdout'") && badSplit.err.contains("--split"), badSplit.err.constData());
}

void TestCliDatasets::preview()
{
    writeFile(path("preview.csv"), clusterTable(30));
    QCOMPARE(run({"dataset", "new", "preview.csv", "-o", "preview.json"}).exitCode, 0);
    const CliRun r = run({"dataset", "preview", "preview.json", "--sample", "2", "--out", "pv"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.startsWith("train sample 2: data sample "), r.out.constData());
    QVERIFY(r.out.contains("encoding receptive-fields: 10 inputs"));
    const QList<QByteArray> inputs = readAll(path("pv/inputs.csv")).trimmed().split('\n');
    QCOMPARE(inputs.first(), QByteArray("neuron,time_s"));
    QVERIFY(inputs.size() > 2);
    for (qsizetype i = 1; i < inputs.size(); ++i) {
        const QList<QByteArray> cells = inputs[i].split(',');
        QVERIFY(cells[0].toInt() >= 0 && cells[0].toInt() < 10);
        QVERIFY(cells[1].toDouble() >= 0 && cells[1].toDouble() <= 0.04 + 1e-12);
    }
    // The target of the class: its neuron at 10, 20 and 30 ms.
    const QByteArray target = readAll(path("pv/target.csv"));
    QCOMPARE(target.count('\n'), 4);
    QVERIFY(target.contains(",0.01\n") && target.contains(",0.03\n"));
    const QList<QByteArray> features = readAll(path("pv/features.csv")).trimmed().split('\n');
    QCOMPARE(features.size(), 3);
    QVERIFY(features[1].startsWith("x,"));
#ifdef NORMAD_CLI_HAS_PLOTS
    QImage raster(path("pv/raster.png"));
    QVERIFY(!raster.isNull() && raster.width() > 100);
#endif
    const CliRun past = run({"dataset", "preview", "preview.json", "--sample", "999"});
    QCOMPARE(past.exitCode, 2);
    QVERIFY2(past.err.contains("'999'") && past.err.contains("--sample"), past.err.constData());
}

void TestCliDatasets::exampleIris()
{
    QVERIFY(QDir().mkpath(path("ex")));
    const CliRun r = run({"example", "iris", "-o", "ex/iris.json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("ex/iris.csv (the example's data)"), r.out.constData());
    // The data written is the file shipped in resources/ (its licence is noted there).
    const QString shipped = qEnvironmentVariable("NORMAD_SOURCE_DIR") + "/resources/datasets/iris.csv";
    QVERIFY(!readAll(shipped).isEmpty());
    QCOMPARE(readAll(path("ex/iris.csv")), readAll(shipped));
    const CliRun info = run({"dataset", "info", "ex/iris.json"});
    QVERIFY2(info.exitCode == 0, info.err.constData());
    QVERIFY2(info.out.contains("samples: 150\n") && info.out.contains("  1  versicolor  50 samples\n"),
             info.out.constData());
    QVERIFY2(info.out.contains("train 96, validation 24, test 30"), info.out.constData());
    // Its data is written beside the project, so it cannot go to stdout alone.
    const CliRun toStdout = run({"example", "iris", "-o", "-"});
    QCOMPARE(toStdout.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestCliDatasets)
#include "tst_cli_datasets.moc"
