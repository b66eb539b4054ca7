// Training loop: the 2015 paper's single-neuron problem learns (spec §5 checks 5–6), stop criteria,
// guards, determinism, stepping, cancellation and the observer.

#include "normad/Metrics.h"
#include "normad/Pattern.h"
#include "normad/Simulator.h"
#include "normad/TaskGenerators.h"
#include "normad/Trainer.h"
#include "normad/TrainingObserver.h"

#include <QtTest>

#include <algorithm>
#include <thread>

using namespace normad;

namespace {

// Compared as text so a failure prints the reasons.
QString reason(StopReason r)
{
    return QString::fromStdString(toString(r));
}

Trainer trainerFor(const Project& p)
{
    return Trainer(p.network, p.task, p.simulation, p.training, p.seed);
}

struct CountingObserver : TrainingObserver {
    int patterns = 0, epochs = 0, finishedCalls = 0;
    std::vector<int> epochNumbers;
    void patternFinished(const PatternSnapshot& s) override
    {
        ++patterns;
        QVERIFY(s.record.layers.size() == 2 || s.record.layers.size() == 3);
    }
    void epochFinished(const EpochMetrics& e, const Network&) override
    {
        ++epochs;
        epochNumbers.push_back(e.epoch);
    }
    void trainingFinished(const TrainingResult&) override { ++finishedCalls; }
};

int median(std::vector<int> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? -1 : v[v.size() / 2];
}

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT

private slots:
    void singleNeuronLearns();
    void effectiveTimeConstantMatters();
    void deterministicForSeed();
    void onlineEqualsBatchForOnePattern();
    void stepPatternAndEpoch();
    void cancelThenResumeGivesSameResult();
    void cancelLandsPromptly();
    void observerSeesEveryPatternAndEpoch();
    void runawayGuard();
    void silentHiddenLayerGuard();
    void nonFiniteGuard();
    void stagnationStops();
    void rateDecayShrinksSteps();
    void finalEvaluationMatchesWeights_data();
    void finalEvaluationMatchesWeights();
    void resumeRuleTrainsSingleNeuron();
    void classificationCriterion();
};

void TestTrainer::singleNeuronLearns()
{
    // Spec §5 check 5 on 10 fixed seeds: C ≥ 0.98 within 100 epochs in ≥ 9/10, median ≤ 30.
    std::vector<int> epochs;
    for (int seed = 100; seed < 110; ++seed) {
        Trainer t = trainerFor(generators::singleNeuron(seed));
        const TrainingResult& r = t.run(nullptr, nullptr, 100);
        if (r.reason == StopReason::Converged)
            epochs.push_back(r.convergedEpoch);
    }
    QVERIFY2(epochs.size() >= 9, qPrintable(QString("converged %1/10").arg(epochs.size())));
    QVERIFY2(median(epochs) <= 30, qPrintable(QString("median %1 epochs").arg(median(epochs))));
}

void TestTrainer::effectiveTimeConstantMatters()
{
    // Spec §5 check 6: τL′ = τL = 10 ms is clearly worse than 1 ms (≥ 3× the median, or more failures).
    std::vector<int> fast, slow;
    int slowFailures = 0, fastFailures = 0;
    for (int seed = 200; seed < 208; ++seed) {
        for (double tau : {1e-3, 10e-3}) {
            Project p = generators::singleNeuron(seed);
            p.training.setSetting("normad", "effectiveTimeConstant_s", tau);
            Trainer t = trainerFor(p);
            const TrainingResult& r = t.run(nullptr, nullptr, 400);
            const bool ok = r.reason == StopReason::Converged;
            (tau < 5e-3 ? fastFailures : slowFailures) += ok ? 0 : 1;
            if (ok)
                (tau < 5e-3 ? fast : slow).push_back(r.convergedEpoch);
        }
    }
    QVERIFY(fastFailures == 0);
    QVERIFY2(slowFailures > fastFailures || median(slow) >= 3 * median(fast),
             qPrintable(QString("median %1 vs %2 epochs, failures %3 vs %4")
                            .arg(median(fast))
                            .arg(median(slow))
                            .arg(fastFailures)
                            .arg(slowFailures)));
}

void TestTrainer::deterministicForSeed()
{
    generators::MultilayerOptions o;
    o.inputs = 30;
    o.hidden = {10};
    o.duration = 0.2;
    o.patterns = 2;
    const Project p = generators::multilayer(4, o);
    Trainer a = trainerFor(p), b = trainerFor(p);
    a.run(nullptr, nullptr, 5);
    b.run(nullptr, nullptr, 5);
    for (int l = 1; l <= 2; ++l)
        QVERIFY(a.network().weights(l) == b.network().weights(l));
    QCOMPARE(a.history().size(), b.history().size());
    for (std::size_t e = 0; e < a.history().size(); ++e)
        QCOMPARE(a.history()[e].meanCorrelation, b.history()[e].meanCorrelation);
    // A different project seed draws different weights.
    Project q = p;
    q.seed = 5;
    q.hasWeights = false;
    q.ensureWeights();
    QVERIFY(q.network.weights(1) != p.network.weights(1));
}

void TestTrainer::onlineEqualsBatchForOnePattern()
{
    Project p = generators::singleNeuron(3);
    Trainer online = trainerFor(p);
    p.training.schedule = UpdateSchedule::Batch;
    Trainer batch = trainerFor(p);
    online.run(nullptr, nullptr, 4);
    batch.run(nullptr, nullptr, 4);
    QVERIFY((online.network().weights(1) - batch.network().weights(1)).norm() == 0);
}

void TestTrainer::stepPatternAndEpoch()
{
    Project p = generators::xorTask(1);
    Trainer t = trainerFor(p);
    QVERIFY(t.stepPattern());
    QCOMPARE(t.completedEpochs(), 0);
    QVERIFY(t.stepEpoch()); // the remaining 3 patterns
    QCOMPARE(t.completedEpochs(), 1);
    QCOMPARE(t.history().size(), std::size_t(1));
    QCOMPARE(t.history()[0].patterns.size(), std::size_t(4));
    QVERIFY(t.stepEpoch());
    QCOMPARE(t.completedEpochs(), 2);
    // Stepping by patterns equals stepping by epochs.
    Trainer u = trainerFor(p);
    for (int k = 0; k < 8; ++k)
        QVERIFY(u.stepPattern());
    QVERIFY(u.network().weights(1) == t.network().weights(1));
    QVERIFY(u.network().weights(2) == t.network().weights(2));
}

void TestTrainer::cancelThenResumeGivesSameResult()
{
    const Project p = generators::singleNeuron(9);
    Trainer whole = trainerFor(p);
    whole.run(nullptr, nullptr, 6);

    Trainer parts = trainerFor(p);
    CancelFlag flag{true};
    const TrainingResult& r = parts.run(nullptr, &flag, 6);
    QCOMPARE(reason(r.reason), reason(StopReason::Cancelled));
    QCOMPARE(parts.completedEpochs(), 0);
    flag = false;
    parts.run(nullptr, &flag, 6);
    QCOMPARE(parts.completedEpochs(), whole.completedEpochs());
    QVERIFY(parts.network().weights(1) == whole.network().weights(1));
}

void TestTrainer::cancelLandsPromptly()
{
    // A long trial (10 s, 500 inputs): the flag set from another thread stops run() promptly.
    generators::SingleNeuronOptions o;
    o.inputs = 500;
    o.duration = 10.0;
    Trainer t = trainerFor(generators::singleNeuron(1, o));
    CancelFlag flag{false};
    QElapsedTimer clock;
    qint64 setAt = 0;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        setAt = clock.elapsed();
        flag = true;
    });
    clock.start();
    const TrainingResult& r = t.run(nullptr, &flag, 1000);
    const qint64 stoppedAt = clock.elapsed();
    stopper.join();
    QCOMPARE(reason(r.reason), reason(StopReason::Cancelled));
    // The 50 ms goal is measured by bench_engine (CancelLatency): wall-clock bounds in CTest flake on
    // a loaded machine. Here: the stop lands long before the 10 s pattern would have finished.
    qInfo("stop took %lld ms", static_cast<long long>(stoppedAt - setAt));
    QVERIFY2(stoppedAt - setAt < 1000, qPrintable(QString("stop took %1 ms").arg(stoppedAt - setAt)));
}

void TestTrainer::observerSeesEveryPatternAndEpoch()
{
    Project p = generators::xorTask(2);
    p.training.maxEpochs = 3;
    p.training.targetCorrelation = 2; // never converges
    Trainer t = trainerFor(p);
    CountingObserver obs;
    const TrainingResult& r = t.run(&obs);
    QCOMPARE(reason(r.reason), reason(StopReason::MaxEpochs));
    QCOMPARE(obs.patterns, 12);
    QCOMPARE(obs.epochs, 3);
    QCOMPARE(obs.finishedCalls, 1);
    QCOMPARE(obs.epochNumbers, (std::vector<int>{1, 2, 3}));
}

void TestTrainer::runawayGuard()
{
    Project p = generators::singleNeuron(1);
    p.network.setWeights(1, Eigen::MatrixXd::Constant(1, 100, 20e-9));
    Trainer t = trainerFor(p);
    const TrainingResult& r = t.run(nullptr, nullptr, 10);
    QCOMPARE(reason(r.reason), reason(StopReason::RunawayLayer));
    QVERIFY(QString::fromStdString(r.message).contains("layer 1"));
}

void TestTrainer::silentHiddenLayerGuard()
{
    generators::MultilayerOptions o;
    o.inputs = 20;
    o.hidden = {5};
    o.duration = 0.1;
    Project p = generators::multilayer(1, o);
    p.network.setWeights(1, Eigen::MatrixXd::Constant(5, 20, -1e-9));
    p.training.silentEpochs = 3;
    Trainer t = trainerFor(p);
    const TrainingResult& r = t.run(nullptr, nullptr, 50);
    QCOMPARE(reason(r.reason), reason(StopReason::SilentLayer));
    QCOMPARE(r.epochs, 3);
    QVERIFY(QString::fromStdString(r.message).contains("hidden layer 1"));
}

void TestTrainer::nonFiniteGuard()
{
    Project p = generators::singleNeuron(1);
    p.network.setWeights(1, Eigen::MatrixXd::Constant(1, 100, 1e308));
    Trainer t = trainerFor(p);
    const TrainingResult& r = t.run(nullptr, nullptr, 10);
    QCOMPARE(reason(r.reason), reason(StopReason::NonFinite));
    QVERIFY(QString::fromStdString(r.message).contains("non-finite"));
}

void TestTrainer::stagnationStops()
{
    Project p = generators::singleNeuron(1);
    p.network.layer(1).learningRate = 0; // nothing changes: stagnates at once
    p.training.stagnationEpochs = 4;
    Trainer t = trainerFor(p);
    const TrainingResult& r = t.run(nullptr, nullptr, 100);
    QCOMPARE(reason(r.reason), reason(StopReason::Stagnated));
    QCOMPARE(r.epochs, 5);
}

void TestTrainer::rateDecayShrinksSteps()
{
    // With r halved every epoch the total movement is bounded by 2r·(errors per epoch) — compare
    // the size of the epoch-3 step against epoch 1 on a problem that keeps errors.
    Project p = generators::singleNeuron(6);
    p.training.rateDecayEvery = 1;
    p.training.rateDecayFactor = 0.5;
    p.training.targetCorrelation = 2;
    Trainer t = trainerFor(p);
    std::vector<double> stepNorms;
    Eigen::MatrixXd before = t.network().weights(1);
    for (int e = 0; e < 3; ++e) {
        t.stepEpoch();
        stepNorms.push_back((t.network().weights(1) - before).norm() /
                            std::max(1, t.history().back().patterns[0].errorInstants));
        before = t.network().weights(1);
    }
    // Each error instant moves w by at most r·scale: the per-error bound halves every epoch.
    QVERIFY(stepNorms[0] <= 1e-9 * (1 + 1e-12));
    QVERIFY(stepNorms[1] <= 0.5e-9 * (1 + 1e-12));
    QVERIFY(stepNorms[2] <= 0.25e-9 * (1 + 1e-12));
}

void TestTrainer::finalEvaluationMatchesWeights_data()
{
    QTest::addColumn<QString>("task");
    QTest::addColumn<int>("epochs");
    // Converged: the evaluation made at the epoch's end is handed on; stopped at the epoch limit:
    // stop() evaluates. XOR has four patterns, two distinct targets and a hidden layer.
    QTest::newRow("single neuron, converged") << "single" << 100;
    QTest::newRow("xor, epoch limit") << "xor" << 3;
    QTest::newRow("3-layer, epoch limit") << "multilayer" << 2;
}

void TestTrainer::finalEvaluationMatchesWeights()
{
    // The final evaluation against a forward pass computed here: a fresh simulator with the trained
    // weights on each pattern, the output compared with the desired trains by the metric functions.
    QFETCH(QString, task);
    QFETCH(int, epochs);
    Project p = task == "single" ? generators::singleNeuron(2)
                : task == "xor"  ? generators::xorTask(1)
                                 : generators::multilayer(2);
    p.ensureWeights();
    Trainer t = trainerFor(p);
    const TrainingResult& r = t.run(nullptr, nullptr, epochs);
    if (task == "single") {
        QCOMPARE(reason(r.reason), reason(StopReason::Converged));
        QVERIFY(r.finalEvaluation.minCorrelation > 0.9);
    } else {
        QCOMPARE(reason(r.reason), reason(StopReason::MaxEpochs));
    }
    const MetricParams& mp = t.params().metrics;
    const EpochMetrics& e = r.finalEvaluation;
    QCOMPARE(e.patterns.size(), p.task.patterns.size());
    double worst = 1, meanSum = 0;
    for (std::size_t i = 0; i < p.task.patterns.size(); ++i) {
        const Pattern& pattern = p.task.patterns[i];
        const SimulationRecord rec = Simulator(t.network(), p.simulation).run(pattern.inputs);
        double patternWorst = 1, patternSum = 0;
        int outputSpikes = 0;
        for (std::size_t o = 0; o < pattern.desired.size(); ++o) {
            const SpikeTrain actual = toTimes(rec.layers.back().spikes[o], p.simulation.dt);
            // Nothing wanted and nothing came is a perfect answer (C itself is 0 for empty trains).
            const double c = actual.empty() && pattern.desired[o].empty()
                                 ? 1.0
                                 : metrics::correlation(pattern.desired[o], actual, mp.kernel, mp.correlationWidth);
            patternWorst = std::min(patternWorst, c);
            patternSum += c;
            outputSpikes += static_cast<int>(actual.size());
        }
        const PatternMetrics& m = e.patterns[i];
        const QString where = QStringLiteral("pattern %1").arg(i);
        QVERIFY2(
            m.outputSpikes == outputSpikes,
            qPrintable(where + QStringLiteral(": %1 spikes, recomputed %2").arg(m.outputSpikes).arg(outputSpikes)));
        QVERIFY2(std::abs(m.minCorrelation - patternWorst) <= 1e-12,
                 qPrintable(where + QStringLiteral(": C %1, recomputed %2").arg(m.minCorrelation).arg(patternWorst)));
        QVERIFY2(std::abs(m.correlation - patternSum / static_cast<double>(pattern.desired.size())) <= 1e-12,
                 qPrintable(where + QStringLiteral(": mean C %1").arg(m.correlation)));
        worst = std::min(worst, patternWorst);
        meanSum += patternSum / static_cast<double>(pattern.desired.size());
    }
    QVERIFY2(std::abs(e.minCorrelation - worst) <= 1e-12,
             qPrintable(QStringLiteral("worst C %1, recomputed %2").arg(e.minCorrelation).arg(worst)));
    QVERIFY(std::abs(e.meanCorrelation - meanSum / static_cast<double>(p.task.patterns.size())) <= 1e-12);
}

void TestTrainer::resumeRuleTrainsSingleNeuron()
{
    // The baseline learns too (slower): best C improves clearly over 150 epochs on an easy seed.
    Project p = generators::singleNeuron(1);
    p.training.rule = "resume";
    p.network.layer(1).learningRate = 1e-9;
    Trainer t = trainerFor(p);
    const TrainingResult& r = t.run(nullptr, nullptr, 150);
    double best = 0;
    for (const auto& e : r.history)
        best = std::max(best, e.minCorrelation);
    QVERIFY2(best > 0.7, qPrintable(QString("best C %1").arg(best)));
}

void TestTrainer::classificationCriterion()
{
    // XOR has two distinct targets: an output equal to its own target is classified, one equal to
    // the other class's target is not, even though both are perfect spike trains.
    Project p = generators::xorTask(1);
    p.training.convergence = Convergence::Classification;
    p.training.targetCorrelation = 0.8;
    Trainer t = trainerFor(p);
    const Pattern& zero = p.task.patterns[0]; // 0 XOR 0 = 0
    const Pattern& one = p.task.patterns[1];  // 0 XOR 1 = 1
    QVERIFY(zero.desired[0] != one.desired[0]);
    SimulationRecord rec;
    rec.steps = p.simulation.steps();
    rec.dt = p.simulation.dt;
    rec.layers.resize(3);
    rec.activity(2).spikes = {toSteps(zero.desired[0], rec.dt)};
    const PatternMetrics own = t.measure(rec, zero);
    QVERIFY(own.classified);
    QVERIFY(own.converged);
    const PatternMetrics swapped = t.measure(rec, one);
    QVERIFY(!swapped.classified);
    QVERIFY(!swapped.converged);
    // With the correlation criterion only C counts.
    p.training.convergence = Convergence::Correlation;
    Trainer c = trainerFor(p);
    QVERIFY(!c.measure(rec, one).converged);
    QVERIFY(c.measure(rec, zero).converged);
}

QTEST_APPLESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
