// Tests of the `normad` command line: run as a separate process (NORMAD_CLI), results checked
// against the engine itself.

#include "CliProcess.h"
#include "CommandTable.h"

#include "normad/Exports.h"
#include "normad/Metrics.h"
#include "normad/ProjectIo.h"
#include "normad/RuleRegistry.h"
#include "normad/Simulator.h"
#include "normad/TaskGenerators.h"
#include "normad/TextFormat.h"
#include "normad/Version.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <random>
#include <stdexcept>
#include <tuple>

namespace {

using normad::testcli::CliRun;
using normad::testcli::readAll;
using normad::testcli::writeFile;

/// Lines of a text file written by the CLI; also checks the '\n' convention.
QList<QByteArray> readLines(const QString& path)
{
    const QByteArray text = readAll(path);
    if (text.isEmpty() || text.contains('\r') || !text.endsWith('\n'))
        return {};
    QList<QByteArray> lines = text.split('\n');
    lines.removeLast(); // after the final '\n'
    return lines;
}

/// A number as every file of the program writes it (normad/TextFormat.h).
QByteArray shortest(double v)
{
    return QByteArray::fromStdString(normad::formatShortest(v));
}

/// loadProject, with an exception turned into `error`: an exception escaping into Qt Test would
/// abort the whole run instead of failing one test.
std::optional<normad::Project> load(const QString& file, QByteArray& error)
{
    try {
        return normad::loadProject(file.toStdString());
    } catch (const std::exception& e) {
        error = e.what();
        return std::nullopt;
    }
}

/// The engine's own forward pass of pattern k, with the CLI's recording.
normad::SimulationRecord engineRun(const normad::Project& project, int k)
{
    normad::RecordRequest request;
    request.wholeLayers = {project.network.layerCount()};
    const normad::Simulator sim(project.network, project.simulation);
    return sim.run(project.task.patterns[static_cast<std::size_t>(k)].inputs, request);
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    void help_data();
    void help();
    void version();
    void commandOptionsFromTheTable_data();
    void commandOptionsFromTheTable();
    void exitCodes_data();
    void exitCodes();

    void example_data();
    void example();

    void trainConverges();
    void trainWithEveryRule_data();
    void trainWithEveryRule();
    void trainJsonLines();
    void trainDeterministic();
    void trainInterrupted();
    void trainGuardFails();

    void simulate_data();
    void simulate();

    void exportFiles();
    void trainPlots();
    void simulateMatchesBrian2();
    void importSpikes();

private:
    void makeProjects();
    /// Runs normad in `workDir` (default: the temporary folder) and waits for it.
    CliRun run(const QStringList& args, const QString& workDir = {}, int timeoutMs = 60000);
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QString saveSmall(const QString& name, normad::Project project);

    QString m_cli;
    QTemporaryDir m_dir;
    QString m_single;       // one neuron, 50 inputs, 0.2 s: converges in seconds
    QString m_xor;          // two layers, 4 patterns, weights included
    QString m_xorNoWeights; // the same without weights: drawn from the seed
    QString m_multi;        // 3 layers, 2 outputs, 2 patterns
    QString m_endless;      // never converges (target C > 1): for Ctrl-C
    QString m_runaway;      // weights so large that the runaway guard stops epoch 1
};

QString TestCli::saveSmall(const QString& name, normad::Project project)
{
    const QString file = path(name);
    try {
        normad::saveProject(project, file.toStdString());
    } catch (const std::exception& e) {
        qWarning("cannot save %s: %s", qPrintable(file), e.what());
        return {};
    }
    return file;
}

void TestCli::initTestCase()
{
    m_cli = qEnvironmentVariable("NORMAD_CLI");
    QVERIFY2(!m_cli.isEmpty() && QFileInfo(m_cli).isExecutable(), "NORMAD_CLI must name the normad binary");
    QVERIFY(m_dir.isValid());
    try {
        makeProjects();
    } catch (const std::exception& e) {
        QFAIL(e.what());
    }
    for (const QString& file : {m_single, m_xor, m_xorNoWeights, m_multi, m_endless, m_runaway})
        QVERIFY2(!file.isEmpty(), "a test project could not be saved");
}

void TestCli::makeProjects()
{
    normad::generators::SingleNeuronOptions single;
    single.inputs = 50;
    single.duration = 0.2;
    // The first seed whose 0.2 s target has a few spikes, so training has something to learn
    // (at 10 Hz some seeds draw none) without depending on the generator's exact draws.
    normad::Project singleProject;
    for (std::uint64_t seed = 1; seed <= 100 && singleProject.task.patterns.empty(); ++seed) {
        normad::Project candidate = normad::generators::singleNeuron(seed, single);
        if (candidate.task.patterns.at(0).desired.at(0).size() >= 3)
            singleProject = std::move(candidate);
    }
    if (singleProject.task.patterns.empty())
        throw std::runtime_error("no seed gives the single-neuron test project a target train");
    m_single = saveSmall("single.json", singleProject);

    normad::generators::XorOptions xorOptions;
    xorOptions.groupSize = 10;
    xorOptions.hidden = 10;
    xorOptions.duration = 0.1;
    normad::Project xorProject = normad::generators::xorTask(2, xorOptions);
    m_xor = saveSmall("xor.json", xorProject);
    xorProject.hasWeights = false;
    m_xorNoWeights = saveSmall("xor-noweights.json", xorProject);

    normad::generators::MultilayerOptions multi;
    multi.inputs = 20;
    multi.hidden = {15};
    multi.outputs = 2;
    multi.duration = 0.1;
    multi.patterns = 2;
    multi.teacher = false;
    m_multi = saveSmall("multi.json", normad::generators::multilayer(4, multi));

    normad::Project endless = normad::generators::singleNeuron(5, single);
    endless.training.targetCorrelation = 2.0;
    endless.training.maxEpochs = 1000000;
    m_endless = saveSmall("endless.json", endless);

    normad::Project runaway = xorProject;
    runaway.hasWeights = true;
    for (int l = 1; l <= runaway.network.layerCount(); ++l)
        runaway.network.setWeights(l, Eigen::MatrixXd::Constant(runaway.network.populationSize(l),
                                                                runaway.network.populationSize(l - 1), 5e-8));
    m_runaway = saveSmall("runaway.json", runaway);
}

CliRun TestCli::run(const QStringList& args, const QString& workDir, int timeoutMs)
{
    return normad::testcli::runCli(m_cli, args, workDir.isEmpty() ? m_dir.path() : workDir, timeoutMs);
}

// ---------------------------------------------------------------------------------------------

void TestCli::help_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("mustContain");

    const QStringList global = {"Usage: normad COMMAND", "example", "train", "simulate", "export", "Exit codes", "130"};
    const QStringList train = {"Usage: normad train PROJECT",
                               "--seed N",
                               "--epochs N",
                               "--out DIR",
                               "--json",
                               "--quiet",
                               "--help",
                               "trained.json",
                               "metrics.csv",
                               "output_spikes.csv",
                               "manifest.json",
                               "130"};
    const QStringList simulate = {
        "Usage: normad simulate PROJECT", "--pattern K", "--out DIR",   "spikes.csv", "layer,neuron,time_s",
        "weights_layer{k}.csv",           "desired.csv", "membrane.csv"};
    const QStringList example = {"Usage: normad example xor|multilayer|single", "-o, --output FILE", "--seed N",
                                 "multilayer"};
    QTest::newRow("--help") << QStringList{"--help"} << global;
    QTest::newRow("-h") << QStringList{"-h"} << global;
    QTest::newRow("help") << QStringList{"help"} << global;
    QTest::newRow("help train") << QStringList{"help", "train"} << train;
    QTest::newRow("train --help") << QStringList{"train", "--help"} << train;
    QTest::newRow("help wins over a bad option") << QStringList{"train", "--bogus", "--help"} << train;
    QTest::newRow("simulate --help") << QStringList{"simulate", "--help"} << simulate;
    QTest::newRow("help simulate") << QStringList{"help", "simulate"} << simulate;
    QTest::newRow("example -h") << QStringList{"example", "-h"} << example;
    QTest::newRow("export --help") << QStringList{"export", "--help"}
                                   << QStringList{"Usage: normad export PROJECT",
                                                  "--weights FILE",
                                                  "--spikes FILE",
                                                  "--source WHAT",
                                                  "layer{k}.weight",
                                                  "indices",
                                                  "manifest.json"};
}

void TestCli::help()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, mustContain);
    const CliRun r = run(args);
    QCOMPARE(r.status, QProcess::NormalExit);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    for (const QString& s : mustContain)
        QVERIFY2(r.out.contains(s.toUtf8()), qPrintable("help lacks '" + s + "':\n" + r.out));
}

void TestCli::version()
{
    const CliRun r = run({"--version"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("normad ") + normad::versionString() + "\n");
}

void TestCli::commandOptionsFromTheTable_data()
{
    // One row per command of the CLI's own table, so a new command is covered without editing this test.
    QTest::addColumn<QString>("command");
    for (const normad::cli::Command& c : normad::cli::commands())
        QTest::newRow(std::string(c.name).c_str())
            << QString::fromUtf8(c.name.data(), static_cast<qsizetype>(c.name.size()));
}

void TestCli::commandOptionsFromTheTable()
{
    QFETCH(QString, command);
    using namespace normad::cli;
    const Command* c = findCommand(command.toStdString());
    QVERIFY(c);
    const CommandSpec spec = c->spec();
    QVERIFY(!spec.options.empty());

    // `normad --help` lists the command with its summary.
    const CliRun global = run({"--help"});
    QVERIFY(global.out.contains(QByteArray("  ") + command.toUtf8()));
    QVERIFY(global.out.contains(QByteArray::fromStdString(std::string(c->summary))));

    // A group's member ("dataset info") is two words on the command line.
    const QStringList words = command.split(' ');

    // `normad CMD --help` lists every option of the table: its label and its help on that line.
    const CliRun help = run(words + QStringList{"--help"});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.startsWith("Usage: " + QByteArray::fromStdString(spec.synopsis) + "\n"));
    const QList<QByteArray> lines = help.out.split('\n');
    for (const OptionSpec& o : spec.options) {
        const QByteArray label = QByteArray::fromStdString(optionLabel(o)).trimmed();
        const QByteArray firstWords = QByteArray::fromStdString(std::string(o.help.substr(0, 20)));
        const bool listed = std::any_of(lines.begin(), lines.end(), [&](const QByteArray& line) {
            return line.contains(label + "  ") && line.contains(firstWords);
        });
        QVERIFY2(listed, qPrintable(command + " --help lacks " + label + ":\n" + help.out));
    }
    QVERIFY(help.out.contains("-h, --help"));

    // An unknown option names itself and the command.
    const CliRun unknown = run(words + QStringList{"--no-such-option"});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains("'--no-such-option'") && unknown.err.contains("'" + command.toUtf8() + "'"),
             unknown.err.constData());

    // Each row's argument is checked by the parser, with a message naming the option.
    for (const OptionSpec& o : spec.options) {
        const QString name = QString::fromUtf8(o.name.data(), static_cast<qsizetype>(o.name.size()));
        QStringList args = words;
        QByteArray expected;
        switch (o.kind) {
        case ArgumentKind::None:
            args << name + "=1";
            expected = "takes no value";
            break;
        case ArgumentKind::Text:
            args << name;
            expected = "needs a value " + QByteArray(o.argument.data(), static_cast<qsizetype>(o.argument.size()));
            break;
        case ArgumentKind::Count:
        case ArgumentKind::Seed:
            args << name << "12abc";
            expected = "invalid value '12abc'";
            break;
        }
        const CliRun bad = run(args);
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(name.toUtf8()) && bad.err.contains(expected), bad.err.constData());
        QCOMPARE(bad.err.count('\n'), 1);
    }
}

void TestCli::exitCodes_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("expectedCode");
    QTest::addColumn<QString>("messageContains");

    const QString malformed = path("malformed.json");
    writeFile(malformed, "{ \"formatVersion\": 1, \"name\": ");
    QString invalid = QString::fromUtf8(readAll(m_single));
    invalid.replace(QRegularExpression("\"dt_s\":\\s*[^,}\\n]+"), "\"dt_s\": -1");
    QVERIFY(invalid.contains("\"dt_s\": -1"));
    const QString invalidProject = path("invalid.json");
    writeFile(invalidProject, invalid.toUtf8());

    QTest::newRow("no command") << QStringList{} << 2 << "no command";
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2 << "frobnicate";
    QTest::newRow("unknown global option") << QStringList{"--frob"} << 2 << "--frob";
    QTest::newRow("help of unknown command") << QStringList{"help", "frobnicate"} << 2 << "frobnicate";
    QTest::newRow("missing PROJECT") << QStringList{"train"} << 2 << "PROJECT";
    QTest::newRow("missing project file") << QStringList{"train", path("missing.json")} << 2 << "missing.json";
    QTest::newRow("simulate missing file") << QStringList{"simulate", path("nope.json")} << 2 << "nope.json";
    QTest::newRow("malformed JSON") << QStringList{"train", malformed} << 2 << "malformed.json";
    QTest::newRow("invalid field") << QStringList{"simulate", invalidProject} << 2 << "dt_s";
    QTest::newRow("project is a folder") << QStringList{"train", m_dir.path()} << 2 << "directory";
    QTest::newRow("epochs 12abc") << QStringList{"train", m_single, "--epochs", "12abc"} << 2 << "--epochs";
    QTest::newRow("epochs empty") << QStringList{"train", m_single, "--epochs", ""} << 2 << "--epochs";
    QTest::newRow("epochs -1") << QStringList{"train", m_single, "--epochs", "-1"} << 2 << "--epochs";
    QTest::newRow("epochs +1") << QStringList{"train", m_single, "--epochs=+1"} << 2 << "--epochs";
    QTest::newRow("epochs overflow") << QStringList{"train", m_single, "--epochs", "99999999999"} << 2 << "--epochs";
    QTest::newRow("epochs without value") << QStringList{"train", m_single, "--epochs"} << 2 << "--epochs";
    QTest::newRow("negative seed") << QStringList{"train", m_single, "--seed", "-5"} << 2 << "--seed";
    QTest::newRow("seed overflow") << QStringList{"example", "xor", "--seed", "18446744073709551616"} << 2 << "--seed";
    QTest::newRow("unknown option") << QStringList{"train", m_single, "--bogus"} << 2 << "--bogus";
    QTest::newRow("flag with a value") << QStringList{"train", m_single, "--json=yes"} << 2 << "--json";
    QTest::newRow("extra argument") << QStringList{"simulate", m_single, "extra.json"} << 2 << "extra.json";
    QTest::newRow("pattern out of range") << QStringList{"simulate", m_single, "--pattern", "1"} << 2 << "--pattern";
    QTest::newRow("pattern not a number") << QStringList{"simulate", m_xor, "--pattern", "x"} << 2 << "--pattern";
    QTest::newRow("unknown example") << QStringList{"example", "nonsense"} << 2 << "nonsense";
    QTest::newRow("train: unwritable --out")
        << QStringList{"train", m_single, "--epochs", "1", "--out", "/proc/forbidden"} << 1 << "/proc/forbidden";
    QTest::newRow("simulate: unwritable --out")
        << QStringList{"simulate", m_single, "--out", "/proc/forbidden"} << 1 << "/proc/forbidden";
    QTest::newRow("export: nothing to export") << QStringList{"export", m_xor} << 2 << "nothing to export";
    QTest::newRow("export: unknown weights format")
        << QStringList{"export", m_xor, "--weights", "w.txt"} << 2 << ".txt";
    QTest::newRow("export: unknown spikes format")
        << QStringList{"export", m_xor, "--spikes", "s.json"} << 2 << ".json";
    QTest::newRow("export: unknown source")
        << QStringList{"export", m_xor, "--spikes", "s.csv", "--source", "outputs"} << 2 << "outputs";
    QTest::newRow("export: layer beyond the network")
        << QStringList{"export", m_xor, "--spikes", "s.csv", "--source", "layer3"} << 2 << "layer3";
    QTest::newRow("export: pattern out of range")
        << QStringList{"export", m_xor, "--spikes", "s.csv", "--pattern", "4"} << 2 << "--pattern";
    QTest::newRow("export: --source without --spikes")
        << QStringList{"export", m_xor, "--weights", "w.npz", "--source", "desired"} << 2 << "--spikes";
    QTest::newRow("export: missing project")
        << QStringList{"export", path("nope.json"), "--weights", "w.npz"} << 2 << "nope.json";
    QTest::newRow("export: unwritable") << QStringList{"export", m_xor, "--weights", "/proc/forbidden/w.npz"} << 1
                                        << "/proc/forbidden";
    QTest::newRow("example: unwritable -o")
        << QStringList{"example", "single", "-o", "/proc/forbidden/x.json"} << 1 << "/proc/forbidden";
}

void TestCli::exitCodes()
{
    QFETCH(QStringList, args);
    QFETCH(int, expectedCode);
    QFETCH(QString, messageContains);
    const CliRun r = run(args);
    QCOMPARE(r.status, QProcess::NormalExit);
    QCOMPARE(r.exitCode, expectedCode);
    QVERIFY2(r.out.isEmpty(), r.out.constData());
    // Exactly one line on stderr, starting with "normad: ", naming what was wrong.
    QVERIFY2(r.err.startsWith("normad: "), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(r.err.endsWith('\n'));
    QVERIFY2(r.err.contains(messageContains.toUtf8()), r.err.constData());
}

// ---------------------------------------------------------------------------------------------

void TestCli::example_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("patterns");
    QTest::addColumn<int>("layers");
    QTest::newRow("xor") << "xor" << 4 << 2;
    QTest::newRow("multilayer") << "multilayer" << 1 << 3;
    QTest::newRow("single") << "single" << 1 << 1;
}

void TestCli::example()
{
    QFETCH(QString, kind);
    QFETCH(int, patterns);
    QFETCH(int, layers);
    // Each kind in its own folder: the default file name lands in the current folder.
    const QString folder = path("example-" + kind);
    QVERIFY(QDir().mkpath(folder));

    // Out of the box (default seed 1).
    const CliRun byDefault = run({"example", kind}, folder);
    QVERIFY2(byDefault.exitCode == 0, byDefault.err.constData());
    QVERIFY(QFileInfo::exists(folder + "/" + kind + ".json"));

    const CliRun r = run({"example", kind, "--seed", "4"}, folder);
    QCOMPARE(r.status, QProcess::NormalExit);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    QVERIFY(r.out.startsWith("wrote " + kind.toUtf8() + ".json"));
    const QString file = folder + "/" + kind + ".json";
    QByteArray error;
    const std::optional<normad::Project> loaded = load(file, error);
    QVERIFY2(loaded, error.constData());
    const normad::Project& p = *loaded;
    QCOMPARE(p.seed, std::uint64_t{4});
    QVERIFY(p.hasWeights);
    QCOMPARE(static_cast<int>(p.task.patterns.size()), patterns);
    QCOMPARE(p.network.layerCount(), layers);

    // `-o -` prints the same project (same seed, same bytes) to stdout; -o FILE writes elsewhere.
    const CliRun toStdout = run({"example", kind, "-o", "-", "--seed", "4"}, folder);
    QCOMPARE(toStdout.exitCode, 0);
    QCOMPARE(toStdout.out, readAll(file));
    const CliRun named = run({"example", kind, "--seed=4", "--output", "named.json"}, folder);
    QCOMPARE(named.exitCode, 0);
    QCOMPARE(readAll(folder + "/named.json"), readAll(file));
}

// ---------------------------------------------------------------------------------------------

void TestCli::trainConverges()
{
    const QString out = path("single-trained");
    const CliRun r = run({"train", m_single, "--epochs", "500", "--out", out});
    QCOMPARE(r.status, QProcess::NormalExit);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("stopped: converged"), r.out.constData());
    QVERIFY(r.out.contains("variant: NormAD"));
    QVERIFY(r.out.contains("final evaluation: C min"));

    // One progress line per epoch, numbered 1, 2, …
    int progressLines = 0;
    for (const QByteArray& line : r.out.split('\n')) {
        if (!line.startsWith("epoch "))
            continue;
        ++progressLines;
        const QByteArray number = line.mid(6).trimmed().split('/').first();
        QCOMPARE(number.toInt(), progressLines);
        QVERIFY(line.contains("C min") && line.contains("epochs/s"));
    }
    QVERIFY(progressLines > 1);
    QVERIFY(progressLines < 500);

    const QList<QByteArray> metrics = readLines(out + "/metrics.csv");
    QCOMPARE(metrics.value(0), QByteArray("epoch,mean_correlation,min_correlation,van_rossum,spike_count_error,"
                                          "missing,extra,cost,converged,seconds,c_pattern0,rate_layer1_hz"));
    QCOMPARE(metrics.size(), progressLines + 1);
    QVERIFY(metrics.last().startsWith(QByteArray::number(progressLines) + ","));
    QCOMPARE(metrics.last().split(',').value(8), QByteArray("1")); // the converged epoch
    QCOMPARE(metrics.last().split(',').size(), 12);

    QByteArray error;
    const std::optional<normad::Project> loaded = load(out + "/trained.json", error);
    QVERIFY2(loaded, error.constData());
    const normad::Project& trained = *loaded;
    QVERIFY(trained.hasWeights);
    QCOMPARE(static_cast<int>(trained.history.size()), progressLines);
    QVERIFY(trained.history.back().converged);
    QVERIFY(trained.network.weights(1).cwiseAbs().maxCoeff() > 0); // started from w0 = 0

    // output_spikes.csv is the final forward pass with the trained weights.
    const QList<QByteArray> spikes = readLines(out + "/output_spikes.csv");
    QCOMPARE(spikes.value(0), QByteArray("pattern,neuron,time_s"));
    const normad::SimulationRecord rec = engineRun(trained, 0);
    const normad::StepTrain& actual = rec.layers.back().spikes[0];
    QCOMPARE(spikes.size(), static_cast<qsizetype>(actual.size()) + 1);
    for (std::size_t i = 0; i < actual.size(); ++i)
        QCOMPARE(spikes[static_cast<qsizetype>(i) + 1], "0,0," + shortest(static_cast<double>(actual[i]) * rec.dt));
}

void TestCli::trainWithEveryRule_data()
{
    QTest::addColumn<QString>("rule");
    for (const normad::RuleInfo& rule : normad::learningRules())
        QTest::newRow(rule.key.c_str()) << QString::fromStdString(rule.key);
}

void TestCli::trainWithEveryRule()
{
    // Every registered rule trains from a project file that selects it, with no option of its own;
    // the trained project keeps the rule and its settings, and `reproduce --list` has its row.
    QFETCH(QString, rule);
    QByteArray error;
    std::optional<normad::Project> project = load(m_single, error);
    QVERIFY2(project, error.constData());
    project->training.rule = rule.toStdString();
    const QString file = saveSmall(rule + "-rule.json", *project);
    const QString out = path(rule + "-rule-trained");
    const CliRun r = run({"train", file, "--epochs", "3", "--out", out});
    QCOMPARE(r.status, QProcess::NormalExit);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const std::string name = normad::findRule(rule.toStdString()).name;
    QVERIFY2(r.out.contains(("variant: " + name).c_str()), r.out.constData());
    const std::optional<normad::Project> trained = load(out + "/trained.json", error);
    QVERIFY2(trained, error.constData());
    QCOMPARE(QString::fromStdString(trained->training.rule), rule);
    QCOMPARE(static_cast<int>(trained->history.size()), 3);

    const CliRun list = run({"reproduce", "--list"});
    QCOMPARE(list.exitCode, 0);
    QVERIFY2(QRegularExpression(QStringLiteral("\\b%1\\b").arg(rule)).match(QString::fromUtf8(list.out)).hasMatch(),
             list.out.constData());
}

void TestCli::trainJsonLines()
{
    const QString out = path("xor-json");
    const CliRun r = run({"train", m_xor, "--json", "--epochs", "4", "--out", out});
    QCOMPARE(r.exitCode, 0);
    QList<QByteArray> lines = r.out.split('\n');
    QCOMPARE(lines.last(), QByteArray());
    lines.removeLast();
    QVERIFY(lines.size() >= 2);
    int epochs = 0;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(lines[i], &error);
        QVERIFY2(error.error == QJsonParseError::NoError && doc.isObject(), lines[i].constData());
        const QJsonObject o = doc.object();
        if (i + 1 < lines.size()) {
            QCOMPARE(o.value("type").toString(), QString("epoch"));
            QCOMPARE(o.value("epoch").toInt(), ++epochs);
            QCOMPARE(o.value("pattern_correlation").toArray().size(), 4);
            QCOMPARE(o.value("layer_rates_hz").toArray().size(), 2);
            QVERIFY(o.value("min_correlation").isDouble());
        } else {
            QCOMPARE(o.value("type").toString(), QString("result"));
            QCOMPARE(o.value("epochs").toInt(), epochs);
            const QString reason = o.value("stop_reason").toString();
            QVERIFY2(reason == "max-epochs" || reason == "converged", qPrintable(reason));
            QVERIFY(o.value("final").toObject().contains("mean_correlation"));
            QVERIFY(!o.value("variant").toString().isEmpty());
        }
    }
    QVERIFY(epochs >= 1 && epochs <= 4);
    QCOMPARE(readLines(out + "/metrics.csv").size(), epochs + 1);
    QCOMPARE(readLines(out + "/metrics.csv").first().split(',').size(), 10 + 4 + 2);
}

void TestCli::trainDeterministic()
{
    // The project has no weights: --seed draws them, so the seed reaches the weights too.
    const QStringList common = {"train", m_xorNoWeights, "--epochs", "3", "--quiet"};
    const CliRun a = run(common + QStringList{"--seed", "7", "--out", path("det-a")});
    const CliRun b = run(common + QStringList{"--seed", "7", "--out", path("det-b")});
    const CliRun c = run(common + QStringList{"--seed", "8", "--out", path("det-c")});
    QCOMPARE(a.exitCode, 0);
    QCOMPARE(b.exitCode, 0);
    QCOMPARE(c.exitCode, 0);
    QVERIFY(!a.out.contains("epoch    1/")); // --quiet

    const QByteArray spikesA = readAll(path("det-a/output_spikes.csv"));
    QVERIFY(spikesA.startsWith("pattern,neuron,time_s\n"));
    QCOMPARE(readAll(path("det-b/output_spikes.csv")), spikesA);

    // The history records wall times; everything else must be byte-identical.
    QByteArray error;
    std::optional<normad::Project> pa = load(path("det-a/trained.json"), error);
    std::optional<normad::Project> pb = load(path("det-b/trained.json"), error);
    std::optional<normad::Project> pc = load(path("det-c/trained.json"), error);
    QVERIFY2(pa && pb && pc, error.constData());
    pa->history.clear();
    pb->history.clear();
    QCOMPARE(pa->seed, std::uint64_t{7});
    QVERIFY(pa->hasWeights);
    QCOMPARE(normad::projectToJson(*pa), normad::projectToJson(*pb));
    QVERIFY(pa->network.weights(1) != pc->network.weights(1));
}

void TestCli::trainInterrupted()
{
    const QString out = path("endless-run");
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.start(m_cli, {"train", m_endless, "--out", out});
    QVERIFY(p.waitForStarted(10000));
    // Wait until training is under way (a few progress lines), then press Ctrl-C.
    QByteArray seen;
    QElapsedTimer waiting;
    waiting.start();
    while (seen.count('\n') < 3 && p.state() == QProcess::Running && waiting.elapsed() < 20000) {
        p.waitForReadyRead(10000);
        seen += p.readAllStandardOutput();
    }
    QCOMPARE(p.state(), QProcess::Running);
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(::kill(static_cast<pid_t>(p.processId()), SIGINT), 0);
    QVERIFY(p.waitForFinished(10000));
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed()) + " ms"));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 130);
    seen += p.readAllStandardOutput();
    QVERIFY(seen.contains("stopped: cancelled"));
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.startsWith("normad: interrupted") && err.count('\n') == 1, err.constData());

    // The files are written anyway, consistent with each other.
    const QList<QByteArray> metrics = readLines(out + "/metrics.csv");
    QVERIFY(metrics.size() >= 4);
    QByteArray error;
    const std::optional<normad::Project> trained = load(out + "/trained.json", error);
    QVERIFY2(trained, error.constData());
    QCOMPARE(static_cast<qsizetype>(trained->history.size()), metrics.size() - 1);
    QVERIFY(readAll(out + "/output_spikes.csv").startsWith("pattern,neuron,time_s\n"));
}

void TestCli::trainGuardFails()
{
    const QString out = path("runaway-run");
    const CliRun r = run({"train", m_runaway, "--out", out});
    QCOMPARE(r.status, QProcess::NormalExit);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.startsWith("normad: training stopped (runaway-layer)") && r.err.count('\n') == 1, r.err.constData());
    QVERIFY(r.out.contains("stopped: runaway-layer"));
    // The run is still documented on disk.
    QCOMPARE(readLines(out + "/metrics.csv").size(), 2);
    QByteArray error;
    const std::optional<normad::Project> trained = load(out + "/trained.json", error);
    QVERIFY2(trained, error.constData());
    QCOMPARE(trained->history.size(), std::size_t{1});
}

// ---------------------------------------------------------------------------------------------

void TestCli::simulate_data()
{
    QTest::addColumn<QString>("project");
    QTest::addColumn<int>("pattern");    // −1: no --pattern (default 0)
    QTest::addColumn<bool>("lifSpikes"); // the LIF layers fire (w0 = 0 in `single`)
    QTest::newRow("single, default pattern") << m_single << -1 << false;
    QTest::newRow("xor, pattern 2") << m_xor << 2 << true;
    QTest::newRow("xor without weights, pattern 3") << m_xorNoWeights << 3 << true;
    QTest::newRow("3 layers, 2 outputs, pattern 1") << m_multi << 1 << true;
}

void TestCli::simulate()
{
    QFETCH(QString, project);
    QFETCH(int, pattern);
    QFETCH(bool, lifSpikes);
    const QString out = path(QString("sim-%1-%2").arg(QFileInfo(project).baseName()).arg(pattern));
    QStringList args = {"simulate", project, "--out", out};
    if (pattern >= 0)
        args << "--pattern" << QString::number(pattern);
    const CliRun r = run(args);
    QCOMPARE(r.status, QProcess::NormalExit);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.out.contains("output 0: "));
    const int k = std::max(pattern, 0);

    QByteArray error;
    std::optional<normad::Project> loaded = load(project, error);
    QVERIFY2(loaded, error.constData());
    normad::Project& p = *loaded;
    p.ensureWeights(); // what the CLI does for a project without weights
    const normad::Pattern& pat = p.task.patterns[static_cast<std::size_t>(k)];
    const normad::SimulationRecord rec = engineRun(p, k);
    QCOMPARE(rec.status, normad::SimulationStatus::Completed);
    const int L = p.network.layerCount();

    // spikes.csv: inputs exactly as in the project, every other layer as the engine's own run,
    // sorted by layer, time, neuron.
    std::vector<std::tuple<int, double, int>> expected;
    for (std::size_t i = 0; i < pat.inputs.size(); ++i)
        for (double t : pat.inputs[i])
            expected.emplace_back(0, t, static_cast<int>(i));
    for (int l : normad::layerNumbers(L))
        for (std::size_t i = 0; i < rec.activity(l).spikes.size(); ++i)
            for (std::int64_t n : rec.activity(l).spikes[i])
                expected.emplace_back(l, static_cast<double>(n) * rec.dt, static_cast<int>(i));
    std::sort(expected.begin(), expected.end());
    const QList<QByteArray> spikes = readLines(out + "/spikes.csv");
    QCOMPARE(spikes.value(0), QByteArray("layer,neuron,time_s"));
    QCOMPARE(spikes.size(), static_cast<qsizetype>(expected.size()) + 1);
    // So that the comparison below covers simulated spikes, not only inputs.
    QCOMPARE(std::any_of(expected.begin(), expected.end(), [](const auto& e) { return std::get<0>(e) > 0; }),
             lifSpikes);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& [layer, time, neuron] = expected[i];
        QCOMPARE(spikes[static_cast<qsizetype>(i) + 1],
                 QByteArray::number(layer) + ',' + QByteArray::number(neuron) + ',' + shortest(time));
    }

    // weights_layer{k}.csv: N_k rows × N_{k−1} columns, exact values.
    for (int l = 1; l <= L; ++l) {
        const Eigen::MatrixXd& w = p.network.weights(l);
        const QList<QByteArray> rows = readLines(out + QString("/weights_layer%1.csv").arg(l));
        QCOMPARE(rows.size(), static_cast<qsizetype>(p.network.populationSize(l)));
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QList<QByteArray> cells = rows[i].split(',');
            QCOMPARE(cells.size(), static_cast<qsizetype>(p.network.populationSize(l - 1)));
            for (qsizetype j = 0; j < cells.size(); ++j)
                QCOMPARE(cells[j].toDouble(), w(i, j));
        }
    }
    QVERIFY(!QFile::exists(out + QString("/weights_layer%1.csv").arg(L + 1)));

    // desired.csv: the pattern's desired trains, sorted by time, neuron.
    std::vector<std::pair<double, int>> desired;
    for (std::size_t i = 0; i < pat.desired.size(); ++i)
        for (double t : pat.desired[i])
            desired.emplace_back(t, static_cast<int>(i));
    std::sort(desired.begin(), desired.end());
    const QList<QByteArray> desiredRows = readLines(out + "/desired.csv");
    QCOMPARE(desiredRows.value(0), QByteArray("neuron,time_s"));
    QCOMPARE(desiredRows.size(), static_cast<qsizetype>(desired.size()) + 1);
    for (std::size_t i = 0; i < desired.size(); ++i)
        QCOMPARE(desiredRows[static_cast<qsizetype>(i) + 1],
                 QByteArray::number(desired[i].second) + ',' + shortest(desired[i].first));

    // membrane.csv: one row per step, time then one column per output neuron, the engine's volts.
    const QList<QByteArray> membrane = readLines(out + "/membrane.csv");
    QByteArray header = "time_s";
    for (int i = 0; i < p.network.outputCount(); ++i)
        header += ",v" + QByteArray::number(i);
    QCOMPARE(membrane.value(0), header);
    QCOMPARE(membrane.size(), static_cast<qsizetype>(std::llround(p.simulation.duration / p.simulation.dt)) + 1);
    for (qsizetype n = 1; n < membrane.size(); ++n) {
        const QList<QByteArray> cells = membrane[n].split(',');
        QCOMPARE(cells.size(), static_cast<qsizetype>(p.network.outputCount()) + 1);
        QCOMPARE(cells[0], shortest(static_cast<double>(n - 1) * p.simulation.dt));
        for (int i = 0; i < p.network.outputCount(); ++i)
            QCOMPARE(cells[i + 1].toDouble(), rec.membrane(L, i)->volts[static_cast<std::size_t>(n - 1)]);
    }
}

// ---------------------------------------------------------------------------------------------

/// normad export: the weights and recorded spikes it writes are exactly what the engine holds, with
/// a manifest and a training log beside each file.
void TestCli::exportFiles()
{
    const QString out = path("export");
    QVERIFY(QDir().mkpath(out));
    const CliRun r = run({"export", m_xorNoWeights, "--weights", "w.npz", "--spikes", "hidden.csv", "--source",
                          "layer1", "--pattern", "3"},
                         out);
    QCOMPARE(r.status, QProcess::NormalExit);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.err.isEmpty());
    QVERIFY(r.out.startsWith("wrote: w.npz w.manifest.json w.log.csv hidden.csv"));
    for (const char* f :
         {"w.npz", "w.manifest.json", "w.log.csv", "hidden.csv", "hidden.manifest.json", "hidden.log.csv"})
        QVERIFY2(QFile::exists(QDir(out).filePath(f)), f);

    QByteArray error;
    std::optional<normad::Project> project = load(m_xorNoWeights, error);
    QVERIFY2(project, error.constData());
    project->ensureWeights(); // the CLI draws them from the seed the same way
    try {
        const normad::NpzArchive w = normad::NpzArchive::load(QDir(out).filePath("w.npz").toStdString());
        for (int l = 1; l <= project->network.layerCount(); ++l) {
            const normad::NpyArray* a = w.find("layer" + std::to_string(l) + ".weight");
            QVERIFY(a);
            const Eigen::MatrixXd& m = project->network.weights(l);
            QVERIFY(a->shape() == (std::vector<std::int64_t>{m.rows(), m.cols()}));
            for (Eigen::Index i = 0; i < m.rows(); ++i)
                for (Eigen::Index j = 0; j < m.cols(); ++j)
                    QCOMPARE(a->doubles()[std::size_t(i * m.cols() + j)], m(i, j));
        }
        const normad::SpikeRaster hidden =
            normad::importSpikes(QDir(out).filePath("hidden.csv").toStdString(), project->network.populationSize(1));
        // Recorded spikes are written as their steps' decimal times: compare them as steps.
        const normad::SpikeRaster recorded = normad::spikesOf(*project, normad::SpikeSource::parse("layer1", 3));
        QCOMPARE(hidden.size(), recorded.size());
        const double dt = project->simulation.dt;
        for (std::size_t i = 0; i < hidden.size(); ++i)
            QVERIFY(normad::toSteps(hidden[i], dt) == normad::toSteps(recorded[i], dt));
    } catch (const std::exception& e) {
        QFAIL(e.what());
    }
    const QJsonObject manifest = QJsonDocument::fromJson(readAll(QDir(out).filePath("w.manifest.json"))).object();
    QCOMPARE(manifest["seed"].toInteger(), qint64(project->seed));
    QCOMPARE(manifest["version"].toString(), QString::fromLatin1(normad::versionString()));
}

void TestCli::trainPlots()
{
    // `train --plots DIR`: learning curves plus each pattern's raster and output membrane, as PNG
    // and PDF, with the plotted data as CSV beside them.
    const QString out = path("plots-run"), plots = path("plots");
    const CliRun r = run({"train", m_xor, "--epochs", "3", "--quiet", "--out", out, "--plots", plots});
#ifndef NORMAD_CLI_HAS_PLOTS
    // Built without the GUI: refused up front, clearly, and nothing is trained or written.
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("--plots") && r.err.contains("NORMAD_BUILD_GUI=OFF"), r.err.constData());
    QVERIFY(!QDir(out).exists() && !QDir(plots).exists());
    return;
#endif
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QStringList expected{"learning-curves"};
    for (int k = 0; k < 4; ++k)
        expected << QString("raster-pattern%1").arg(k) << QString("membrane-pattern%1").arg(k);
    for (const QString& stem : expected) {
        QFile png(plots + "/" + stem + ".png");
        QVERIFY2(png.open(QIODevice::ReadOnly), qPrintable(stem));
        QCOMPARE(png.read(8), QByteArray("\x89PNG\r\n\x1a\n", 8));
        QFile pdf(plots + "/" + stem + ".pdf");
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QCOMPARE(pdf.read(5), QByteArray("%PDF-"));
        QVERIFY2(readLines(plots + "/" + stem + ".csv").size() > 2, qPrintable(stem)); // header + data
    }
    // The learning-curve CSV holds exactly the three epochs trained, for the training passes and for
    // the end-of-epoch evaluation that convergence is judged on.
    int trainingRows = 0, evaluatedRows = 0;
    for (const QByteArray& line : readLines(plots + "/learning-curves.csv")) {
        trainingRows += line.startsWith("worst pattern,") ? 1 : 0;
        evaluatedRows += line.startsWith("\"worst, end of epoch\",") || line.startsWith("worst, end of epoch,") ? 1 : 0;
    }
    QCOMPARE(trainingRows, 3);
    QCOMPARE(evaluatedRows, 3);
}

void TestCli::simulateMatchesBrian2()
{
    // An independent simulator: Brian2 (Debian's python3-brian) integrates the same LIF network from
    // the files `normad simulate` writes and must reproduce every output spike step and the membrane
    // potentials. 5 outputs driven hard enough to spike ~40 Hz, so resets and refractoriness count.
    normad::LayerSpec layer;
    layer.size = 5;
    layer.init.mean = 0.45e-9;
    layer.init.stddev = 1e-9;
    normad::Project p;
    p.name = "Brian2 comparison";
    p.seed = 3;
    p.simulation.duration = 0.5;
    p.network = normad::Network(100, {layer});
    std::mt19937_64 rng(17);
    normad::Pattern pattern;
    for (int i = 0; i < 100; ++i) // no spike at t = 0: Brian2 gets every input one step earlier
        pattern.inputs.push_back(normad::generators::poisson(20.0, 0.5, p.simulation.dt, rng, 0.0, p.simulation.dt));
    pattern.desired.assign(5, {});
    p.task.patterns = {pattern};
    p.ensureWeights();
    const QString project = saveSmall("brian2.json", p);
    const QString out = path("brian2-sim");
    const CliRun sim = run({"simulate", project, "--out", out});
    QVERIFY2(sim.exitCode == 0, sim.err.constData());

    QProcess python;
    python.start("/usr/bin/python3",
                 {QString(qgetenv("NORMAD_SOURCE_DIR")) + "/tests/cli/brian2_compare.py", project, out});
    QVERIFY2(python.waitForFinished(180000), "Brian2 did not finish");
    const QByteArray report = python.readAllStandardOutput().trimmed();
    const QByteArray errors = python.readAllStandardError();
    QVERIFY2(python.exitCode() == 0, (report + "\n" + errors.right(2000)).constData());
    const QJsonObject summary = QJsonDocument::fromJson(report.split('\n').last()).object();
    QVERIFY2(summary.value("identical").toBool(), report.constData());
    QVERIFY2(summary.value("reference_spikes").toInt() >= 50, report.constData()); // a meaningful comparison
    QVERIFY2(summary.value("max_membrane_difference_V").toDouble() < 1e-9, report.constData());
}

void TestCli::importSpikes()
{
    // export → import round trip through both formats: the imported trains equal the exported ones.
    for (const QString& ext : {QStringLiteral("csv"), QStringLiteral("npz")}) {
        const QString file = path("inputs0." + ext), copy = path("imported-" + ext + ".json");
        CliRun r = run({"export", m_xor, "--spikes", file, "--source", "inputs", "--pattern", "0"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = run({"import", m_xor, "--spikes", file, "--new", "-o", copy});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const normad::Project before = normad::loadProject(m_xor.toStdString());
        const normad::Project after = normad::loadProject(copy.toStdString());
        QCOMPARE(after.task.patterns.size(), before.task.patterns.size() + 1);
        QVERIFY(after.task.patterns.back().inputs == before.task.patterns[0].inputs);
        QVERIFY(after.task.patterns.back().desired == std::vector<normad::SpikeTrain>(1));
    }
    // A file whose trains do not fit (a spike after the trial) is refused with exit 2, naming the file.
    QFile bad(path("late.csv"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("neuron,time_s\n0,0.01\n0,99.5\n");
    bad.close();
    const CliRun r = run({"import", m_xor, "--spikes", path("late.csv"), "--target", "desired", "-o", path("x.json")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("late.csv") && r.err.contains("99.5"), r.err.constData());
    QVERIFY(!QFile::exists(path("x.json")));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
