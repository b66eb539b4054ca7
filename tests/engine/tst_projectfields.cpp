#include "normad/ProjectFields.h"
#include "normad/ProjectIo.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <stdexcept>
#include <string>

using namespace normad;

namespace {

QString sourceDir()
{
    const QString fromEnv = qEnvironmentVariable("NORMAD_SOURCE_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QFileInfo(QStringLiteral(__FILE__)).absoluteDir().absoluteFilePath(QStringLiteral("../.."));
}

/// A JSON value (text) as a QJsonValue, to compare values written differently ("5e-5", "5e-05").
QJsonValue parsed(const std::string& json)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString("[" + json + "]")).array().at(0);
}

} // namespace

/// Engine-side edits by path (normad/ProjectFields.h): one field set through the struct schemas,
/// validated as loading would, the rest of the project untouched.
class TestProjectFields : public QObject {
    Q_OBJECT

    Project m_example; // tests/data/small-project.json: 2 inputs, layers of 2 and 1 (the second
                       // overrides refractoryPeriod_s), weights, two patterns

private slots:
    void initTestCase()
    {
        QFile f(QDir(sourceDir()).absoluteFilePath(QStringLiteral("tests/data/small-project.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_example = projectFromJson(f.readAll().toStdString(), "example");
    }

    /// task.dataset's described fields are set and read by path like every other setting; the
    /// whole object turns the task into a dataset task; a network or simulation edit checks the
    /// dataset, not the (absent) patterns.
    void datasetFieldsByPath_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("refusal");
        QTest::newRow("decision") << "task.dataset.decision"
                                  << "\"most-spikes\""
                                  << "";
        QTest::newRow("scaling") << "task.dataset.scaling"
                                 << "\"global\""
                                 << "";
        QTest::newRow("cache") << "task.dataset.cacheMegabytes"
                               << "64"
                               << "";
        QTest::newRow("encoding kind") << "task.dataset.encoding.kind"
                                       << "\"latency\""
                                       << "";
        QTest::newRow("max rate") << "task.dataset.encoding.maxRate_Hz"
                                  << "50"
                                  << "";
        QTest::newRow("split seed") << "task.dataset.split.seed"
                                    << "12"
                                    << "";
        QTest::newRow("per-class limit") << "task.dataset.split.perClassLimit"
                                         << "10"
                                         << "";
        QTest::newRow("class spikes") << "task.dataset.targets.classSpikes"
                                      << "[0.02,0.04]"
                                      << "";
        QTest::newRow("simulation dt") << "simulation.dt_s"
                                       << "5e-5"
                                       << "";
        QTest::newRow("layer learning rate") << "network.layers[0].learningRate_A"
                                             << "3e-9"
                                             << "";
        QTest::newRow("bad decision") << "task.dataset.decision"
                                      << "\"vote\""
                                      << "task.dataset.decision";
        QTest::newRow("bad fraction") << "task.dataset.split.validationFraction"
                                      << "1.5"
                                      << "task.dataset.split.validationFraction";
        QTest::newRow("rate over 1/dt") << "task.dataset.encoding.maxRate_Hz"
                                        << "20000"
                                        << "task.dataset.encoding.maxRate_Hz";
        QTest::newRow("target outside the trial") << "task.dataset.targets.otherSpikes"
                                                  << "[0.5]"
                                                  << "task.dataset.targets.otherSpikes";
        QTest::newRow("trial shorter than the targets") << "simulation.duration_s"
                                                        << "0.02"
                                                        << "simulation.duration_s: task.dataset.targets.classSpikes";
        QTest::newRow("unknown key") << "task.dataset.split.shuffle"
                                     << "1"
                                     << "names no field";
    }

    void datasetFieldsByPath()
    {
        QFETCH(QString, path);
        QFETCH(QString, value);
        QFETCH(QString, refusal);
        Project p = m_example;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, setFieldJson(p, "task.dataset.decision", "\"most-spikes\""));
        setFieldJson(
            p, "task.dataset",
            "{\"source\": {\"format\": \"csv\", \"files\": [{\"path\": \"t.csv\", \"size\": 1, \"sha256\": \"" +
                std::string(64, 'e') + "\"}]}, \"encoding\": {\"kind\": \"poisson\"}}");
        QVERIFY(p.dataset);
        QVERIFY(p.task.patterns.empty());
        QCOMPARE(getField(p, "task.dataset.encoding.kind"), std::string("\"poisson\""));
        const Project before = p;
        try {
            setFieldJson(p, path.toStdString(), value.toStdString());
            QVERIFY2(refusal.isEmpty(), "accepted");
            QCOMPARE(parsed(getField(p, path.toStdString())), parsed(value.toStdString()));
        } catch (const std::invalid_argument& e) {
            QVERIFY2(!refusal.isEmpty(), e.what());
            QVERIFY2(QString(e.what()).contains(refusal), e.what());
            QCOMPARE(projectToJson(p), projectToJson(before));
        }
    }

    void setByPath_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("value");   // JSON text
        QTest::addColumn<QString>("refusal"); // empty: accepted; else a part of the message

        // Accepted: the value reads back.
        QTest::newRow("simulation.dt_s") << "simulation.dt_s"
                                         << "5e-5"
                                         << "";
        QTest::newRow("simulation.integrator") << "simulation.integrator"
                                               << "\"heun\""
                                               << "";
        QTest::newRow("synapse.tauDecay_s") << "synapse.tauDecay_s"
                                            << "0.004"
                                            << "";
        QTest::newRow("seed") << "seed"
                              << "11"
                              << "";
        QTest::newRow("name") << "name"
                              << "\"renamed\""
                              << "";
        QTest::newRow("training.maxEpochs") << "training.maxEpochs"
                                            << "42"
                                            << "";
        QTest::newRow("training.shufflePatterns") << "training.shufflePatterns"
                                                  << "true"
                                                  << "";
        QTest::newRow("training.rule") << "training.rule"
                                       << "\"resume\""
                                       << "";
        QTest::newRow("a rule's number") << "training.rules.normad.effectiveTimeConstant_s"
                                         << "0.01"
                                         << "";
        QTest::newRow("a rule's choice") << "training.rules.normad.normalization"
                                         << "\"joint\""
                                         << "";
        QTest::newRow("a rule's flag") << "training.rules.psd.peakNormalized"
                                       << "false"
                                       << "";
        QTest::newRow("training.metrics.kernel") << "training.metrics.kernel"
                                                 << "\"exponential\""
                                                 << "";
        QTest::newRow("layer learning rate") << "network.layers[1].learningRate_A"
                                             << "3e-9"
                                             << "";
        QTest::newRow("layer init kind") << "network.layers[0].init.kind"
                                         << "\"constant\""
                                         << "";
        QTest::newRow("layer trainable") << "network.layers[0].trainable"
                                         << "false"
                                         << "";
        QTest::newRow("pattern name") << "task.patterns[1].name"
                                      << "\"second\""
                                      << "";
        QTest::newRow("desired spikes") << "task.patterns[0].desired_s"
                                        << "[[0.06]]"
                                        << "";
        QTest::newRow("weights") << "network.layers[1].weights_A"
                                 << "[[1e-9, 2e-9]]"
                                 << "";

        // Refused, naming the path and the value.
        QTest::newRow("unknown field") << "training.learningRate"
                                       << "1"
                                       << "names no field";
        QTest::newRow("path syntax") << "network.layers[x]"
                                     << "1"
                                     << "is not a project path";
        QTest::newRow("history") << "history"
                                 << "[]"
                                 << "history cannot be set";
        QTest::newRow("layer index out of range")
            << "network.layers[5].size"
            << "1"
            << "network.layers[5].size: index 5 is out of range (this project has 2)";
        QTest::newRow("pattern index out of range") << "task.patterns[2].name"
                                                    << "\"x\""
                                                    << "index 2 is out of range";
        QTest::newRow("wrong type") << "training.maxEpochs"
                                    << "\"many\""
                                    << "training.maxEpochs: expected an integer, got string \"many\"";
        QTest::newRow("fractional integer") << "training.maxEpochs"
                                            << "2.5"
                                            << "got number 2.5";
        QTest::newRow("out of range") << "simulation.dt_s"
                                      << "-1"
                                      << "simulation.dt_s: must be greater than 0 (got -1)";
        QTest::newRow("too long a step") << "simulation.dt_s"
                                         << "0.02"
                                         << "simulation.dt_s: must be at most 10 ms";
        QTest::newRow("unknown choice") << "simulation.integrator"
                                        << "\"euler\""
                                        << "must be \"exact\" or \"heun\" (got \"euler\")";
        QTest::newRow("threshold below rest") << "network.neuron.threshold_V"
                                              << "-0.1"
                                              << "network.neuron.threshold_V: must be above the rest potential";
        QTest::newRow("size no longer fits the weights") << "network.layers[0].size"
                                                         << "3"
                                                         << "network.layers[0].size: network.layers[0].weights_A";
        QTest::newRow("spikes outside a shorter trial") << "simulation.duration_s"
                                                        << "0.05"
                                                        << "simulation.duration_s: task.patterns[0].inputs_s[0][3]";
        QTest::newRow("raster shape") << "task.patterns[0].desired_s"
                                      << "[[0.06], []]"
                                      << "task.patterns[0].desired_s: needs one train per output neuron (1)";
        QTest::newRow("weights shape") << "network.layers[1].weights_A"
                                       << "[[1e-9]]"
                                       << "network.layers[1].weights_A[0]: needs one weight per neuron";
        QTest::newRow("not JSON") << "seed"
                                  << "{"
                                  << "seed: not valid JSON";
        QTest::newRow("unknown rule") << "training.rules.tempotron.rate"
                                      << "1"
                                      << "names no field";
        QTest::newRow("unknown rule setting") << "training.rules.normad.colour"
                                              << "1"
                                              << "names no field";
        QTest::newRow("a rule's setting out of range")
            << "training.rules.normad.effectiveTimeConstant_s"
            << "-1"
            << "training.rules.normad.effectiveTimeConstant_s: must be greater than 0 (got -1)";
        QTest::newRow("a rule's setting of the wrong type") << "training.rules.psd.peakNormalized"
                                                            << "1"
                                                            << "training.rules.psd.peakNormalized: expected";
        QTest::newRow("unregistered rule selected") << "training.rule"
                                                    << "\"tempotron\""
                                                    << "training.rule: ";
    }

    void setByPath()
    {
        QFETCH(QString, path);
        QFETCH(QString, value);
        QFETCH(QString, refusal);
        Project p = m_example;
        const std::string before = projectToJson(p);
        try {
            setFieldJson(p, path.toStdString(), value.toStdString());
            QVERIFY2(refusal.isEmpty(), "accepted");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(!refusal.isEmpty() && QString::fromStdString(e.what()).contains(refusal), e.what());
            QCOMPARE(projectToJson(p), before); // a refusal changes nothing
            return;
        }
        QCOMPARE(parsed(getField(p, path.toStdString())), parsed(value.toStdString()));
        // The edit is what loading the edited file gives.
        QCOMPARE(projectToJson(projectFromJson(projectToJson(p), "edited")), projectToJson(p));
        QVERIFY(projectToJson(p) != before);
    }

    void neuronOverrides()
    {
        // A key of a layer's neuron creates that layer's override; the other layers keep theirs.
        Project p = m_example;
        setField(p, "network.layers[0].neuron.threshold_V", FieldValue(0.015));
        QCOMPARE(p.network.layer(1).neuron.threshold, 0.015);
        QCOMPARE(p.network.layer(2).neuron.threshold, 0.02);
        // The file keeps both (layer 1's neuron is written as network.neuron, the others as overrides).
        const Project back = projectFromJson(projectToJson(p), "back");
        QCOMPARE(back.network.layer(1).neuron.threshold, 0.015);
        QCOMPARE(back.network.layer(2).neuron.threshold, 0.02);
        QCOMPARE(parsed(getField(p, "network.layers[1].neuron.threshold_V")), QJsonValue(0.02));

        // A key of network.neuron changes every layer that does not override it, as in the file.
        Project q = m_example;
        setField(q, "network.neuron.refractoryPeriod_s", FieldValue(0.004));
        QCOMPARE(q.network.layer(1).neuron.refractoryPeriod, 0.004);
        QCOMPARE(q.network.layer(2).neuron.refractoryPeriod, 0.002);
        setField(q, "network.neuron.capacitance_F", FieldValue(2e-10));
        QCOMPARE(q.network.layer(2).neuron.capacitance, 2e-10);
    }

    void compoundValues()
    {
        // A whole layer list is read by the file's network reader: no weights given → none kept.
        Project p = m_example;
        setFieldJson(p, "network.layers",
                     R"([{"size": 1, "learningRate_A": 3e-10, "init": {"kind": "constant", "mean_A": 8e-10}}])");
        QCOMPARE(p.network.layerCount(), 1);
        QVERIFY(p.network.layer(1).init.kind == WeightInit::Kind::Constant);
        QCOMPARE(p.network.layer(1).init.stddev, WeightInit{}.stddev); // absent: the default
        QVERIFY(!p.hasWeights);
        // A struct as an object: absent keys take their defaults, as when a file is loaded.
        setFieldJson(p, "training.metrics", R"({"kernel": "exponential"})");
        QVERIFY(p.training.metrics.kernel == CorrelationKernel::Exponential);
        QCOMPARE(p.training.metrics.vanRossumTau, MetricParams{}.vanRossumTau);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, setFieldJson(p, "simulation", R"({"dt_s": 1e-4})"));
    }

    void checksWithoutAProject_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("problem");
        QTest::newRow("number") << "network.layers[9].learningRate_A"
                                << "1e-9"
                                << ""; // indices unchecked
        QTest::newRow("raster") << "task.patterns[0].desired_s"
                                << "[[0.06]]"
                                << "";
        QTest::newRow("layer list") << "network.layers"
                                    << "[]"
                                    << "";
        QTest::newRow("range is not checked") << "simulation.dt_s"
                                              << "-1"
                                              << "";
        QTest::newRow("wrong type") << "training.maxEpochs"
                                    << "\"many\""
                                    << "takes a number, not string \"many\"";
        QTest::newRow("object for a number") << "seed"
                                             << "{}"
                                             << "takes a number, not an object";
        QTest::newRow("unknown") << "network.neuron.colour"
                                 << "1"
                                 << "names no field";
        QTest::newRow("a rule's setting") << "training.rules.psd.peakNormalized"
                                          << "false"
                                          << "";
        QTest::newRow("a rule's setting, wrong type") << "training.rules.normad.vdotMode"
                                                      << "1"
                                                      << "takes a string, not number";
        QTest::newRow("unknown rule setting") << "training.rules.resume.colour"
                                              << "1"
                                              << "names no field";
        QTest::newRow("weights of a neuron") << "network.neuron.weights_A"
                                             << "[]"
                                             << "names no field";
    }

    void checksWithoutAProject()
    {
        QFETCH(QString, path);
        QFETCH(QString, value);
        QFETCH(QString, problem);
        const QString found = QString::fromStdString(checkFieldValue(path.toStdString(), value.toStdString()));
        if (problem.isEmpty())
            QCOMPARE(found, QString());
        else
            QVERIFY2(found.contains(problem), qPrintable(found));
        QCOMPARE(QString::fromStdString(checkFieldPath(path.toStdString())).isEmpty(),
                 !found.contains("names no field"));
    }
};

QTEST_APPLESS_MAIN(TestProjectFields)
#include "tst_projectfields.moc"
