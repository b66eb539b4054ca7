// A long trial under an address-space limit (issue 14, point 3): 200 inputs over 120 s are 1.2 million
// steps, so one steps × inputs matrix of doubles would take 1.9 GB. The process may map only 1 GiB more
// than it had at the start; the forward pass in both drive formulations, NormAD's update and a whole
// training epoch must still complete, and a steps × inputs allocation must fail (the control that
// shows the limit bites). Not run under the sanitizers (label memory): their shadow memory and
// allocators reserve terabytes of address space.

#include "normad/NormadRule.h"
#include "normad/Simulator.h"
#include "normad/TaskGenerators.h"
#include "normad/Trainer.h"

#include <QtTest>

#include <Eigen/Core>

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <new>

using namespace normad;

namespace {

constexpr int inputs = 200;
constexpr double duration = 120.0; // s
constexpr rlim_t headroom = rlim_t{1} << 30;

/// Bytes of address space the process has mapped now (/proc/self/statm, first field, pages).
rlim_t mappedBytes()
{
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (f) {
        if (std::fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        std::fclose(f);
    }
    return static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE));
}

Project longProject()
{
    generators::MultilayerOptions o;
    o.inputs = inputs;
    o.hidden = {20};
    o.outputs = 1;
    o.duration = duration;
    o.teacher = false;
    return generators::multilayer(5, o);
}

} // namespace

class TestLongTrial : public QObject {
    Q_OBJECT

    Project m_project;

private slots:
    void initTestCase();
    void stepsTimesInputsIsRefused();
    void forwardPass_data();
    void forwardPass();
    void normadUpdate();
    void trainingEpoch();
};

void TestLongTrial::initTestCase()
{
    m_project = longProject();
    const rlim_t mapped = mappedBytes();
    QVERIFY(mapped > 0);
    const rlimit limit{mapped + headroom, mapped + headroom};
    QCOMPARE(setrlimit(RLIMIT_AS, &limit), 0);
    QCOMPARE(m_project.simulation.steps(), std::int64_t(1200000));
}

void TestLongTrial::stepsTimesInputsIsRefused()
{
    // The control: were anything to form a steps × inputs matrix, it would fail like this.
    const auto steps = static_cast<Eigen::Index>(m_project.simulation.steps());
    bool refused = false;
    try {
        Eigen::MatrixXd m(steps, inputs);
        m.setZero();
        QVERIFY(m.norm() == 0);
    } catch (const std::bad_alloc&) {
        refused = true;
    }
    QVERIFY(refused);
}

void TestLongTrial::forwardPass_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("event-driven") << int(DriveMode::EventDriven);
    QTest::newRow("dense") << int(DriveMode::Dense);
}

void TestLongTrial::forwardPass()
{
    QFETCH(int, mode);
    SimulationParams sim = m_project.simulation;
    sim.driveMode = DriveMode(mode);
    const SimulationRecord rec = Simulator(m_project.network, sim).run(m_project.task.patterns.front().inputs);
    QCOMPARE(rec.status, SimulationStatus::Completed);
    QVERIFY(rec.activity(1).totalSpikes() > 1000); // the hidden layer fires through the whole trial
}

void TestLongTrial::normadUpdate()
{
    const Pattern& p = m_project.task.patterns.front();
    const SimulationRecord rec = Simulator(m_project.network, m_project.simulation).run(p.inputs);
    QCOMPARE(rec.status, SimulationStatus::Completed);
    std::vector<StepTrain> desired;
    for (const SpikeTrain& t : p.desired)
        desired.push_back(toSteps(t, m_project.simulation.dt));
    const NormadRule rule(m_project.network, m_project.simulation, m_project.training);
    const PatternGradient g = rule.compute(m_project.network, rec, desired);
    QVERIFY(!g.cancelled);
    QVERIFY(g.error(2).size() > 100 && g.error(1).size() > 100);
    QVERIFY(g.delta(1).norm() > 0 && g.delta(2).norm() > 0);
}

void TestLongTrial::trainingEpoch()
{
    // Training pass, update and the evaluation pass with the epoch-end weights.
    TrainingParams params = m_project.training;
    params.convergeOnEvaluation = true;
    Trainer trainer(m_project.network, m_project.task, m_project.simulation, params, m_project.seed);
    QVERIFY(trainer.stepEpoch());
    QCOMPARE(trainer.history().size(), std::size_t(1));
    QVERIFY(trainer.network().weightsFinite());
}

QTEST_APPLESS_MAIN(TestLongTrial)
#include "tst_longtrial.moc"
