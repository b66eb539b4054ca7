// Parallel epochs (issue 9): in batch and mini-batch modes the trained weights, the history and the
// evaluations are the same bits for 1, 2 and 3 threads, for an inline task and a dataset task; the
// batch update is the exact sum of the patterns' updates; online mode ignores the thread count;
// stepping mixes with run(); a cancelled parallel epoch resumes to the same result; a batch split
// over in-process "ranks" (DataParallelGroup) gives the same weights as one process; a pool keeps
// freed buffers in the process.

#include "TinyTable.h"

#include "normad/Checkpoint.h"
#include "normad/DatasetTask.h"
#include "normad/Evaluation.h"
#include "normad/ExactSum.h"
#include "normad/ProjectIo.h"
#include "normad/RuleRegistry.h"
#include "normad/TaskGenerators.h"
#include "normad/ThreadPool.h"
#include "normad/Trainer.h"
#include "normad/TrainingObserver.h"

#include <QTemporaryDir>
#include <QTest>

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define GLIBC_MALLOC 1 // ASan and TSan bring their own allocators
#include <malloc.h>
#endif

#include <bit>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

using namespace normad;

namespace {

Project smallMultilayer(UpdateSchedule schedule, int batchSize)
{
    generators::MultilayerOptions o;
    o.inputs = 30;
    o.hidden = {10};
    o.duration = 0.2;
    o.patterns = 7;
    Project p = generators::multilayer(4, o);
    p.training.schedule = schedule;
    p.training.batchSize = batchSize;
    p.training.shufflePatterns = true;
    return p;
}

Trainer trainerFor(const Project& p, int threads)
{
    Trainer t(p.network, p.task, p.simulation, p.training, p.seed);
    t.setThreads(threads);
    return t;
}

// Bit-for-bit: NaN == NaN and −0 ≠ +0 here, unlike ==.
bool sameBits(double a, double b)
{
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

void compareNetworks(const Network& a, const Network& b)
{
    QCOMPARE(a.layerCount(), b.layerCount());
    for (int l : a.layerNumbers()) {
        const Eigen::MatrixXd& x = a.weights(l);
        const Eigen::MatrixXd& y = b.weights(l);
        QCOMPARE(x.size(), y.size());
        for (Eigen::Index i = 0; i < x.size(); ++i)
            QVERIFY2(sameBits(x.data()[i], y.data()[i]), qPrintable(QString("layer %1 weight %2: %3 vs %4")
                                                                        .arg(l)
                                                                        .arg(i)
                                                                        .arg(x.data()[i], 0, 'g', 17)
                                                                        .arg(y.data()[i], 0, 'g', 17)));
    }
}

void compareHistories(const std::vector<EpochMetrics>& a, const std::vector<EpochMetrics>& b)
{
    QCOMPARE(a.size(), b.size());
    for (std::size_t e = 0; e < a.size(); ++e) {
        QVERIFY(sameBits(a[e].meanCorrelation, b[e].meanCorrelation));
        QVERIFY(sameBits(a[e].minCorrelation, b[e].minCorrelation));
        QVERIFY(sameBits(a[e].vanRossum, b[e].vanRossum));
        QVERIFY(sameBits(a[e].cost, b[e].cost));
        QVERIFY(sameBits(a[e].trainAccuracy, b[e].trainAccuracy));
        QVERIFY(sameBits(a[e].validationAccuracy, b[e].validationAccuracy));
        QVERIFY(sameBits(a[e].evaluatedMinCorrelation, b[e].evaluatedMinCorrelation));
        QCOMPARE(a[e].presented, b[e].presented);
        QCOMPARE(a[e].classified, b[e].classified);
        QCOMPARE(a[e].patterns.size(), b[e].patterns.size());
        for (std::size_t p = 0; p < a[e].patterns.size(); ++p)
            QVERIFY(sameBits(a[e].patterns[p].correlation, b[e].patterns[p].correlation));
        QCOMPARE(a[e].layerRates.size(), b[e].layerRates.size());
        for (std::size_t l = 0; l < a[e].layerRates.size(); ++l)
            QVERIFY(sameBits(a[e].layerRates[l], b[e].layerRates[l]));
    }
}

using testdata::tinyNetwork;
using testdata::tinyTrial;

/// The tiny dataset of tests/common/TinyTable.h with a fifth of each class for validation.
std::shared_ptr<const LoadedDataset> tinyDataset(const std::string& directory)
{
    std::ofstream(directory + "/tiny.csv", std::ios::binary) << testdata::tinyTable();
    return LoadedDataset::load(testdata::tinySpec(directory, 0.2), directory, tinyTrial());
}

/// P in-process "ranks" on threads: the collectives of DataParallelGroup over shared memory, so the
/// sharding logic is tested without MPI (and under ThreadSanitizer).
class LocalGroups {
public:
    explicit LocalGroups(int ranks) : m_ranks(ranks), m_words(static_cast<std::size_t>(ranks)), m_bytes(ranks)
    {
        for (int r = 0; r < ranks; ++r)
            m_groups.push_back(std::make_unique<Rank>(*this, r));
    }
    DataParallelGroup& rank(int r) { return *m_groups[static_cast<std::size_t>(r)]; }
    int allreduces() const { return m_allreduces; }

private:
    struct Rank final : DataParallelGroup {
        Rank(LocalGroups& g, int r) : groups(g), index(r) { }
        int rank() const override { return index; }
        int size() const override { return groups.m_ranks; }
        void allreduce(ExactSum& sum) override
        {
            groups.m_words[static_cast<std::size_t>(index)] = sum.raw();
            groups.barrier();
            // Each rank sums in its own order (its own rank last): still the same bits.
            std::vector<std::uint64_t> total = groups.m_words[static_cast<std::size_t>(index)];
            for (int k = groups.m_ranks - 1; k >= 0; --k)
                if (k != index) {
                    const auto& other = groups.m_words[static_cast<std::size_t>(k)];
                    ExactSum::addRaw(other.data(), total.data(), total.size() / ExactSum::limbsPerEntry);
                }
            groups.barrier();
            sum.setRaw(total);
            if (index == 0)
                ++groups.m_allreduces;
        }
        std::vector<std::uint8_t> allgather(const std::vector<std::uint8_t>& local) override
        {
            groups.m_bytes[static_cast<std::size_t>(index)] = local;
            groups.barrier();
            std::vector<std::uint8_t> all;
            for (const auto& part : groups.m_bytes)
                all.insert(all.end(), part.begin(), part.end());
            groups.barrier();
            return all;
        }
        LocalGroups& groups;
        int index;
    };

    void barrier()
    {
        std::unique_lock lock(m_mutex);
        const std::size_t generation = m_generation;
        if (++m_arrived == m_ranks) {
            m_arrived = 0;
            ++m_generation;
            m_cv.notify_all();
        } else {
            m_cv.wait(lock, [&] { return m_generation != generation; });
        }
    }

    int m_ranks;
    std::vector<std::vector<std::uint64_t>> m_words;
    std::vector<std::vector<std::uint8_t>> m_bytes;
    std::vector<std::unique_ptr<Rank>> m_groups;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    int m_arrived = 0;
    std::size_t m_generation = 0;
    int m_allreduces = 0;
};

/// Cancels after `after` patterns were reported.
struct CancellingObserver : TrainingObserver {
    CancelFlag* flag = nullptr;
    int after = 0;
    int seen = 0;
    void patternFinished(const PatternSnapshot&) override
    {
        if (++seen == after)
            flag->store(true);
    }
};

} // namespace

class TestParallelTraining : public QObject {
    Q_OBJECT

private slots:
    void inlineTaskSameForAnyThreadCount_data();
    void inlineTaskSameForAnyThreadCount();
    void datasetTaskSameForAnyThreadCount_data();
    void datasetTaskSameForAnyThreadCount();
    void onlineIgnoresThreadCount();
    void batchUpdateIsTheExactSum();
    void evaluationSameForAnyThreadCount();
    void steppingMixesWithRun();
    void cancelledParallelEpochResumes();
    void checkpointResumesToTheSameBits_data();
    void checkpointResumesToTheSameBits();
    void stateOnlyBetweenEpochs();
    void overflowingUpdateStopsAsNonFinite();
    void shardedOverRanksSameAsOneProcess_data();
    void shardedOverRanksSameAsOneProcess();
    void onlineCannotBeSharded();
    void datasetEvaluationSharedOverRanks();
    void memoryEstimateCountsThreads();
    void poolKeepsFreedBuffersInTheProcess();
    void observerOfEpochsOnlyGetsNoPatterns();
};

void TestParallelTraining::inlineTaskSameForAnyThreadCount_data()
{
    QTest::addColumn<int>("schedule");
    QTest::addColumn<int>("batchSize");
    QTest::newRow("batch") << int(UpdateSchedule::Batch) << 0;
    QTest::newRow("mini-batch 3") << int(UpdateSchedule::MiniBatch) << 3;
}

void TestParallelTraining::inlineTaskSameForAnyThreadCount()
{
    QFETCH(int, schedule);
    QFETCH(int, batchSize);
    const Project p = smallMultilayer(UpdateSchedule(schedule), std::max(1, batchSize));
    Trainer one = trainerFor(p, 1);
    one.run(nullptr, nullptr, 4);
    QVERIFY(one.network().weights(1) != p.network.weights(1)); // it trained
    for (int threads : {2, 3}) {
        Trainer many = trainerFor(p, threads);
        many.run(nullptr, nullptr, 4);
        compareNetworks(one.network(), many.network());
        compareHistories(one.history(), many.history());
    }
}

void TestParallelTraining::datasetTaskSameForAnyThreadCount_data()
{
    inlineTaskSameForAnyThreadCount_data();
}

void TestParallelTraining::datasetTaskSameForAnyThreadCount()
{
    QFETCH(int, schedule);
    QFETCH(int, batchSize);
    QTemporaryDir dir;
    const auto data = tinyDataset(dir.path().toStdString());
    TrainingParams params;
    params.schedule = UpdateSchedule(schedule);
    params.batchSize = std::max(1, batchSize);
    auto train = [&](int threads) {
        Trainer t(tinyNetwork(data->inputCount()), data, tinyTrial(), params, 3);
        t.setThreads(threads);
        t.run(nullptr, nullptr, 3);
        return t;
    };
    const Trainer one = train(1);
    QVERIFY(std::isfinite(one.history().back().validationAccuracy));
    for (int threads : {2, 3}) {
        const Trainer many = train(threads);
        compareNetworks(one.network(), many.network());
        compareHistories(one.history(), many.history());
        QVERIFY(sameBits(one.result().finalEvaluation.validationAccuracy,
                         many.result().finalEvaluation.validationAccuracy));
    }
}

void TestParallelTraining::onlineIgnoresThreadCount()
{
    const Project p = smallMultilayer(UpdateSchedule::Online, 1);
    Trainer one = trainerFor(p, 1);
    Trainer three = trainerFor(p, 3);
    one.run(nullptr, nullptr, 3);
    three.run(nullptr, nullptr, 3);
    compareNetworks(one.network(), three.network());
    compareHistories(one.history(), three.history());
    // Online stays the plain sequential sum of doubles: applying each pattern's update in turn.
    Trainer stepped = trainerFor(p, 2);
    for (int i = 0; i < 21; ++i)
        QVERIFY(stepped.stepPattern());
    compareNetworks(one.network(), stepped.network());
}

void TestParallelTraining::batchUpdateIsTheExactSum()
{
    Project p = smallMultilayer(UpdateSchedule::Batch, 1);
    p.training.convergeOnEvaluation = false;
    Trainer t = trainerFor(p, 3);
    QVERIFY(t.stepEpoch());
    // The same epoch by hand: every pattern's update with the initial weights, summed exactly.
    const auto rule = findRule(p.training.rule).create(p.network, p.simulation, p.training.settings());
    const Simulator sim(p.network, p.simulation);
    std::vector<ExactSum> sums;
    std::vector<Eigen::MatrixXd> naive;
    for (int l : p.network.layerNumbers()) {
        sums.emplace_back(static_cast<std::size_t>(p.network.weights(l).size()));
        naive.push_back(Eigen::MatrixXd::Zero(p.network.weights(l).rows(), p.network.weights(l).cols()));
    }
    for (const Pattern& pattern : p.task.patterns) {
        std::vector<StepTrain> inputs, desired;
        for (const SpikeTrain& s : pattern.inputs)
            inputs.push_back(toSteps(s, p.simulation.dt));
        for (const SpikeTrain& s : pattern.desired)
            desired.push_back(toSteps(s, p.simulation.dt));
        const SimulationRecord rec = sim.runSteps(inputs);
        const PatternGradient g = rule->compute(p.network, rec, desired);
        for (int l : p.network.layerNumbers()) {
            const Eigen::MatrixXd& d = g.delta(l);
            ofLayer(sums, l).add(std::span<const double>(d.data(), static_cast<std::size_t>(d.size())));
            ofLayer(naive, l) += d;
        }
    }
    Network expected = p.network;
    for (int l : p.network.layerNumbers()) {
        Eigen::MatrixXd dw(p.network.weights(l).rows(), p.network.weights(l).cols());
        ofLayer(sums, l).values(std::span<double>(dw.data(), static_cast<std::size_t>(dw.size())));
        expected.addToWeights(l, dw);
        QVERIFY((dw - ofLayer(naive, l)).norm() <= 1e-12 * ofLayer(naive, l).norm()); // close to the naive sum
    }
    compareNetworks(t.network(), expected);
}

void TestParallelTraining::evaluationSameForAnyThreadCount()
{
    const Project p = smallMultilayer(UpdateSchedule::Batch, 1);
    const EpochMetrics a = trainerFor(p, 1).evaluate();
    const EpochMetrics b = trainerFor(p, 3).evaluate();
    compareHistories({a}, {b});
    QCOMPARE(a.patterns.size(), p.task.patterns.size());

    QTemporaryDir dir;
    const auto data = tinyDataset(dir.path().toStdString());
    const Network net = tinyNetwork(data->inputCount());
    const ClassEvaluation serial =
        evaluate(net, data->patterns(Split::Train), tinyTrial(), {}, data->decision(), data->targets());
    ThreadPool pool(3);
    std::vector<std::size_t> progress;
    const ClassEvaluation parallel = evaluate(
        net, data->patterns(Split::Train), tinyTrial(), {}, data->decision(), data->targets(), nullptr,
        [&](std::size_t done, std::size_t) { progress.push_back(done); }, &pool);
    QCOMPARE(parallel.predictions.size(), serial.predictions.size());
    for (std::size_t i = 0; i < serial.predictions.size(); ++i) {
        QCOMPARE(parallel.predictions[i].sample, serial.predictions[i].sample);
        QCOMPARE(parallel.predictions[i].predicted, serial.predictions[i].predicted);
        QCOMPARE(parallel.predictions[i].outputSpikes, serial.predictions[i].outputSpikes);
        QCOMPARE(progress[i], i + 1); // in order, on the calling thread
    }
    QVERIFY(sameBits(parallel.accuracy, serial.accuracy));
    Trainer dataTrainer(net, data, tinyTrial(), {}, 1);
    dataTrainer.setThreads(1);
    const EpochMetrics one = dataTrainer.evaluate();
    dataTrainer.setThreads(3);
    compareHistories({one}, {dataTrainer.evaluate()});
}

void TestParallelTraining::steppingMixesWithRun()
{
    const Project p = smallMultilayer(UpdateSchedule::MiniBatch, 3);
    Trainer straight = trainerFor(p, 2);
    straight.run(nullptr, nullptr, 3);
    Trainer mixed = trainerFor(p, 3);
    for (int i = 0; i < 5; ++i) // into the middle of the second mini-batch
        QVERIFY(mixed.stepPattern());
    QVERIFY(mixed.stepEpoch());
    mixed.setThreads(1); // the thread count may change between steps too
    QVERIFY(mixed.stepPattern());
    mixed.setThreads(2);
    mixed.run(nullptr, nullptr, 3);
    compareNetworks(straight.network(), mixed.network());
    compareHistories(straight.history(), mixed.history());
}

void TestParallelTraining::cancelledParallelEpochResumes()
{
    // A cancel at each pattern of the second epoch (7 patterns an epoch, 3 threads): passes computed
    // ahead of their turn must be taken out of the batch sums again, whichever they are.
    const Project p = smallMultilayer(UpdateSchedule::Batch, 1);
    Trainer straight = trainerFor(p, 3);
    straight.run(nullptr, nullptr, 2);
    for (int after = 8; after <= 13; ++after) {
        Trainer interrupted = trainerFor(p, 3);
        CancelFlag cancel{false};
        CancellingObserver observer;
        observer.flag = &cancel;
        observer.after = after;
        interrupted.run(&observer, &cancel, 2);
        QCOMPARE(toString(interrupted.result().reason), toString(StopReason::Cancelled));
        QCOMPARE(interrupted.completedEpochs(), 1);
        cancel = false;
        interrupted.run(nullptr, &cancel, 2);
        compareNetworks(straight.network(), interrupted.network());
        QCOMPARE(interrupted.completedEpochs(), 2);
        // The epoch's metrics have every pattern of the resumed epoch exactly once.
        QCOMPARE(interrupted.history().back().patterns.size(), p.task.patterns.size());
        QVERIFY(sameBits(straight.history().back().meanCorrelation, interrupted.history().back().meanCorrelation));
    }
}

void TestParallelTraining::checkpointResumesToTheSameBits_data()
{
    QTest::addColumn<bool>("dataset");
    QTest::addColumn<int>("schedule");
    QTest::addColumn<int>("batchSize");
    for (bool dataset : {false, true}) {
        const char* task = dataset ? "tiny table" : "inline";
        QTest::addRow("%s, online", task) << dataset << int(UpdateSchedule::Online) << 1;
        QTest::addRow("%s, mini-batch of 3", task) << dataset << int(UpdateSchedule::MiniBatch) << 3;
        QTest::addRow("%s, batch", task) << dataset << int(UpdateSchedule::Batch) << 1;
    }
}

void TestParallelTraining::checkpointResumesToTheSameBits()
{
    // A checkpoint after epoch 2, through its file form (checkpointToJson), continued by a new
    // trainer: epochs 3 to 5 give the same weights and history as a trainer that never stopped.
    QFETCH(bool, dataset);
    QFETCH(int, schedule);
    QFETCH(int, batchSize);
    QTemporaryDir dir;
    Project p = smallMultilayer(UpdateSchedule(schedule), batchSize);
    std::shared_ptr<const LoadedDataset> data;
    if (dataset) {
        std::ofstream(dir.filePath("tiny.csv").toStdString(), std::ios::binary) << testdata::tinyTable();
        p.dataset = testdata::tinySpec(dir.path().toStdString(), 0.2);
        data = LoadedDataset::load(*p.dataset, dir.path().toStdString(), tinyTrial());
        p.network = tinyNetwork(data->inputCount());
        p.simulation = tinyTrial();
        p.task = {};
    }
    auto make = [&](const Network& network) {
        return data ? Trainer(network, data, p.simulation, p.training, p.seed)
                    : Trainer(network, p.task, p.simulation, p.training, p.seed);
    };
    Trainer straight = make(p.network);
    straight.setThreads(2);
    straight.run(nullptr, nullptr, 5);

    Trainer first = make(p.network);
    first.setThreads(2);
    std::string saved;
    first.run(nullptr, nullptr, 5, [&] {
        if (first.completedEpochs() != 2)
            return;
        Checkpoint c;
        c.project = p;
        c.project.network = first.network();
        c.project.hasWeights = true;
        c.maxEpochs = 5;
        c.trainer = first.state();
        // The workbench's runs continue a project's history: it is kept ahead of the run's own.
        EpochMetrics before;
        before.epoch = 1;
        before.minCorrelation = 0.25;
        c.earlierHistory = {before};
        saved = checkpointToJson(c);
    });
    QVERIFY(!saved.empty());
    const Checkpoint c = checkpointFromJson(saved, "checkpoint");
    QCOMPARE(c.trainer.completedEpochs, 2);
    QCOMPARE(c.earlierHistory.size(), std::size_t(1));
    QCOMPARE(c.earlierHistory[0].minCorrelation, 0.25);
    QCOMPARE(c.trainer.history.size(), std::size_t(2));
    // More earlier epochs than the history holds is not a checkpoint.
    std::string bad = saved;
    const std::size_t at = bad.find("\"earlierEpochs\":1");
    QVERIFY(at != std::string::npos);
    bad.replace(at, std::strlen("\"earlierEpochs\":1"), "\"earlierEpochs\":2");
    QVERIFY_THROWS_EXCEPTION(ProjectError, checkpointFromJson(bad, "checkpoint"));
    Trainer resumed = make(c.project.network);
    resumed.setThreads(3); // the thread count changes nothing, before or after a checkpoint
    resumed.restore(c.trainer);
    resumed.run(nullptr, nullptr, c.maxEpochs);
    QCOMPARE(resumed.completedEpochs(), 5);
    compareNetworks(straight.network(), resumed.network());
    compareHistories(straight.history(), resumed.history());
    QCOMPARE(toString(resumed.result().reason), toString(straight.result().reason));
    QVERIFY(sameBits(straight.result().bestMinCorrelation, resumed.result().bestMinCorrelation));
}

void TestParallelTraining::stateOnlyBetweenEpochs()
{
    const Project p = smallMultilayer(UpdateSchedule::Online, 1);
    Trainer t = trainerFor(p, 1);
    QVERIFY(t.atEpochBoundary());
    t.stepPattern();
    QVERIFY(!t.atEpochBoundary());
    QVERIFY_THROWS_EXCEPTION(std::logic_error, t.state());
    TrainerState bad = Trainer(trainerFor(p, 1)).state();
    bad.rng = "not a generator";
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, t.restore(bad));
    bad = trainerFor(p, 1).state();
    bad.completedEpochs = 3; // without the three epochs' history
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, t.restore(bad));
}

void TestParallelTraining::overflowingUpdateStopsAsNonFinite()
{
    Project p = smallMultilayer(UpdateSchedule::Batch, 1);
    for (int l : p.network.layerNumbers())
        p.network.layer(l).learningRate = 1e30; // an update far beyond 2^32 A
    Trainer t = trainerFor(p, 2);
    t.run(nullptr, nullptr, 2);
    QCOMPARE(toString(t.result().reason), toString(StopReason::NonFinite));
    QVERIFY2(t.result().message.find("exact-sum range") != std::string::npos, t.result().message.c_str());
    QVERIFY(t.network().weightsFinite()); // nothing of the bad batch was applied
}

void TestParallelTraining::shardedOverRanksSameAsOneProcess_data()
{
    QTest::addColumn<int>("schedule");
    QTest::addColumn<int>("ranks");
    QTest::newRow("batch, 2 ranks") << int(UpdateSchedule::Batch) << 2;
    QTest::newRow("batch, 3 ranks") << int(UpdateSchedule::Batch) << 3;
    QTest::newRow("mini-batch, 2 ranks") << int(UpdateSchedule::MiniBatch) << 2;
    QTest::newRow("mini-batch, 3 ranks") << int(UpdateSchedule::MiniBatch) << 3;
}

void TestParallelTraining::shardedOverRanksSameAsOneProcess()
{
    QFETCH(int, schedule);
    QFETCH(int, ranks);
    const Project p = smallMultilayer(UpdateSchedule(schedule), 3);
    Trainer alone = trainerFor(p, 1);
    alone.run(nullptr, nullptr, 3);
    LocalGroups groups(ranks);
    std::vector<std::unique_ptr<Trainer>> trainers;
    for (int r = 0; r < ranks; ++r) {
        trainers.push_back(std::make_unique<Trainer>(p.network, p.task, p.simulation, p.training, p.seed));
        trainers.back()->setThreads(r == 1 ? 2 : 1); // ranks may use threads too
        trainers.back()->setGroup(&groups.rank(r));
    }
    std::vector<std::jthread> threads;
    for (int r = 0; r < ranks; ++r)
        threads.emplace_back([&, r] { trainers[static_cast<std::size_t>(r)]->run(nullptr, nullptr, 3); });
    threads.clear(); // joins
    for (const auto& t : trainers) {
        compareNetworks(alone.network(), t->network());
        compareHistories(alone.history(), t->history());
        QCOMPARE(toString(t->result().reason), toString(alone.result().reason));
    }
    // One allreduce per batch: 3 epochs of ⌈7/3⌉ mini-batches, or of one batch.
    QCOMPARE(groups.allreduces(), schedule == int(UpdateSchedule::Batch) ? 3 : 9);
}

void TestParallelTraining::onlineCannotBeSharded()
{
    const Project p = smallMultilayer(UpdateSchedule::Online, 1);
    LocalGroups groups(2);
    Trainer t = trainerFor(p, 1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, t.setGroup(&groups.rank(0)));
}

void TestParallelTraining::datasetEvaluationSharedOverRanks()
{
    // A dataset run over 3 ranks: the same weights and history (validation accuracy included) as one
    // process, and each rank simulated only its block of the validation split — the per-epoch
    // evaluations are shared, not repeated on every rank.
    QTemporaryDir dir;
    const auto reference = tinyDataset(dir.path().toStdString());
    const Network net = tinyNetwork(reference->inputCount());
    TrainingParams params;
    params.schedule = UpdateSchedule::MiniBatch;
    params.batchSize = 5;
    Trainer alone(net, reference, tinyTrial(), params, 7);
    alone.run(nullptr, nullptr, 2);
    constexpr int ranks = 3;
    LocalGroups groups(ranks);
    std::vector<std::shared_ptr<const LoadedDataset>> data; // one per rank: each has its own cache
    std::vector<std::unique_ptr<Trainer>> trainers;
    for (int r = 0; r < ranks; ++r) {
        data.push_back(tinyDataset(dir.path().toStdString()));
        trainers.push_back(std::make_unique<Trainer>(net, data.back(), tinyTrial(), params, 7));
        trainers.back()->setGroup(&groups.rank(r));
    }
    std::vector<std::jthread> threads;
    for (int r = 0; r < ranks; ++r)
        threads.emplace_back([&, r] { trainers[static_cast<std::size_t>(r)]->run(nullptr, nullptr, 2); });
    threads.clear(); // joins
    const PatternSet& validation = reference->patterns(Split::Validation);
    QVERIFY(validation.size() >= static_cast<std::size_t>(ranks));
    for (int r = 0; r < ranks; ++r) {
        const Trainer& t = *trainers[static_cast<std::size_t>(r)];
        compareNetworks(alone.network(), t.network());
        compareHistories(alone.history(), t.history());
        QVERIFY(!std::isnan(t.history().back().validationAccuracy));
        const PatternSet& mine = data[static_cast<std::size_t>(r)]->patterns(Split::Validation);
        const auto [begin, end] = shareOf(mine.size(), r, ranks);
        for (std::size_t i = 0; i < mine.size(); ++i)
            QCOMPARE(mine.encoded()->isCached(mine.sampleIndex(i)), i >= begin && i < end);
    }

    // normad::evaluate over the ranks: every rank gets the whole result of one process.
    const ClassEvaluation serial =
        evaluate(net, validation, tinyTrial(), {}, reference->decision(), reference->targets());
    std::vector<ClassEvaluation> shared(ranks);
    for (int r = 0; r < ranks; ++r)
        threads.emplace_back([&, r] {
            const auto& d = *data[static_cast<std::size_t>(r)];
            shared[static_cast<std::size_t>(r)] =
                evaluate(net, d.patterns(Split::Validation), tinyTrial(), {}, d.decision(), d.targets(), nullptr, {},
                         nullptr, &groups.rank(r));
        });
    threads.clear();
    for (const ClassEvaluation& e : shared) {
        QCOMPARE(e.predictions.size(), serial.predictions.size());
        for (std::size_t i = 0; i < serial.predictions.size(); ++i) {
            QCOMPARE(e.predictions[i].sample, serial.predictions[i].sample);
            QCOMPARE(e.predictions[i].predicted, serial.predictions[i].predicted);
            QCOMPARE(e.predictions[i].outputSpikes, serial.predictions[i].outputSpikes);
        }
        QVERIFY(sameBits(e.accuracy, serial.accuracy));
    }
}

void TestParallelTraining::memoryEstimateCountsThreads()
{
    const Project p = smallMultilayer(UpdateSchedule::Batch, 1);
    const double weights = 30 * 10 + 10 * 1;
    QCOMPARE(Trainer::batchSumBytes(p.network, p.training, 3), 3 * 32 * weights);
    QCOMPARE(Trainer::batchSumBytes(p.network, p.training, 1), 32 * weights);
    TrainingParams online = p.training;
    online.schedule = UpdateSchedule::Online;
    QCOMPARE(Trainer::batchSumBytes(p.network, online, 3), 0.0);
}

void TestParallelTraining::poolKeepsFreedBuffersInTheProcess()
{
    const ThreadPool pool(2);
#if defined(GLIBC_MALLOC)
    // The pool set the thresholds when it started its thread. A block just under 32 MiB, larger than anything this test
    // process freed before: glibc's adaptive threshold (128 KiB at start, raised only by freeing mapped blocks) would
    // map it by itself and unmap it on free, so the next pattern's buffer would fault in again page by page.
    const std::size_t bytes = (std::size_t{32} << 20) - (std::size_t{1} << 20);
    const struct mallinfo2 before = mallinfo2();
    auto* block = static_cast<volatile char*>(std::malloc(bytes));
    QVERIFY(block != nullptr);
    for (std::size_t i = 0; i < bytes; i += 4096)
        block[i] = 1;
    const struct mallinfo2 during = mallinfo2();
    QCOMPARE(during.hblkhd, before.hblkhd); // from the arena, not a mapping of its own
    std::free(const_cast<char*>(block));
    const struct mallinfo2 after = mallinfo2();
    QVERIFY2(after.keepcost >= bytes, qPrintable(QString::number(after.keepcost))); // kept, not trimmed
    QVERIFY(tuneAllocatorForThreads());
#else
    QVERIFY(!tuneAllocatorForThreads());
#endif
}

void TestParallelTraining::observerOfEpochsOnlyGetsNoPatterns()
{
    // An observer that wants no patterns (the CLI's) gets none, and its passes are freed where they
    // were made; an observer of patterns gets every one with its update. The weights are the same.
    struct Counter final : TrainingObserver {
        bool patterns = true;
        int patternCalls = 0, nonEmptyUpdates = 0, epochCalls = 0;
        void patternFinished(const PatternSnapshot& s) override
        {
            ++patternCalls;
            nonEmptyUpdates += s.gradient.delta(1).size() > 0 ? 1 : 0;
        }
        void epochFinished(const EpochMetrics&, const Network&) override { ++epochCalls; }
        bool wantsPatterns() const override { return patterns; }
    };
    const Project p = smallMultilayer(UpdateSchedule::MiniBatch, 3);
    const int patternCount = static_cast<int>(p.task.patterns.size());
    Counter epochsOnly;
    epochsOnly.patterns = false;
    Trainer quiet = trainerFor(p, 2);
    quiet.run(&epochsOnly, nullptr, 3);
    QCOMPARE(epochsOnly.patternCalls, 0);
    QCOMPARE(epochsOnly.epochCalls, 3);
    Counter everything;
    Trainer watched = trainerFor(p, 2);
    watched.run(&everything, nullptr, 3);
    QCOMPARE(everything.patternCalls, 3 * patternCount);
    QCOMPARE(everything.nonEmptyUpdates, 3 * patternCount);
    compareNetworks(quiet.network(), watched.network());
    compareHistories(quiet.history(), watched.history());
}

QTEST_APPLESS_MAIN(TestParallelTraining)
#include "tst_paralleltraining.moc"
