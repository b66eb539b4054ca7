// Small, fast versions of the papers' experiments on fixed seeds (docs/reproduction.md has the
// full runs): a change that breaks learning fails here.

#include "normad/Reproduction.h"
#include "normad/TaskGenerators.h"
#include "normad/Trainer.h"

#include <QtTest>

#include <algorithm>

using namespace normad;

namespace {

reproduction::VariantSummary runVariant(const std::string& experiment, const std::string& variant, int trials,
                                        std::uint64_t seed, int epochs)
{
    reproduction::RunOptions o;
    o.trials = trials;
    o.firstSeed = seed;
    o.threads = 2;
    o.maxEpochs = epochs;
    o.variants = {variant};
    return reproduction::run(reproduction::experiment(experiment), o).at(0);
}

QString describe(const reproduction::VariantSummary& s)
{
    return QString("%1: %2/%3 solved, median %4 epochs")
        .arg(QString::fromStdString(s.name))
        .arg(s.successes())
        .arg(s.trials.size())
        .arg(s.medianEpochsToSuccess());
}

} // namespace

class TestExperiments : public QObject {
    Q_OBJECT

private slots:
    void xorNeedsTheHiddenLayer();
    void hiddenTrainingHelpsGenericMapping();
    void normadBeatsResume();
    void resultsDoNotDependOnThreads();
    void continuedTrialJudgesLikeTheTrainer();
    void matchToleranceKeepsSolutions();
    void learntMarginKeepsSolutions_data();
    void learntMarginKeepsSolutions();
    void learntMarginReturnsSolutionsOnTrainingPasses_data();
    void learntMarginReturnsSolutionsOnTrainingPasses();
    void settingsApplyToEveryTrial();
    void unknownNamesAreRefused();
};

void TestExperiments::xorNeedsTheHiddenLayer()
{
    // Spec §5 check 13: the built-in XOR is solved on every seed; with the hidden layer frozen the
    // same networks mostly fail (a single layer cannot represent XOR).
    const auto all = runVariant("xor", "default", 6, 100, 300);
    const auto frozen = runVariant("xor", "output-only", 6, 100, 300);
    QVERIFY2(all.successes() == 6, qPrintable(describe(all)));
    QVERIFY2(frozen.successes() <= 3, qPrintable(describe(frozen)));
    for (const auto& t : all.trials)
        QVERIFY(t.finalMinCorrelation >= 0.8); // the returned networks do meet the criterion
}

void TestExperiments::hiddenTrainingHelpsGenericMapping()
{
    // Spec §5 check 11 on 100 → 50 → 1 with a teacher: all layers converge at least as often as the
    // output layer alone, and faster.
    const auto all = runVariant("multilayer", "100-50-1-all", 6, 100, 300);
    const auto output = runVariant("multilayer", "100-50-1-output", 6, 100, 300);
    QVERIFY2(all.successes() >= output.successes() && all.successes() >= 5,
             qPrintable(describe(all) + " vs " + describe(output)));
    QVERIFY2(all.medianEpochsToSuccess() < output.medianEpochsToSuccess(),
             qPrintable(describe(all) + " vs " + describe(output)));
}

void TestExperiments::normadBeatsResume()
{
    // Spec §5 check 8, reduced: on the same problems NormAD converges at least as often as ReSuMe at
    // its best setting of the spec's grid (η = 0.1 nA, τ = 10 ms, a = 0.05: 19/20, median 21 epochs in
    // docs/reproduction.md) and faster.
    const auto normad = runVariant("single", "normad", 6, 100, 300);
    const auto resume = runVariant("single", "resume-eta0.1nA-tau10ms-a0.05", 6, 100, 300);
    QVERIFY2(normad.successes() == 6, qPrintable(describe(normad)));
    QVERIFY2(normad.successes() >= resume.successes(), qPrintable(describe(normad) + " vs " + describe(resume)));
    QVERIFY2(resume.successes() == 0 || normad.medianEpochsToSuccess() < resume.medianEpochsToSuccess(),
             qPrintable(describe(normad) + " vs " + describe(resume)));
}

void TestExperiments::resultsDoNotDependOnThreads()
{
    reproduction::RunOptions o;
    o.trials = 4;
    o.maxEpochs = 20;
    o.variants = {"normad", "normad-tau10ms"};
    o.threads = 1;
    const auto one = reproduction::run(reproduction::experiment("single"), o);
    o.threads = 3;
    const auto three = reproduction::run(reproduction::experiment("single"), o);
    QCOMPARE(one.size(), three.size());
    for (std::size_t v = 0; v < one.size(); ++v)
        for (std::size_t k = 0; k < one[v].trials.size(); ++k) {
            QCOMPARE(one[v].trials[k].seed, three[v].trials[k].seed);
            QCOMPARE(one[v].trials[k].minCorrelation, three[v].trials[k].minCorrelation);
        }
}

namespace {
// A variant of the stability experiment with a shorter continuation.
reproduction::Variant stabilityVariant(const std::string& name, int epochsAfterSuccess)
{
    for (const reproduction::Variant& v : reproduction::experiment("stability").variants)
        if (v.name == name) {
            reproduction::Variant copy = v;
            copy.epochsAfterSuccess = epochsAfterSuccess;
            return copy;
        }
    throw std::invalid_argument("no stability variant " + name);
}
} // namespace

void TestExperiments::continuedTrialJudgesLikeTheTrainer()
{
    // The continued trial finds the first success in the same epoch as the trainer's own stop
    // (convergeOnEvaluation), and then trains exactly the epochs asked for.
    const reproduction::Variant continued = stabilityVariant("xor", 5);
    const reproduction::Variant& plain = reproduction::experiment("xor").variants.at(0); // "default"
    for (std::uint64_t seed : {1, 2}) {
        const reproduction::TrialResult a = reproduction::runTrial(continued, seed, 300);
        const reproduction::TrialResult b = reproduction::runTrial(plain, seed, 300);
        QVERIFY(a.success && b.success);
        QCOMPARE(a.epochsToSuccess, b.epochsToSuccess);
        QCOMPARE(a.epochsAfterSuccess, 5);
        QCOMPARE(a.epochs, b.epochs + 5);
        QCOMPARE(static_cast<int>(a.minCorrelation.size()), a.epochs);
        QCOMPARE(a.minCorrelation.at(static_cast<std::size_t>(b.epochs - 1)), b.minCorrelation.back());
    }
}

void TestExperiments::matchToleranceKeepsSolutions()
{
    // Issue 13, point 1, reduced (docs/reproduction.md has 20 seeds × 300 epochs): on these XOR seeds
    // the papers' rule loses its first solution within EPOCHS more epochs of training; with a match
    // tolerance every one stays solved at the end of every epoch.
    constexpr int epochs = 50;
    const std::vector<std::uint64_t> seeds = {10, 19};
    int lost = 0;
    for (std::uint64_t seed : seeds) {
        const reproduction::TrialResult papers = reproduction::runTrial(stabilityVariant("xor", epochs), seed, 300);
        const reproduction::TrialResult tolerant =
            reproduction::runTrial(stabilityVariant("xor-tol1ms", epochs), seed, 300);
        QVERIFY(papers.success && tolerant.success);
        lost += papers.heldEpochs < papers.epochsAfterSuccess ? 1 : 0;
        QVERIFY2(tolerant.epochsAfterSuccess == epochs && tolerant.heldEpochs == epochs,
                 qPrintable(QString("seed %1: held %2 of %3 epochs").arg(seed).arg(tolerant.heldEpochs).arg(epochs)));
    }
    QVERIFY2(lost == static_cast<int>(seeds.size()), qPrintable(QString("the papers' rule lost %1").arg(lost)));
}

void TestExperiments::learntMarginKeepsSolutions_data()
{
    // Seeds on which the papers' rule loses its first solution within a few epochs (docs/reproduction.md,
    // "Solutions that stay solved": XOR seeds 2 and 18 at once, single-neuron seeds 3 and 20 after 4 and 1).
    QTest::addColumn<QString>("task");
    QTest::addColumn<qulonglong>("seed");
    QTest::newRow("xor, seed 2") << QString("xor") << qulonglong(2);
    QTest::newRow("xor, seed 18") << QString("xor") << qulonglong(18);
    QTest::newRow("single, seed 3") << QString("single") << qulonglong(3);
    QTest::newRow("single, seed 20") << QString("single") << qulonglong(20);
}

void TestExperiments::learntMarginKeepsSolutions()
{
    // Issue 13, point 1, reduced (20 seeds × 300 epochs in docs/reproduction.md): with the learnt
    // margin at the task's criterion (NormadSettings::learntCorrelation) the first solution is a fixed
    // point and meets the criterion at the end of every later epoch; the papers' rule loses it.
    QFETCH(QString, task);
    QFETCH(qulonglong, seed);
    constexpr int epochs = 20;
    const std::string name = task.toStdString();
    const reproduction::TrialResult papers = reproduction::runTrial(stabilityVariant(name, epochs), seed, 300);
    const reproduction::TrialResult learnt =
        reproduction::runTrial(stabilityVariant(name + "-learnt", epochs), seed, 300);
    QVERIFY(papers.success && learnt.success);
    QCOMPARE(papers.epochsAfterSuccess, epochs);
    QVERIFY2(papers.heldEpochs < epochs, qPrintable(QString("the papers' rule held all %1 epochs").arg(epochs)));
    QCOMPARE(learnt.epochsAfterSuccess, epochs);
    QCOMPARE(learnt.heldEpochs, epochs);
    // A fixed point: the worst pattern's C does not move after the first success.
    const auto solved = learnt.minCorrelation.begin() + (learnt.epochsToSuccess - 1);
    QVERIFY(std::all_of(solved, learnt.minCorrelation.end(), [&](double c) { return c == *solved; }));
    if (task == "single") // one pattern: the margin changes nothing before the first success
        QCOMPARE(learnt.epochsToSuccess, papers.epochsToSuccess);
}

void TestExperiments::learntMarginReturnsSolutionsOnTrainingPasses_data()
{
    // XOR seeds whose training passes meet the criterion while the network returned does not, with
    // the papers' rule (docs/reproduction.md: 7/20 returned networks meet it, 20/20 with the margin).
    QTest::addColumn<qulonglong>("seed");
    QTest::newRow("seed 3") << qulonglong(3);
    QTest::newRow("seed 8") << qulonglong(8);
}

void TestExperiments::learntMarginReturnsSolutionsOnTrainingPasses()
{
    // Judged on the training passes (convergeOnEvaluation = false), an epoch whose passes all meet the
    // learnt margin made no update, so with the margin at the criterion the network the trainer
    // returns is the one the passes judged.
    QFETCH(qulonglong, seed);
    auto returnedMeetsCriterion = [seed](double margin) {
        Project p = generators::xorTask(seed);
        p.ensureWeights();
        p.training.convergeOnEvaluation = false;
        p.training.setSetting("normad", "learntCorrelation", margin);
        Trainer trainer(p.network, p.task, p.simulation, p.training, p.seed);
        trainer.setThreads(1);
        const TrainingResult& r = trainer.run(nullptr, nullptr, 300);
        if (r.reason != StopReason::Converged)
            return false;
        TrainingParams judged = p.training;
        judged.convergeOnEvaluation = true;
        Trainer judge(trainer.network(), p.task, p.simulation, judged, p.seed);
        return judge.evaluate().converged;
    };
    QVERIFY(!returnedMeetsCriterion(1.0)); // the papers' rule stopped on passes its last update undid
    QVERIFY(returnedMeetsCriterion(0.8));
}

void TestExperiments::settingsApplyToEveryTrial()
{
    // RunOptions::settings set a project field in every trial's project (the ε′ lag table).
    reproduction::RunOptions o;
    o.trials = 1;
    o.maxEpochs = 1;
    o.variants = {"default"};
    o.settings = {{"training.rules.normad.epsilonLag", "\"nextStep\""}};
    const auto next = reproduction::run(reproduction::experiment("xor"), o).at(0);
    QVERIFY2(QString::fromStdString(next.rule).contains("ε′ lag nextStep"), next.rule.c_str());
    o.settings = {{"training.rules.normad.epsilonLagg", "\"nextStep\""}};
    try {
        reproduction::run(reproduction::experiment("xor"), o);
        QFAIL("an unknown field was accepted");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(QString(e.what()).contains("epsilonLagg"), e.what());
    }
}

void TestExperiments::unknownNamesAreRefused()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, reproduction::experiment("nope"));
    reproduction::RunOptions o;
    o.variants = {"nope"};
    try {
        reproduction::run(reproduction::experiment("xor"), o);
        QFAIL("an unknown variant was accepted");
    } catch (const std::invalid_argument& e) {
        QVERIFY(QString(e.what()).contains("output-only")); // lists the known variants
    }
}

QTEST_APPLESS_MAIN(TestExperiments)
#include "tst_experiments.moc"
