#include "normad/AtomicFile.h"
#include "normad/NormadRule.h"
#include "normad/ProjectIo.h"
#include "normad/RuleRegistry.h"
#include "normad/TextFormat.h"
#include "normad/Version.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <random>
#include <string>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace normad;

namespace {

QString sourceDir()
{
    const QString fromEnv = qEnvironmentVariable("NORMAD_SOURCE_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QFileInfo(QStringLiteral(__FILE__)).absoluteDir().absoluteFilePath(QStringLiteral("../.."));
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool writeAll(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

/// Names in `dir` that look like leftovers of an atomic save.
QStringList temporaries(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot).filter(".tmp-");
}

/// Bit-identical, or both NaN (NaN metrics are written as null and read back as quiet NaN).
bool same(double a, double b)
{
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b) || (std::isnan(a) && std::isnan(b));
}

#define COMPARE_D(a, b)                                                                                                \
    QVERIFY2(same((a), (b)),                                                                                           \
             qPrintable(QStringLiteral(#a " = %1, expected %2").arg((a), 0, 'g', 17).arg((b), 0, 'g', 17)))

/// Enumerations compared by their file names (QCOMPARE cannot print plain enums).
#define COMPARE_E(a, b) QCOMPARE(QString::fromStdString(toString(a)), QString::fromStdString(toString(b)))

void compareLif(const LifParams& a, const LifParams& b)
{
    COMPARE_D(a.capacitance, b.capacitance);
    COMPARE_D(a.leakConductance, b.leakConductance);
    COMPARE_D(a.restPotential, b.restPotential);
    COMPARE_D(a.threshold, b.threshold);
    COMPARE_D(a.refractoryPeriod, b.refractoryPeriod);
    QCOMPARE(a.clampAtRest, b.clampAtRest);
}

void compareRaster(const SpikeRaster& a, const SpikeRaster& b)
{
    QCOMPARE(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].size(), b[i].size());
        for (std::size_t k = 0; k < a[i].size(); ++k)
            COMPARE_D(a[i][k], b[i][k]);
    }
}

/// Field-by-field equality of two projects; doubles bit for bit.
void compareProjects(const Project& a, const Project& b)
{
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.description, b.description);
    QCOMPARE(a.seed, b.seed);
    COMPARE_D(a.simulation.dt, b.simulation.dt);
    COMPARE_D(a.simulation.duration, b.simulation.duration);
    COMPARE_E(a.simulation.integrator, b.simulation.integrator);
    COMPARE_E(a.simulation.driveMode, b.simulation.driveMode);

    COMPARE_D(a.network.synapse().tauDecay, b.network.synapse().tauDecay);
    COMPARE_D(a.network.synapse().tauRise, b.network.synapse().tauRise);
    COMPARE_D(a.network.synapse().amplitude, b.network.synapse().amplitude);
    QCOMPARE(a.network.inputCount(), b.network.inputCount());
    QCOMPARE(a.network.layerCount(), b.network.layerCount());
    QCOMPARE(a.hasWeights, b.hasWeights);
    for (int l = 1; l <= a.network.layerCount(); ++l) {
        const LayerSpec& x = a.network.layer(l);
        const LayerSpec& y = b.network.layer(l);
        QCOMPARE(x.size, y.size);
        compareLif(x.neuron, y.neuron);
        if (QTest::currentTestFailed())
            return;
        COMPARE_D(x.learningRate, y.learningRate);
        QCOMPARE(x.trainable, y.trainable);
        COMPARE_E(x.init.kind, y.init.kind);
        COMPARE_D(x.init.mean, y.init.mean);
        COMPARE_D(x.init.stddev, y.init.stddev);
        COMPARE_D(x.init.low, y.init.low);
        COMPARE_D(x.init.high, y.init.high);
        if (a.hasWeights) {
            const Eigen::MatrixXd& wa = a.network.weights(l);
            const Eigen::MatrixXd& wb = b.network.weights(l);
            QCOMPARE(wa.rows(), wb.rows());
            QCOMPARE(wa.cols(), wb.cols());
            for (Eigen::Index i = 0; i < wa.rows(); ++i)
                for (Eigen::Index j = 0; j < wa.cols(); ++j)
                    COMPARE_D(wa(i, j), wb(i, j));
        }
    }

    QCOMPARE(a.task.patterns.size(), b.task.patterns.size());
    for (std::size_t p = 0; p < a.task.patterns.size(); ++p) {
        QCOMPARE(a.task.patterns[p].name, b.task.patterns[p].name);
        compareRaster(a.task.patterns[p].inputs, b.task.patterns[p].inputs);
        compareRaster(a.task.patterns[p].desired, b.task.patterns[p].desired);
        if (QTest::currentTestFailed())
            return;
    }

    const TrainingParams& s = a.training;
    const TrainingParams& t = b.training;
    QCOMPARE(s.rule, t.rule);
    for (const RuleInfo& rule : learningRules())
        QVERIFY2(s.settings(rule.key) == t.settings(rule.key), qPrintable(QString::fromStdString(rule.key)));
    COMPARE_E(s.schedule, t.schedule);
    QCOMPARE(s.shufflePatterns, t.shufflePatterns);
    QCOMPARE(s.rateDecayEvery, t.rateDecayEvery);
    COMPARE_D(s.rateDecayFactor, t.rateDecayFactor);
    QCOMPARE(s.maxEpochs, t.maxEpochs);
    COMPARE_D(s.targetCorrelation, t.targetCorrelation);
    QCOMPARE(s.stagnationEpochs, t.stagnationEpochs);
    QCOMPARE(s.silentEpochs, t.silentEpochs);
    COMPARE_D(s.runawayRate, t.runawayRate);
    COMPARE_E(s.metrics.kernel, t.metrics.kernel);
    COMPARE_D(s.metrics.correlationWidth, t.metrics.correlationWidth);
    COMPARE_D(s.metrics.vanRossumTau, t.metrics.vanRossumTau);
    COMPARE_D(s.metrics.matchTolerance, t.metrics.matchTolerance);

    QCOMPARE(a.history.size(), b.history.size());
    for (std::size_t e = 0; e < a.history.size(); ++e) {
        const EpochMetrics& x = a.history[e];
        const EpochMetrics& y = b.history[e];
        QCOMPARE(x.epoch, y.epoch);
        COMPARE_D(x.meanCorrelation, y.meanCorrelation);
        COMPARE_D(x.minCorrelation, y.minCorrelation);
        COMPARE_D(x.vanRossum, y.vanRossum);
        COMPARE_D(x.spikeCountError, y.spikeCountError);
        QCOMPARE(x.missing, y.missing);
        QCOMPARE(x.extra, y.extra);
        COMPARE_D(x.cost, y.cost);
        QCOMPARE(x.converged, y.converged);
        COMPARE_D(x.seconds, y.seconds);
        QCOMPARE(x.layerRates.size(), y.layerRates.size());
        for (std::size_t k = 0; k < x.layerRates.size(); ++k)
            COMPARE_D(x.layerRates[k], y.layerRates[k]);
        QCOMPARE(x.patterns.size(), y.patterns.size());
        for (std::size_t p = 0; p < x.patterns.size(); ++p) {
            const PatternMetrics& u = x.patterns[p];
            const PatternMetrics& v = y.patterns[p];
            COMPARE_D(u.correlation, v.correlation);
            COMPARE_D(u.minCorrelation, v.minCorrelation);
            COMPARE_D(u.vanRossum, v.vanRossum);
            QCOMPARE(u.outputSpikes, v.outputSpikes);
            QCOMPARE(u.desiredSpikes, v.desiredSpikes);
            QCOMPARE(u.spikeCountError, v.spikeCountError);
            QCOMPARE(u.missing, v.missing);
            QCOMPARE(u.extra, v.extra);
            QCOMPARE(u.errorInstants, v.errorInstants);
            COMPARE_D(u.cost, v.cost);
            QCOMPARE(u.converged, v.converged);
        }
    }
}

/// Weights over the whole double range: subnormals, −0, values without a short decimal form.
double awkwardWeight(std::mt19937_64& rng)
{
    std::uniform_int_distribution<int> pick(0, 9);
    switch (pick(rng)) {
    case 0:
        return -0.0;
    case 1:
        return std::numeric_limits<double>::denorm_min() * static_cast<double>(rng() % 1000 + 1);
    case 2:
        return std::numeric_limits<double>::max() / static_cast<double>(rng() % 7 + 1);
    case 3:
        return 1.0 / 3.0;
    default: {
        std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
        std::uniform_int_distribution<int> exponent(-1000, 1000);
        return std::ldexp(mantissa(rng), exponent(rng));
    }
    }
}

/// A project that differs from the defaults everywhere, with awkward numbers and text.
Project generatedProject()
{
    std::mt19937_64 rng(42);
    Project p;
    p.name = "Tëst \"quoted\" ✓ \\ /";
    p.description = "line one\nline two\ttabbed";
    p.seed = std::numeric_limits<std::uint64_t>::max();
    p.simulation.dt = 5e-5;
    p.simulation.duration = 0.25;
    p.simulation.integrator = Integrator::Heun;
    p.simulation.driveMode = DriveMode::Dense;

    LayerSpec hidden;
    hidden.size = 4;
    hidden.neuron.capacitance = 250e-12;
    hidden.neuron.leakConductance = 25e-9;
    hidden.neuron.restPotential = -65e-3;
    hidden.neuron.threshold = 15e-3;
    hidden.neuron.refractoryPeriod = 0.0;
    hidden.neuron.clampAtRest = true;
    hidden.learningRate = 1.0 / 3.0 * 1e-9;
    hidden.init.kind = WeightInit::Kind::Uniform;
    hidden.init.low = -2e-9;
    hidden.init.high = 3e-9;
    LayerSpec output;
    output.size = 2;
    output.neuron = hidden.neuron;
    output.neuron.threshold = 25e-3; // differs from the first layer: written as an override
    output.trainable = false;
    output.init.kind = WeightInit::Kind::Constant;
    output.init.mean = 0.1e-9;
    p.network = Network(3, {hidden, output}, SynapseParams{4e-3, 1e-3, 2.5});
    for (int l = 1; l <= 2; ++l) {
        Eigen::MatrixXd w(p.network.populationSize(l), p.network.populationSize(l - 1));
        for (Eigen::Index i = 0; i < w.rows(); ++i)
            for (Eigen::Index j = 0; j < w.cols(); ++j)
                w(i, j) = awkwardWeight(rng);
        p.network.setWeights(l, w);
    }
    p.hasWeights = true;

    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int k = 0; k < 3; ++k) {
        Pattern pattern;
        pattern.name = "pattern " + std::to_string(k);
        pattern.inputs.resize(3);
        for (auto& train : pattern.inputs)
            for (double t = unit(rng) * 0.02; t < 0.249; t += 0.001 + unit(rng) * 0.03)
                train.push_back(t);
        pattern.desired.resize(2);
        for (auto& train : pattern.desired)
            for (int step = 10 + k; step < 4900; step += 700 + k * 13)
                train.push_back((step + 0.3 * unit(rng)) * p.simulation.dt);
        p.task.patterns.push_back(pattern);
    }
    p.task.patterns[1].inputs[2].clear(); // a silent input

    TrainingParams& t = p.training;
    t.rule = "resume";
    NormadSettings normad;
    normad.effectiveTimeConstant = 2e-3;
    normad.vdotMode = VdotMode::Constant;
    normad.vdotMin = 0.5;
    normad.vdotConstant = 3.0;
    normad.backpropKernel = BackpropKernel::Membrane;
    normad.epsilonDerivative = kernels::EpsilonDerivative::Discrete;
    normad.normalization = Normalization::Joint;
    t.ruleSettings["normad"] = normad.values();
    t.setSetting("psd", "peakNormalized", false);
    t.schedule = UpdateSchedule::Batch;
    t.shufflePatterns = true;
    t.rateDecayEvery = 3;
    t.rateDecayFactor = 0.7;
    t.setSetting("resume", "nonHebbian", -0.25);
    t.setSetting("resume", "tau_s", 7e-3);
    t.maxEpochs = 1234;
    t.targetCorrelation = 1.5;
    t.stagnationEpochs = 17;
    t.silentEpochs = 0;
    t.runawayRate = 0.0;
    t.metrics.kernel = CorrelationKernel::Exponential;
    t.metrics.correlationWidth = 5e-3;
    t.metrics.vanRossumTau = 3e-3;
    t.metrics.matchTolerance = 0.0;

    for (int e = 1; e <= 3; ++e) {
        EpochMetrics m;
        m.epoch = e;
        for (int k = 0; k < 3; ++k) {
            PatternMetrics pm;
            pm.correlation = unit(rng);
            pm.minCorrelation = pm.correlation / 3;
            pm.vanRossum = unit(rng) * 4;
            pm.outputSpikes = e + k;
            pm.desiredSpikes = 7;
            pm.spikeCountError = 7 - e - k;
            pm.missing = k;
            pm.extra = e;
            pm.errorInstants = 11 * e + k;
            pm.cost = 0.5 * pm.errorInstants;
            pm.converged = k == 2;
            m.patterns.push_back(pm);
        }
        m.summarize();
        m.layerRates = {unit(rng) * 100, unit(rng) * 50};
        m.seconds = unit(rng);
        m.patterns[1].vanRossum = std::numeric_limits<double>::quiet_NaN(); // a diverged measurement
        p.history.push_back(m);
    }
    return p;
}

std::string toStd(const QString& s)
{
    return s.toStdString();
}

} // namespace

class TestProjectIo : public QObject {
    Q_OBJECT

private:
    QString m_examplePath;
    QByteArray m_example;

    /// The example with its weights removed (the layers then draw theirs from `init`).
    QByteArray exampleWithoutWeights()
    {
        Project p = projectFromJson(m_example.toStdString(), "example");
        p.hasWeights = false;
        return QByteArray::fromStdString(projectToJson(p));
    }

private slots:
    void initTestCase()
    {
        m_examplePath = QDir(sourceDir()).absoluteFilePath(QStringLiteral("tests/data/small-project.json"));
        m_example = readAll(m_examplePath);
        QVERIFY2(!m_example.isEmpty(), qPrintable(m_examplePath + " is missing or empty"));
    }

    // --- the documented example -----------------------------------------------------------------

    void docExampleEqualsTestData()
    {
        const QString docPath = QDir(sourceDir()).absoluteFilePath(QStringLiteral("docs/project-format.md"));
        const QByteArray doc = readAll(docPath);
        QVERIFY2(!doc.isEmpty(), qPrintable(docPath + " is missing or empty"));
        const QByteArray marker = "<!-- example: tests/data/small-project.json (tst_projectio keeps them equal) -->";
        const qsizetype at = doc.indexOf(marker);
        QVERIFY2(at >= 0, "the marker before the example is missing from docs/project-format.md");
        const QByteArray fence = "```json\n";
        const qsizetype begin = doc.indexOf(fence, at);
        QVERIFY(begin >= 0);
        const qsizetype end = doc.indexOf("\n```", begin + fence.size());
        QVERIFY(end >= 0);
        const QByteArray block = doc.mid(begin + fence.size(), end - begin - fence.size() + 1);
        QCOMPARE(block, m_example);
    }

    void exampleLoads()
    {
        const Project p = loadProject(toStd(m_examplePath));
        QCOMPARE(p.name, std::string("Two patterns, 2-2-1"));
        QCOMPARE(p.seed, std::uint64_t(7));
        QCOMPARE(p.simulation.dt, 1e-4);
        QCOMPARE(p.simulation.duration, 0.1);
        QCOMPARE(p.network.inputCount(), 2);
        QCOMPARE(p.network.layerCount(), 2);
        QCOMPARE(p.network.populationSize(1), 2);
        QCOMPARE(p.network.outputCount(), 1);
        QVERIFY(p.hasWeights);
        QCOMPARE(p.network.weights(1)(1, 0), -3e-9); // row = postsynaptic neuron
        QCOMPARE(p.network.weights(2)(0, 1), 9e-9);
        // network.neuron applies to every layer; layers[1] overrides one field.
        QCOMPARE(p.network.layer(1).neuron.refractoryPeriod, 3e-3);
        QCOMPARE(p.network.layer(2).neuron.refractoryPeriod, 2e-3);
        QCOMPARE(p.network.layer(2).neuron.threshold, 20e-3);
        COMPARE_E(p.network.layer(2).init.kind, WeightInit::Kind::Uniform);
        QCOMPARE(p.task.patterns.size(), std::size_t(2));
        QCOMPARE(p.task.patterns[1].name, std::string("B"));
        QCOMPARE(p.task.patterns[0].inputs[0], (SpikeTrain{0.005, 0.012, 0.031, 0.064}));
        QCOMPARE(p.task.patterns[0].desired[0], (SpikeTrain{0.025, 0.07}));
        QCOMPARE(p.training.maxEpochs, 200);
        QCOMPARE(p.history.size(), std::size_t(1));
        QCOMPARE(p.history[0].patterns.size(), std::size_t(2));
        QCOMPARE(p.history[0].patterns[1].errorInstants, 1);
        p.validate();
    }

    /// The example is in the writer's canonical form (apart from the program version it names).
    void exampleIsCanonical()
    {
        const Project p = projectFromJson(m_example.toStdString(), "example");
        auto withoutGenerator = [](QByteArray text) {
            const qsizetype at = text.indexOf("\"generator\"");
            return at < 0 ? text : text.remove(at, text.indexOf('\n', at) - at);
        };
        QCOMPARE(withoutGenerator(QByteArray::fromStdString(projectToJson(p))), withoutGenerator(m_example));
    }

    // --- round trips ----------------------------------------------------------------------------

    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("example") << m_example;
        QTest::newRow("generated") << QByteArray::fromStdString(projectToJson(generatedProject()));
        QTest::newRow("without weights") << exampleWithoutWeights();
    }

    void roundTrip()
    {
        QFETCH(QByteArray, text);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string first = dir.filePath("first.json").toStdString();
        const std::string second = dir.filePath("second.json").toStdString();

        const Project original = projectFromJson(text.toStdString(), "text");
        saveProject(original, first);
        const Project loaded = loadProject(first);
        compareProjects(loaded, original);
        if (QTest::currentTestFailed())
            return;
        saveProject(loaded, second);
        QCOMPARE(readAll(QString::fromStdString(second)), readAll(QString::fromStdString(first)));
        QCOMPARE(readAll(QString::fromStdString(first)), QByteArray::fromStdString(projectToJson(original)));
    }

    void generatedRoundTripIsExact()
    {
        const Project original = generatedProject();
        const Project loaded = projectFromJson(projectToJson(original), "generated");
        compareProjects(loaded, original);
        // The awkward values really are in there.
        bool negativeZero = false, subnormal = false;
        for (int l = 1; l <= original.network.layerCount(); ++l)
            for (double w : original.network.weights(l).reshaped()) {
                negativeZero = negativeZero || (w == 0 && std::signbit(w));
                subnormal = subnormal || std::fpclassify(w) == FP_SUBNORMAL;
            }
        QVERIFY(negativeZero);
        QVERIFY(subnormal);
        QVERIFY(std::isnan(loaded.history[0].patterns[1].vanRossum));
        QCOMPARE(loaded.seed, std::numeric_limits<std::uint64_t>::max());
    }

    void numbersRoundTripBitExactly_data()
    {
        QTest::addColumn<double>("value");
        QTest::newRow("1e-4") << 1e-4;
        QTest::newRow("0.1") << 0.1;
        QTest::newRow("1/3") << 1.0 / 3.0;
        QTest::newRow("-0") << -0.0;
        QTest::newRow("smallest subnormal") << std::numeric_limits<double>::denorm_min();
        QTest::newRow("smallest normal") << std::numeric_limits<double>::min();
        QTest::newRow("largest") << std::numeric_limits<double>::max();
        QTest::newRow("-largest") << -std::numeric_limits<double>::max();
        QTest::newRow("1 + ulp") << std::nextafter(1.0, 2.0);
        QTest::newRow("2^53 + 2") << 9007199254740994.0;
        QTest::newRow("3.3e-9") << 3.3e-9;
    }

    void numbersRoundTripBitExactly()
    {
        QFETCH(double, value);
        Project p = projectFromJson(m_example.toStdString(), "example");
        Eigen::MatrixXd w = p.network.weights(1);
        w(0, 1) = value;
        p.network.setWeights(1, w);
        const Project loaded = projectFromJson(projectToJson(p), "text");
        const double back = loaded.network.weights(1)(0, 1);
        QVERIFY2(same(back, value), qPrintable(QString::number(back, 'g', 17)));
        QVERIFY(!std::isnan(back));
    }

    void numbersAreWrittenShortest()
    {
        const std::string text = projectToJson(projectFromJson(m_example.toStdString(), "example"));
        QVERIFY(text.find("\"dt_s\": 1e-4,") != std::string::npos);
        QVERIFY(text.find("\"capacitance_F\": 3e-10,") != std::string::npos);
    }

    /// A file written by the version-1 program (ReSuMe selected, NormAD and ReSuMe settings away from
    /// their defaults, made from the example) opens with the same values through the migration.
    void versionOneFileMigrates()
    {
        const QString path = QDir(sourceDir()).absoluteFilePath(QStringLiteral("tests/data/project-v1.json"));
        QVERIFY(readAll(path).contains("\"formatVersion\": 1,"));
        const Project p = loadProject(toStd(path));
        QCOMPARE(p.name, std::string("Version 1 file with ReSuMe selected"));
        QCOMPARE(p.training.rule, std::string("resume"));
        const FieldValues resume = p.training.settings("resume");
        QCOMPARE(realValue(resume, "nonHebbian"), 0.05);
        QCOMPARE(realValue(resume, "tau_s"), 8e-3);
        const NormadSettings normad = NormadSettings::from(p.training);
        QCOMPARE(normad.effectiveTimeConstant, 2e-3);
        COMPARE_E(normad.vdotMode, VdotMode::Constant);
        QCOMPARE(normad.vdotMin, 1.0);
        QCOMPARE(normad.vdotConstant, 3.0);
        COMPARE_E(normad.backpropKernel, BackpropKernel::Effective);
        COMPARE_E(normad.epsilonDerivative, kernels::EpsilonDerivative::Discrete);
        COMPARE_E(normad.normalization, Normalization::Joint);
        QCOMPARE(p.training.rateDecayEvery, 4);
        QVERIFY(p.training.settings("psd") == defaults(findRule("psd").parameters)); // a rule v1 did not know

        // Everything else is the example's.
        Project expected = loadProject(toStd(m_examplePath));
        expected.name = p.name;
        expected.training.rule = "resume";
        expected.training.ruleSettings = p.training.ruleSettings;
        expected.training.rateDecayEvery = 4;
        compareProjects(p, expected);

        // Saved again it is a file of the current version with the same values.
        const std::string text = projectToJson(p);
        QVERIFY(text.find("\"formatVersion\": 3,") != std::string::npos);
        QVERIFY(text.find("resumeTau_s") == std::string::npos);
        compareProjects(projectFromJson(text, "resaved"), p);
    }

    /// A file of version 2 (the example as version 2 wrote it) opens unchanged: a version-3 file
    /// without a dataset.
    void versionTwoFileOpens()
    {
        const QString path = QDir(sourceDir()).absoluteFilePath(QStringLiteral("tests/data/project-v2.json"));
        const QByteArray text = readAll(path);
        QVERIFY(text.contains("\"formatVersion\": 2,"));
        QVERIFY(!text.contains("batchSize"));
        const Project p = loadProject(toStd(path));
        QVERIFY(!p.dataset);
        compareProjects(p, loadProject(toStd(m_examplePath)));
    }

    /// A dataset task (format 3) is written and read back with every setting; its history keeps the
    /// accuracies.
    void datasetTaskRoundTrip()
    {
        Project p = loadProject(toStd(m_examplePath));
        p.task.patterns.clear();
        DatasetTaskSpec d;
        d.source.format = "idx";
        d.source.files = {{"data/train-images.gz", 123, std::string(64, 'a')},
                          {"/abs/labels", 45, std::string(64, 'b')}};
        d.source.testFiles = {{"t-images", 6, std::string(64, 'c')}, {"t-labels", 7, std::string(64, 'd')}};
        d.source.classNames = {"first"}; // one output neuron in the example: one name checks the count
        d.source.classNames.clear();
        d.scaling = ScalingMode::Global;
        d.encoding.kind = EncodingKind::ReceptiveFields;
        d.encoding.maxRate = 80;
        d.encoding.earliest = 0.002;
        d.encoding.latest = 0.03;
        d.encoding.fieldsPerFeature = 7;
        d.encoding.seed = 12345678901ULL;
        d.split.validationFraction = 0.2;
        d.split.testFraction = 0;
        d.split.seed = 99;
        d.split.perClassLimit = 40;
        d.targets.classSpikes = {0.01, 0.05};
        d.targets.otherSpikes = {0.07};
        d.decision = DecisionRule::MostSpikes;
        d.cacheMegabytes = 64;
        p.dataset = d;
        p.history[0].trainAccuracy = 0.75;
        p.history[0].validationAccuracy = 0.5;
        p.history[0].presented = 40;
        p.history[0].patterns.clear();

        const std::string text = projectToJson(p);
        QVERIFY(text.find("\"formatVersion\": 3,") != std::string::npos);
        QVERIFY(text.find("\"patterns\": [") == std::string::npos);
        const Project q = projectFromJson(text, "dataset.json");
        QVERIFY(q.dataset);
        QVERIFY(q.task.patterns.empty());
        const DatasetTaskSpec& e = *q.dataset;
        QCOMPARE(e.source.format, d.source.format);
        QCOMPARE(e.source.files.size(), std::size_t(2));
        QCOMPARE(e.source.files[1].path, std::string("/abs/labels"));
        QCOMPARE(e.source.files[0].size, std::uint64_t(123));
        QCOMPARE(e.source.testFiles[1].sha256, std::string(64, 'd'));
        COMPARE_E(e.scaling, d.scaling);
        COMPARE_E(e.encoding.kind, d.encoding.kind);
        QCOMPARE(e.encoding.maxRate, 80.0);
        QCOMPARE(e.encoding.earliest, 0.002);
        QCOMPARE(e.encoding.latest, 0.03);
        QCOMPARE(e.encoding.fieldsPerFeature, 7);
        QCOMPARE(e.encoding.seed, 12345678901ULL);
        QCOMPARE(e.split.validationFraction, 0.2);
        QCOMPARE(e.split.seed, std::uint64_t(99));
        QCOMPARE(e.split.perClassLimit, 40);
        QCOMPARE(e.targets.classSpikes, d.targets.classSpikes);
        QCOMPARE(e.targets.otherSpikes, d.targets.otherSpikes);
        COMPARE_E(e.decision, d.decision);
        QCOMPARE(e.cacheMegabytes, 64);
        QCOMPARE(q.history[0].trainAccuracy, 0.75);
        QCOMPARE(q.history[0].validationAccuracy, 0.5);
        QCOMPARE(q.history[0].presented, 40);
        QCOMPARE(projectToJson(q), text); // nothing lost, nothing added

        // A CSV source keeps its label column and header flag.
        d.source.format = "csv";
        d.source.files.resize(1);
        d.source.testFiles.clear();
        d.source.labelColumn = "species";
        d.source.header = false;
        p.dataset = d;
        const Project c = projectFromJson(projectToJson(p), "csv.json");
        QCOMPARE(c.dataset->source.labelColumn, std::string("species"));
        QVERIFY(c.dataset->source.header.has_value() && !*c.dataset->source.header);
    }

    void datasetTaskRefusals_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("message");
        const QString dataset =
            QStringLiteral("\"task\": {\"dataset\": {\"source\": {\"format\": \"csv\", "
                           "\"files\": [{\"path\": \"t.csv\", \"size\": 10, "
                           "\"sha256\": \"%1\"}]}, \"encoding\": {\"kind\": \"latency\"}}}, \"old\": {")
                .arg(QString(64, QChar('a')));
        auto row = [&](const char* name, const QString& from, const QString& to, const QString& message) {
            QTest::newRow(name) << from << to << message;
        };
        row("both", "\"patterns\": [", "\"dataset\": {}, \"patterns\": [",
            "task: holds both \"patterns\" and \"dataset\"");
        row("no source", "\"task\": {", "\"task\": {\"dataset\": {}}, \"old\": {",
            "task.dataset.source: required field is missing");
        QString unknownFormat = dataset;
        unknownFormat.replace("\"csv\"", "\"xls\"");
        row("unknown format", "\"task\": {", unknownFormat, "task.dataset.source.format: unknown data format");
        QString badKind = dataset;
        badKind.replace("\"latency\"", "\"morse\"");
        row("unknown encoding", "\"task\": {", badKind, "task.dataset.encoding.kind");
        QString negativeSize = dataset;
        negativeSize.replace("\"size\": 10", "\"size\": -1");
        row("negative size", "\"task\": {", negativeSize, "task.dataset.source.files[0].size");
        QString badSplit = dataset;
        badSplit.replace("\"encoding\"", "\"split\": {\"validationFraction\": 2}, \"encoding\"");
        row("split fraction", "\"task\": {", badSplit, "task.dataset.split.validationFraction");
    }

    void datasetTaskRefusals()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, message);
        QByteArray text = m_example;
        const qsizetype at = text.indexOf(from.toUtf8());
        QVERIFY(at >= 0);
        text.replace(at, from.toUtf8().size(), to.toUtf8());
        try {
            projectFromJson(text.toStdString(), "d.json");
            QFAIL("accepted");
        } catch (const ProjectError& e) {
            QVERIFY2(std::string(e.what()).find(message.toStdString()) != std::string::npos, e.what());
        }
    }

    void unknownKeysAreIgnored()
    {
        QByteArray text = m_example;
        text.replace("\"seed\": 7,", "\"seed\": 7, \"futureFeature\": {\"x\": [1, 2]},");
        text.replace("\"size\": 2,", "\"size\": 2, \"dropout\": 0.5,");
        QVERIFY(text != m_example);
        const Project p = projectFromJson(text.toStdString(), "text");
        QCOMPARE(p.network.populationSize(1), 2);
        // …and are not written back.
        QVERIFY(projectToJson(p).find("futureFeature") == std::string::npos);
    }

    void optionalFieldsTakeTheDefaults()
    {
        const std::string minimal = R"({
  "formatVersion": 1,
  "simulation": {"dt_s": 1e-4, "duration_s": 0.05},
  "network": {"inputs": 1, "layers": [{"size": 1}]},
  "task": {"patterns": [{"inputs_s": [[0.01]], "desired_s": [[0.02]]}]}
})";
        const Project p = projectFromJson(minimal, "minimal");
        const Project defaults;
        QCOMPARE(p.seed, defaults.seed);
        QVERIFY(!p.hasWeights);
        COMPARE_E(p.simulation.integrator, SimulationParams{}.integrator);
        QCOMPARE(p.network.synapse().tauDecay, SynapseParams{}.tauDecay);
        QCOMPARE(p.network.layer(1).neuron.capacitance, LifParams{}.capacitance);
        QCOMPARE(p.network.layer(1).learningRate, LayerSpec{}.learningRate);
        COMPARE_E(p.network.layer(1).init.kind, WeightInit{}.kind);
        QCOMPARE(p.training.maxEpochs, TrainingParams{}.maxEpochs);
        QCOMPARE(p.training.metrics.correlationWidth, MetricParams{}.correlationWidth);
        QVERIFY(p.history.empty());
        QVERIFY(projectToJson(p).find("weights_A") == std::string::npos);
    }

    // --- refusals -------------------------------------------------------------------------------

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("base");
        QTest::addColumn<QStringList>("from"); // each replaced at its first occurrence; "*" = whole text
        QTest::addColumn<QStringList>("to");
        QTest::addColumn<QString>("field"); // ProjectError::field()
        QTest::addColumn<QString>("value"); // must appear in what()

        const QByteArray ex = m_example;
        auto row = [&](const char* name, const QString& from, const QString& to, const QString& field,
                       const QString& value, const QByteArray& base = {}) {
            QTest::newRow(name) << (base.isEmpty() ? ex : base) << QStringList{from} << QStringList{to} << field
                                << value;
        };

        // Not a project at all
        row("not JSON", "\"name\": \"Two", "\"name\" \"Two", "", "line 4, column");
        row("empty file", "*", "", "", "unexpected end of input");
        row("top level array", "*", "[1, 2]", "", "an array of 2 elements");
        row("NaN literal", "\"duration_s\": 0.1", "\"duration_s\": NaN", "", "line 9");
        row("duplicate key", "\"seed\": 7,", "\"seed\": 7, \"seed\": 8,", "seed", "duplicate key");

        // Versions
        row("newer version", "\"formatVersion\": 3", "\"formatVersion\": 4", "formatVersion",
            "written by a newer NormAD Workbench (format 4); this build reads up to 3");
        row("version 0", "\"formatVersion\": 3", "\"formatVersion\": 0", "formatVersion", "(got 0)");
        row("version -3", "\"formatVersion\": 3", "\"formatVersion\": -3", "formatVersion", "(got -3)");
        row("version 1.5", "\"formatVersion\": 3", "\"formatVersion\": 1.5", "formatVersion", "number 1.5");
        row("version string", "\"formatVersion\": 3", "\"formatVersion\": \"1\"", "formatVersion", "string \"1\"");
        row("version missing", "\"formatVersion\"", "\"format\"", "formatVersion", "missing");

        // Types, missing fields, non-finite numbers
        row("dt string", "\"dt_s\": 1e-4", "\"dt_s\": \"abc\"", "simulation.dt_s",
            "expected a number, got string \"abc\"");
        row("dt missing", "\"dt_s\"", "\"dt\"", "simulation.dt_s", "missing");
        row("dt null", "\"dt_s\": 1e-4", "\"dt_s\": null", "simulation.dt_s", "got null");
        row("duration missing", "\"duration_s\"", "\"duration\"", "simulation.duration_s", "missing");
        row("duration 1e999", "\"duration_s\": 0.1", "\"duration_s\": 1e999", "simulation.duration_s", "1e999");
        row("simulation not an object", "\"simulation\": {", "\"simulation\": 3, \"old\": {", "simulation", "number 3");
        row("simulation missing", "\"simulation\":", "\"sim\":", "simulation", "missing");
        row("name number", "\"name\": \"Two patterns, 2-2-1\"", "\"name\": 5", "name", "number 5");
        row("seed negative", "\"seed\": 7", "\"seed\": -1", "seed", "(got -1)");
        row("seed fractional", "\"seed\": 7", "\"seed\": 7.5", "seed", "number 7.5");
        row("trainable number", "\"trainable\": true", "\"trainable\": 1", "network.layers[0].trainable", "number 1");

        // Parameter values (the engine's validate(), reported at the file's keys)
        row("dt negative", "\"dt_s\": 1e-4", "\"dt_s\": -1", "simulation.dt_s", "(got -1)");
        row("dt zero", "\"dt_s\": 1e-4", "\"dt_s\": 0", "simulation.dt_s", "(got 0)");
        row("duration negative", "\"duration_s\": 0.1", "\"duration_s\": -2", "simulation.duration_s", "(got -2)");
        row("tauDecay negative", "\"tauDecay_s\": 0.005", "\"tauDecay_s\": -1", "synapse.tauDecay_s", "(got -1)");
        row("tauRise above tauDecay", "\"tauRise_s\": 0.00125", "\"tauRise_s\": 0.0075", "synapse.tauRise_s", "0.0075");
        row("capacitance negative", "\"capacitance_F\": 3e-10", "\"capacitance_F\": -3", "network.neuron.capacitance_F",
            "(got -3)");
        row("capacitance zero", "\"capacitance_F\": 3e-10", "\"capacitance_F\": 0", "network.neuron.capacitance_F",
            "(got 0)");
        row("threshold below rest", "\"threshold_V\": 0.02", "\"threshold_V\": -0.08", "network.neuron.threshold_V",
            "-0.08");
        row("override refractory negative", "\"refractoryPeriod_s\": 0.002", "\"refractoryPeriod_s\": -4",
            "network.layers[1].neuron.refractoryPeriod_s", "(got -4)");
        row("learning rate negative", "\"learningRate_A\": 1e-10", "\"learningRate_A\": -5",
            "network.layers[0].learningRate_A", "(got -5)");
        row("init stddev negative", "\"stddev_A\": 1e-9", "\"stddev_A\": -6", "network.layers[0].init.stddev_A",
            "(got -6)");
        // Every init field is checked whatever the kind (docs/project-format.md).
        QTest::newRow("init stddev negative, uniform")
            << ex << QStringList{"\"kind\": \"normal\"", "\"stddev_A\": 1e-9"}
            << QStringList{"\"kind\": \"uniform\"", "\"stddev_A\": -1"} << "network.layers[0].init.stddev_A"
            << "(got -1)";
        row("init low above high, normal", "\"low_A\": -1e-9", "\"low_A\": 5e-9", "network.layers[0].init.high_A",
            "must not be below low_A 5e-09");
        row("effective tau negative", "\"effectiveTimeConstant_s\": 0.001", "\"effectiveTimeConstant_s\": -7",
            "training.rules.normad.effectiveTimeConstant_s", "(got -7)");
        row("learnt margin above 1", "\"learntCorrelation\": 1.0", "\"learntCorrelation\": 1.5",
            "training.rules.normad.learntCorrelation", "(got 1.5)");
        row("learnt margin zero", "\"learntCorrelation\": 1.0", "\"learntCorrelation\": 0",
            "training.rules.normad.learntCorrelation", "(got 0)");
        row("learnt kernel width zero", "\"learntKernelWidth_s\": 0.002", "\"learntKernelWidth_s\": 0",
            "training.rules.normad.learntKernelWidth_s", "(got 0)");
        row("correlation width zero", "\"correlationWidth_s\": 0.002", "\"correlationWidth_s\": 0",
            "training.metrics.correlationWidth_s", "(got 0)");
        row("max epochs negative", "\"maxEpochs\": 200", "\"maxEpochs\": -8", "training.maxEpochs", "(got -8)");
        row("max epochs fractional", "\"maxEpochs\": 200", "\"maxEpochs\": 2.5", "training.maxEpochs", "number 2.5");

        // Enumerations
        row("unknown integrator", "\"integrator\": \"exact\"", "\"integrator\": \"euler\"", "simulation.integrator",
            "\"euler\"");
        row("unknown init kind", "\"kind\": \"normal\"", "\"kind\": \"gauss\"", "network.layers[0].init.kind",
            "\"gauss\"");
        row("unknown normalization", "\"normalization\": \"perLayer\"", "\"normalization\": \"global\"",
            "training.rules.normad.normalization", "\"global\"");
        row("enum not a string", "\"schedule\": \"online\"", "\"schedule\": 1", "training.schedule", "number 1");

        // Learning rules and their settings (described by the rules, RuleRegistry.h)
        row("unknown rule", "\"rule\": \"normad\"", "\"rule\": \"tempotron\"", "training.rule",
            "unknown learning rule \"tempotron\" (expected \"normad\", \"resume\", \"psd\" or \"superspike\")");
        row("settings of an unknown rule", "\"psd\": {", "\"tempotron\": {}, \"psd\": {", "training.rules.tempotron",
            "\"tempotron\"");
        row("rules not an object", "\"rules\": {", "\"rules\": 4, \"old\": {", "training.rules", "number 4");
        row("unknown rule setting", "\"peakNormalized\": true", "\"peak\": true", "training.rules.psd.peak",
            "is not a setting of PSD (expected one of: peakNormalized)");
        row("rule setting of the wrong type", "\"peakNormalized\": true", "\"peakNormalized\": 1",
            "training.rules.psd.peakNormalized", "number 1");
        row("rule setting out of range", "\"tau_s\": 0.005", "\"tau_s\": 0", "training.rules.resume.tau_s",
            "must be greater than 0 (got 0)");

        // Topology
        row("inputs missing", "\"inputs\": 2", "\"inputCount\": 2", "network.inputs", "missing");
        row("inputs zero", "\"inputs\": 2", "\"inputs\": 0", "network.inputs", "must be at least 1 (got 0)");
        row("inputs string", "\"inputs\": 2", "\"inputs\": \"two\"", "network.inputs", "string \"two\"");
        row("inputs absurd", "\"inputs\": 2", "\"inputs\": 1e12", "network.inputs", "1e12");
        row("layers empty", "\"layers\": [", "\"layers\": [], \"old\": [", "network.layers", "0 layers");
        row("size missing", "\"size\": 2", "\"neurons\": 2", "network.layers[0].size", "missing");
        row("size zero", "\"size\": 2", "\"size\": 0", "network.layers[0].size", "must be at least 1 (got 0)");
        row("size negative", "\"size\": 1", "\"size\": -1", "network.layers[1].size", "(got -1)");
        row("size absurd", "\"size\": 2", "\"size\": 20000000", "network.layers[0].size", "(got 20000000)");
        row("size boolean", "\"size\": 2", "\"size\": true", "network.layers[0].size", "got true");
        QTest::newRow("network too big") << exampleWithoutWeights() << QStringList{"\"inputs\": 2", "\"size\": 2"}
                                         << QStringList{"\"inputs\": 10000000", "\"size\": 10000000"} << "network"
                                         << "GiB";

        // Weights
        row("weights: missing row", ",\n          [-3e-9, 1.05e-8]", "", "network.layers[0].weights_A", "(got 1 rows)");
        row("weights: extra row", "[-3e-9, 1.05e-8]", "[-3e-9, 1.05e-8], [0, 0]", "network.layers[0].weights_A",
            "(got 3 rows)");
        row("weights: short row", "[1.5e-8, 9e-9]", "[1.5e-8]", "network.layers[1].weights_A[0]", "(got 1 values)");
        row("weights: 1e999", "[1.5e-8, 9e-9]", "[1.5e-8, 1e999]", "network.layers[1].weights_A[0][1]", "1e999");
        row("weights: string", "-3e-9", "\"-3e-9\"", "network.layers[0].weights_A[1][0]", "string \"-3e-9\"");
        row("weights: not rows", "[1.5e-8, 9e-9]", "5", "network.layers[1].weights_A[0]", "number 5");
        row("weights on some layers only", ",\n        \"weights_A\": [\n          [1.5e-8, 9e-9]\n        ]", "",
            "network.layers[1].weights_A", "network.layers[0] has weights");

        // Task
        row("task missing", "\"task\":", "\"tasks\":", "task", "missing");
        row("no patterns", "\"patterns\": [", "\"patterns\": [], \"old\": [", "task.patterns", "0 patterns");
        row("inputs_s missing", "\"inputs_s\"", "\"inputs\"", "task.patterns[0].inputs_s", "missing");
        row("desired_s missing", "\"desired_s\"", "\"desired\"", "task.patterns[0].desired_s", "missing");
        row("too many input trains", "[0.02, 0.047]", "[0.02, 0.047], []", "task.patterns[0].inputs_s",
            "(got 3 trains)");
        row("too few desired trains", "[0.06]", "", "task.patterns[1].desired_s", "(got 0 trains)");
        row("spike at the end", "0.064", "0.1", "task.patterns[0].inputs_s[0][3]", "(got 0.1)");
        row("spike after the end", "0.064", "0.37", "task.patterns[0].inputs_s[0][3]", "(got 0.37)");
        row("negative spike", "[0.005, 0.012", "[-0.005, 0.012", "task.patterns[0].inputs_s[0][0]", "(got -0.005)");
        row("unsorted spikes", "[0.02, 0.047]", "[0.047, 0.02]", "task.patterns[0].inputs_s[1][1]", "(got 0.02)");
        row("duplicate spikes", "[0.02, 0.047]", "[0.02, 0.02]", "task.patterns[0].inputs_s[1][1]", "(got 0.02)");
        row("two desired spikes in one step", "[0.025, 0.07]", "[0.025, 0.02504]", "task.patterns[0].desired_s[0][1]",
            "(got 0.02504)");
        row("spike string", "[0.005, 0.012", "[\"0.005\", 0.012", "task.patterns[0].inputs_s[0][0]",
            "string \"0.005\"");
        row("spike 1e999", "0.041", "1e999", "task.patterns[1].inputs_s[0][0]", "1e999");
        // t/dt beyond 2^63: llround gave LLONG_MIN, which passed as "inside the trial".
        row("desired spike at 1e308", "[0.025, 0.07]", "[0.025, 1e308]", "task.patterns[0].desired_s[0][1]",
            "inside the trial [0, 0.1) s (got 1e+308)");
        row("input spike at 1e300", "0.064", "1e300", "task.patterns[0].inputs_s[0][3]", "inside the trial");

        // History
        row("history not an array", "\"history\": [", "\"history\": 5, \"old\": [", "history", "number 5");
        row("history column length", "\"outputSpikes\": [2, 0]", "\"outputSpikes\": [2]",
            "history[0].patterns.outputSpikes", "(got 1 entries)");
        row("history count fractional", "\"missing\": 2", "\"missing\": 2.5", "history[0].missing", "number 2.5");
        // Refused at the first entry while parsing (87 M empty entries once took 23 GB).
        row("history entry empty", "\"history\": [", "\"history\": [{}, ", "history[0]", "\"epoch\"");
        row("history entry a number", "\"history\": [", "\"history\": [5, ", "history[0]", "number 5");
        row("history entry without epoch", "\"epoch\": 1", "\"epochs\": 1", "history[0]", "\"epoch\"");
    }

    void refusals()
    {
        QFETCH(QByteArray, base);
        QFETCH(QStringList, from);
        QFETCH(QStringList, to);
        QFETCH(QString, field);
        QFETCH(QString, value);

        QByteArray text = base;
        for (qsizetype i = 0; i < from.size(); ++i) {
            if (from[i] == QLatin1String("*")) {
                text = to[i].toUtf8();
                continue;
            }
            const QByteArray f = from[i].toUtf8();
            const qsizetype at = text.indexOf(f);
            QVERIFY2(at >= 0, qPrintable("the example no longer contains " + from[i]));
            text.replace(at, f.size(), to[i].toUtf8());
        }

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("small.json"));
        QVERIFY(writeAll(path, text));
        try {
            loadProject(path.toStdString());
            QFAIL("the file was accepted");
        } catch (const ProjectError& e) {
            const QString what = QString::fromStdString(e.what());
            QCOMPARE(QString::fromStdString(e.file()), path);
            QCOMPARE(QString::fromStdString(e.field()), field);
            QVERIFY2(what.startsWith(path + ": "), qPrintable(what));
            QVERIFY2(what.contains(field), qPrintable(what));
            QVERIFY2(what.contains(value), qPrintable(what));
            QVERIFY2(what.endsWith(QString::fromStdString(e.reason())), qPrintable(what));
        }
    }

    void quotedValues_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("maxChars");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("plain") << QByteArray("abc") << 80 << QByteArray("\"abc\"");
        QTest::newRow("empty") << QByteArray("") << 80 << QByteArray("\"\"");
        QTest::newRow("quote, backslash") << QByteArray("a\"b\\c") << 80 << QByteArray("\"a\\\"b\\\\c\"");
        QTest::newRow("NUL") << QByteArray("a\0b", 3) << 80 << QByteArray("\"a\\x00b\"");
        QTest::newRow("line break, tab, DEL") << QByteArray("a\n\t\x7f") << 80 << QByteArray("\"a\\x0a\\x09\\x7f\"");
        QTest::newRow("invalid UTF-8") << QByteArray("a\xff\xfe") << 80 << QByteArray("\"a\\xff\\xfe\"");
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << 80 << QByteArray("\"\\xc0\\xaf\"");
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << 80 << QByteArray("\"\\xed\\xa0\\x80\"");
        QTest::newRow("cut UTF-8") << QByteArray("\xc3") << 80 << QByteArray("\"\\xc3\"");
        QTest::newRow("valid UTF-8") << QByteArray("Zürich µs €") << 80 << QByteArray("\"Zürich µs €\"");
        QTest::newRow("at the limit") << QByteArray(80, 'a') << 80 << "\"" + QByteArray(80, 'a') + "\"";
        QTest::newRow("over the limit") << QByteArray(81, 'a') << 80 << "\"" + QByteArray(80, 'a') + "\"… (81 bytes)";
        QTest::newRow("characters, not bytes") << QByteArray("ééé") << 2 << QByteArray("\"éé\"… (6 bytes)");
        QTest::newRow("1 MB") << QByteArray(1 << 20, 'x') << 80 << "\"" + QByteArray(80, 'x') + "\"… (1048576 bytes)";
    }

    void quotedValues()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, maxChars);
        QFETCH(QByteArray, expected);
        const std::string q = quotedText(std::string_view(text.constData(), static_cast<std::size_t>(text.size())),
                                         static_cast<std::size_t>(maxChars));
        QCOMPARE(QByteArray::fromStdString(q), expected);
    }

    /// Values and keys from the file are quoted short and escaped in every message (a 100 MB key or
    /// an unterminated 200 MB string once printed a line of that size, NUL bytes raw).
    void messagesQuoteValuesShortAndEscaped_data()
    {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::addColumn<QString>("expected");
        const QByteArray mb(1 << 20, 'k');
        QTest::newRow("1 MB string for a number") << QByteArray("\"seed\": 7") << "\"seed\": \"" + mb + "\""
                                                  << "(1048576 bytes)";
        QTest::newRow("unterminated 1 MB string") << QByteArray("*") << "{\"name\": \"" + mb << "not valid JSON";
        QTest::newRow("duplicate 1 MB key") << QByteArray("\"seed\": 7,") << "\"" + mb + "\": 1, \"" + mb + "\": 2,"
                                            << "duplicate key";
        QTest::newRow("NUL in a duplicate key")
            << QByteArray("\"seed\": 7,") << QByteArray("\"a\\u0000b\": 1, \"a\\u0000b\": 2,") << "\"a\\x00b\"";
        QTest::newRow("NUL in an enumeration") << QByteArray("\"integrator\": \"exact\"")
                                               << QByteArray("\"integrator\": \"ex\\u0000act\"") << "\"ex\\x00act\"";
        QTest::newRow("raw invalid UTF-8")
            << QByteArray("\"integrator\": \"exact\"") << QByteArray("\"integrator\": \"ex\xff\xfe\"") << "\\xff";
        QTest::newRow("1 MB enumeration") << QByteArray("\"integrator\": \"exact\"") << "\"integrator\": \"" + mb + "\""
                                          << "(1048576 bytes)";
        QTest::newRow("1 MB unknown rule key") << QByteArray("\"psd\": {") << "\"" + mb + "\": {}, \"psd\": {"
                                               << "training.rules.\"kkk";
        QTest::newRow("1 MB number") << QByteArray("\"seed\": 7") << "\"seed\": 1" + QByteArray(1 << 20, '0') + "e999"
                                     << "seed: number overflow parsing \"1000";
    }

    void messagesQuoteValuesShortAndEscaped()
    {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFETCH(QString, expected);
        QByteArray text = m_example;
        if (from == "*")
            text = to;
        else
            text.replace(text.indexOf(from), from.size(), to);
        try {
            projectFromJson(text.toStdString(), "text.json");
            QFAIL("the file was accepted");
        } catch (const ProjectError& e) {
            const QByteArray what(e.what());
            QVERIFY2(what.size() < 400, qPrintable(QString("%1 bytes: ").arg(what.size()) + what.left(400)));
            QVERIFY2(what.startsWith("text.json: "), what.constData());
            QVERIFY2(what.contains(expected.toUtf8()), what.constData());
            for (char c : what)
                QVERIFY2(static_cast<unsigned char>(c) >= 0x20, "a control character in the message");
            QVERIFY2(QString::fromUtf8(what).toUtf8() == what, "invalid UTF-8 in the message");
        }
    }

    void unknownEnumListsTheAcceptedValues()
    {
        QByteArray text = m_example;
        text.replace("\"integrator\": \"exact\"", "\"integrator\": \"euler\"");
        try {
            projectFromJson(text.toStdString(), "text");
            QFAIL("the file was accepted");
        } catch (const ProjectError& e) {
            const std::string what = e.what();
            QVERIFY2(what.find('"' + toString(Integrator::Exact) + '"') != std::string::npos, e.what());
            QVERIFY2(what.find('"' + toString(Integrator::Heun) + '"') != std::string::npos, e.what());
        }
    }

    void refusesBadFiles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto refused = [](const QString& path, const QString& expected) {
            try {
                loadProject(path.toStdString());
            } catch (const ProjectError& e) {
                const QString what = QString::fromStdString(e.what());
                return what.startsWith(path + ": ") && what.contains(expected);
            }
            return false;
        };
        QVERIFY(refused(dir.filePath("absent.json"), "No such file or directory"));
        QVERIFY(refused(dir.path(), "is a directory"));
        const QString fifo = dir.filePath("fifo.json");
        QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
        QVERIFY(refused(fifo, "not a regular file"));
    }

    void refusesHugeFileWithoutReadingIt()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath("huge.json");
        std::filesystem::path p(path.toStdString());
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        std::filesystem::resize_file(p, 2LL * 1024 * 1024 * 1024); // sparse: no disk, no time
        QElapsedTimer timer;
        timer.start();
        try {
            loadProject(path.toStdString());
            QFAIL("the file was accepted");
        } catch (const ProjectError& e) {
            const QString what = QString::fromStdString(e.what());
            QVERIFY2(what.startsWith(path + ": "), qPrintable(what));
            QVERIFY2(what.contains("2147483648"), qPrintable(what));
            QVERIFY2(what.contains(QString::number(maxProjectFileBytes)), qPrintable(what));
        }
        QVERIFY2(timer.elapsed() < 500, qPrintable(QString::number(timer.elapsed()) + " ms"));
    }

    void refusesUnreadableFile()
    {
        if (::geteuid() == 0)
            QSKIP("root reads every file");
        QTemporaryDir dir;
        const QString path = dir.filePath("locked.json");
        QVERIFY(writeAll(path, m_example));
        QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions()));
        try {
            loadProject(path.toStdString());
            QFAIL("the file was read");
        } catch (const ProjectError& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains("Permission denied"), e.what());
        }
    }

    // --- saving ---------------------------------------------------------------------------------

    void savesAtomically()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath("project.json");
        const Project p = projectFromJson(m_example.toStdString(), "example");

        saveProject(p, path.toStdString()); // new file
        QCOMPARE(readAll(path), QByteArray::fromStdString(projectToJson(p)));
        QCOMPARE(temporaries(dir.path()), QStringList());

        QVERIFY(writeAll(path, "old contents"));
        QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup));
        saveProject(p, path.toStdString()); // over an existing file: replaced, permissions kept
        QCOMPARE(readAll(path), QByteArray::fromStdString(projectToJson(p)));
        QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser |
                                             QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                                             QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther),
                 QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ReadGroup);
        QCOMPARE(temporaries(dir.path()), QStringList());

        writeFileAtomically(dir.filePath("notes.txt").toStdString(), "any text\n");
        QCOMPARE(readAll(dir.filePath("notes.txt")), QByteArray("any text\n"));
        QCOMPARE(temporaries(dir.path()), QStringList());
    }

    void saveIntoMissingFolderThrows()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath("no/such/folder/project.json").toStdString();
        try {
            writeFileAtomically(path, "text");
            QFAIL("saved into a folder that does not exist");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find(std::strerror(ENOENT)) != std::string::npos, e.what());
        }
    }

    void failedRenameLeavesNothingBehind()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString target = dir.filePath("a-folder");
        QVERIFY(QDir(dir.path()).mkdir("a-folder"));
        QVERIFY(writeAll(target + "/inside.txt", "kept"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeFileAtomically(target.toStdString(), "text"));
        QVERIFY(QFileInfo(target).isDir());
        QCOMPARE(readAll(target + "/inside.txt"), QByteArray("kept"));
        QCOMPARE(temporaries(dir.path()), QStringList());
    }

    /// The disk "fills up" half way through the write (RLIMIT_FSIZE): the old file must survive.
    void failedWriteKeepsTheOldFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath("project.json");
        QVERIFY(writeAll(path, "old contents"));
        const Project p = projectFromJson(m_example.toStdString(), "example");
        const std::string text = projectToJson(p);
        QVERIFY(text.size() > 2048);

        rlimit old{};
        QCOMPARE(::getrlimit(RLIMIT_FSIZE, &old), 0);
        rlimit small = old;
        small.rlim_cur = 1024;
        auto previousHandler = std::signal(SIGXFSZ, SIG_IGN); // write() then fails with EFBIG
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &small), 0);
        std::string message;
        try {
            saveProject(p, path.toStdString());
        } catch (const std::runtime_error& e) {
            message = e.what();
        }
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, previousHandler);

        QVERIFY2(!message.empty(), "the save did not fail");
        QVERIFY2(message.find(path.toStdString()) != std::string::npos, message.c_str());
        QVERIFY2(message.find(std::strerror(EFBIG)) != std::string::npos, message.c_str());
        QCOMPARE(readAll(path), QByteArray("old contents"));
        QCOMPARE(temporaries(dir.path()), QStringList());
    }

    void readOnlyFolderKeepsTheOldFile()
    {
        if (::geteuid() == 0)
            QSKIP("root writes into read-only folders");
        QTemporaryDir dir;
        const QString path = dir.filePath("project.json");
        QVERIFY(writeAll(path, "old contents"));
        QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        const Project p = projectFromJson(m_example.toStdString(), "example");
        bool threw = false;
        try {
            saveProject(p, path.toStdString());
        } catch (const std::runtime_error&) {
            threw = true;
        }
        QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QVERIFY(threw);
        QCOMPARE(readAll(path), QByteArray("old contents"));
        QCOMPARE(temporaries(dir.path()), QStringList());
    }

    void refusesToWriteNonFiniteWeights()
    {
        Project p = projectFromJson(m_example.toStdString(), "example");
        p.network.addToWeights(2, Eigen::MatrixXd::Constant(1, 2, std::numeric_limits<double>::infinity()));
        QVERIFY(!p.network.weightsFinite());
        try {
            projectToJson(p);
            QFAIL("non-finite weights were written");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(std::string(e.what()).find("network.layers[1].weights_A") != std::string::npos, e.what());
        }
    }

    // --- Project ----------------------------------------------------------------------------------

    void ensureWeightsDrawsFromTheSeed()
    {
        Project a = projectFromJson(exampleWithoutWeights().toStdString(), "a");
        Project b = a;
        QVERIFY(!a.hasWeights);
        QCOMPARE(a.network.weights(1), Eigen::MatrixXd(Eigen::MatrixXd::Zero(2, 2)));
        a.ensureWeights();
        b.ensureWeights();
        QVERIFY(a.hasWeights);
        QVERIFY(a.network.weights(1) != Eigen::MatrixXd(Eigen::MatrixXd::Zero(2, 2)));
        QCOMPARE(a.network.weights(1), b.network.weights(1)); // same seed, same weights
        QCOMPARE(a.network.weights(2), b.network.weights(2));

        Project c = projectFromJson(m_example.toStdString(), "c"); // carries weights: left alone
        c.ensureWeights();
        QCOMPARE(c.network.weights(1)(1, 0), -3e-9);
    }

    void validateChecksTaskAgainstNetwork()
    {
        Project p = projectFromJson(m_example.toStdString(), "example");
        p.validate();
        p.task.patterns[0].inputs.pop_back();
        try {
            p.validate();
            QFAIL("a pattern with a missing input train passed");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(std::string(e.what()).find("task.patterns[0]") != std::string::npos, e.what());
        }
        Project q = projectFromJson(m_example.toStdString(), "example");
        q.simulation.duration = 0.05; // spikes at 0.064 s now lie outside the trial
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, q.validate());
    }

    // --- the struct schemas -----------------------------------------------------------------------

    // validate() names the file's keys, so a message from the engine (a GUI edit, the CLI) points at
    // the key a user edits, and the reader needs no table translating member names.
    void validationNamesFileKeys_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("expected"); // the start of what()
        QTest::newRow("capacitance") << 0 << "network.neuron.capacitance_F: must be greater than 0 (got -1";
        QTest::newRow("threshold below rest") << 1 << "network.neuron.threshold_V: must be above the rest potential";
        QTest::newRow("tauRise above tauDecay") << 2 << "synapse.tauRise_s: must be shorter than tauDecay_s";
        QTest::newRow("dt too long") << 3 << "simulation.dt_s: must be at most 10 ms";
        QTest::newRow("layer size") << 4 << "network.layers[0].size: must be at least 1 (got 0)";
        QTest::newRow("uniform bounds") << 5 << "network.layers[0].init.high_A: must not be below low_A";
        QTest::newRow("max epochs") << 6 << "training.maxEpochs: must not be negative (got -3)";
        QTest::newRow("metrics width") << 7 << "training.metrics.correlationWidth_s: must be greater than 0";
        QTest::newRow("runaway rate") << 8 << "training.runawayRate_Hz: must not be negative";
    }
    void validationNamesFileKeys()
    {
        QFETCH(int, which);
        QFETCH(QString, expected);
        LifParams neuron;
        SynapseParams synapse;
        SimulationParams sim;
        LayerSpec layer;
        TrainingParams training;
        std::function<void()> check;
        switch (which) {
        case 0:
            neuron.capacitance = -1;
            check = [&] { neuron.validate("network.neuron"); };
            break;
        case 1:
            neuron.threshold = -0.08;
            check = [&] { neuron.validate("network.neuron"); };
            break;
        case 2:
            synapse.tauRise = 0.01;
            check = [&] { synapse.validate("synapse"); };
            break;
        case 3:
            sim.dt = 0.02;
            check = [&] { sim.validate("simulation"); };
            break;
        case 4:
            layer.size = 0;
            check = [&] { layer.validate("network.layers[0]"); };
            break;
        case 5:
            layer.init.kind = WeightInit::Kind::Uniform;
            layer.init.low = 1e-9;
            layer.init.high = -1e-9;
            check = [&] { layer.validate("network.layers[0]"); };
            break;
        case 6:
            training.maxEpochs = -3;
            check = [&] { training.validate("training"); };
            break;
        case 7:
            training.metrics.correlationWidth = 0;
            check = [&] { training.validate("training"); };
            break;
        default:
            training.runawayRate = -1;
            check = [&] { training.validate("training"); };
            break;
        }
        try {
            check();
            QFAIL("accepted");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString::fromUtf8(e.what()).startsWith(expected), e.what());
        }
    }

    // The writer is driven by the schemas: each described field is written under its key with the
    // struct's value, and each section holds nothing else.
    void sectionsAreTheSchemas()
    {
        const Project p = projectFromJson(m_example.toStdString(), "example");
        const std::string text = projectToJson(p);
        auto section = [&](const std::string& key) {
            const auto at = text.find("\"" + key + "\": {");
            return at == std::string::npos ? std::string() : text.substr(at, text.find('}', at) - at);
        };
        auto expectExactly = [&](const std::string& key, const auto& schema, const auto& value) {
            const std::string body = section(key);
            QVERIFY2(!body.empty(), key.c_str());
            for (const auto& f : schema) {
                const std::string line = "\"" + f.info.key + "\": ";
                QVERIFY2(body.find(line) != std::string::npos, (key + " lacks " + f.info.key).c_str());
            }
            // One line per field, plus the line break before the closing brace.
            QCOMPARE(std::count(body.begin(), body.end(), '\n'), static_cast<long>(schema.size()) + 1);
            for (const auto& f : schema)
                if (const FieldValue v = f.get(value); f.info.kind == FieldKind::Real)
                    if (const double* d = std::get_if<double>(&v))
                        QVERIFY2(body.find("\"" + f.info.key + "\": " + formatShortest(*d)) != std::string::npos,
                                 f.info.key.c_str());
        };
        expectExactly("simulation", SimulationParams::schema(), p.simulation);
        expectExactly("synapse", SynapseParams::schema(), p.network.synapse());
        expectExactly("neuron", LifParams::schema(), p.network.layer(1).neuron);
        expectExactly("init", WeightInit::schema(), p.network.layer(1).init);
        expectExactly("metrics", MetricParams::schema(), p.training.metrics);
        // Reading back gives every described value unchanged.
        const Project q = projectFromJson(text, "again");
        QVERIFY(valuesOf(SimulationParams::schema(), q.simulation) ==
                valuesOf(SimulationParams::schema(), p.simulation));
        QVERIFY(valuesOf(TrainingParams::schema(), q.training) == valuesOf(TrainingParams::schema(), p.training));
        QVERIFY(valuesOf(LayerSpec::schema(), q.network.layer(2)) == valuesOf(LayerSpec::schema(), p.network.layer(2)));
        QVERIFY(valuesOf(LifParams::schema(), q.network.layer(2).neuron) ==
                valuesOf(LifParams::schema(), p.network.layer(2).neuron));
    }
};

QTEST_APPLESS_MAIN(TestProjectIo)
#include "tst_projectio.moc"
