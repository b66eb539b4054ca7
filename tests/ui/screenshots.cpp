// The documentation's pictures (docs/screenshots), written by the widgets themselves with
// QWidget::grab(), offscreen, 1280 × 800. Not a test suite and not in CTest: a picture proves
// nothing a check does not. scripts/screenshot.sh runs it; one picture set at a time:
//   NORMAD_SCREENSHOT_DIR=docs/screenshots QT_QPA_PLATFORM=offscreen
//       build/tests/ui/normad-doc-screenshots [designers|lessons|datasetLesson|runs|inspector]
// (one command line; a trailing backslash would continue this comment onto the next line)
// It uses Qt Test only to stop with a clear message when a picture would show the wrong thing
// (a window that grew, a session that did not train).

#include "normad/NormadRule.h"
#include "normad/Simulator.h"
#include "normad/TaskGenerators.h"
#include "normad/ui/DatasetFeature.h"
#include "normad/ui/LessonPanel.h"
#include "normad/ui/LessonRunner.h"
#include "normad/ui/LessonsFeature.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/NetworkDesigner.h"
#include "normad/ui/ParameterSweep.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/RuleInspector.h"
#include "normad/ui/RunHistory.h"
#include "normad/ui/RunsFeature.h"
#include "normad/ui/RunsPanel.h"
#include "normad/ui/SpikeRasterEditor.h"
#include "normad/ui/TaskDesigner.h"
#include "normad/ui/TrainingController.h"
#include "normad/ui/TrainingSettingsPanel.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QImage>
#include <QtTest>

#include <algorithm>

using namespace normad;

namespace {

/// Lets pending layouts, resizes and queued replots happen before a grab: a few rounds of posted
/// events, each of which may post the next (a dock's layout resizes its plot, which replots).
void settle()
{
    for (int round = 0; round < 5; ++round) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
}

/// Presses Start and waits for the session to end (it is written to the document then).
bool train(ui::MainWindow& w)
{
    QSignalSpy finished(w.training(), &ui::TrainingController::finished);
    w.startAction()->trigger();
    return finished.wait(120000);
}

/// The engine's update for one pattern: which hidden neuron has the most error instants.
int busiestHiddenNeuron(Project p, int pattern)
{
    p.ensureWeights();
    const Pattern& pat = p.task.patterns[static_cast<std::size_t>(pattern)];
    const SimulationRecord rec = Simulator(p.network, p.simulation).run(pat.inputs);
    std::vector<StepTrain> desired;
    for (const SpikeTrain& t : pat.desired)
        desired.push_back(toSteps(t, p.simulation.dt));
    const PatternGradient g = NormadRule(p.network, p.simulation, p.training).compute(p.network, rec, desired);
    std::vector<int> count(static_cast<std::size_t>(p.network.populationSize(1)), 0);
    for (const ErrorEntry& e : g.error(1))
        ++count[static_cast<std::size_t>(e.neuron)];
    return static_cast<int>(std::max_element(count.begin(), count.end()) - count.begin());
}

} // namespace

class DocScreenshots : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void designers();
    void lessons();
    void datasetLesson();
    void runs();
    void inspector();

private:
    QString file(const QString& name) const { return m_dir.filePath(name); }
    QDir m_dir;
};

void DocScreenshots::initTestCase()
{
    const QString dir = qEnvironmentVariable("NORMAD_SCREENSHOT_DIR");
    QVERIFY2(!dir.isEmpty(), "set NORMAD_SCREENSHOT_DIR to the folder for the pictures (docs/screenshots)");
    QVERIFY(QDir().mkpath(dir));
    m_dir = QDir(dir);
}

void DocScreenshots::designers()
{
    ui::ProjectDocument doc;
    doc.reset(generators::xorTask(1));
    {
        ui::NetworkDesigner designer(&doc);
        designer.resize(1280, 800);
        designer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&designer));
        settle();
        const QImage image = designer.grab().toImage();
        QCOMPARE(image.size(), QSize(1280, 800));
        QVERIFY(image.save(file("network-designer.png")));
    }
    ui::TaskDesigner designer(&doc);
    designer.resize(1280, 800);
    designer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&designer));
    designer.setCurrentPattern(1);
    settle();
    const QImage image = designer.grab().toImage();
    QCOMPARE(image.size(), QSize(1280, 800));
    QVERIFY(image.save(file("task-designer.png")));

    // The same page while editing: a selection and a refractory warning.
    QVERIFY(doc.edit("close spikes", ui::ProjectDocument::TaskChanged,
                     [](Project& p) {
                         p.task.patterns[1].desired[0] = {0.065, 0.066, 0.115, 0.165};
                     })
                .isEmpty());
    designer.inputEditor()->setSelectedNeurons({20, 21, 22, 23});
    settle();
    QVERIFY(designer.grab().toImage().save(file("task-designer-warning.png")));
}

void DocScreenshots::lessons()
{
    // Per lesson: the step to show and how many epochs to train before the picture (0: as set up).
    const struct {
        int step;
        int epochs;
    } shots[] = {{1, 0}, {2, 0}, {3, 30}, {1, 0}, {3, 0}};
    for (int i = 0; i < 5; ++i) {
        ui::MainWindow w;
        w.setConfirmUnsavedChanges(false);
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* panel = w.feature<ui::LessonsFeature>()->panel();
        auto* runner = w.feature<ui::LessonsFeature>()->runner();
        QDockWidget* dock = w.dock(ui::Dock::Lessons);
        QVERIFY(panel && runner && dock);
        dock->show();
        panel->setLesson(i);
        for (int s = 0; s < shots[i].step; ++s)
            QCOMPARE(runner->runStep(panel->lesson(i), s), QString());
        panel->setStep(shots[i].step);
        QCOMPARE(panel->runCurrentStep(), QString());
        dock->show();
        dock->raise();
        w.resizeDocks({dock}, {440}, Qt::Horizontal);
        // The window places the inspector itself when a lesson opens it (Teaching.cpp); the picture
        // must keep the window's size.
        settle();
        const QString picture = file(QStringLiteral("lesson-%1.png").arg(i + 1));
        if (w.size() != QSize(1280, 800))
            w.grab().save(picture); // keep the evidence of what did not fit
        QCOMPARE(w.size(), QSize(1280, 800));
        if (panel->sweep()->isRunning() || !panel->sweep()->results().empty())
            QTRY_VERIFY_WITH_TIMEOUT(!panel->sweep()->isRunning(), 120000);
        if (shots[i].epochs > 0) {
            QTRY_VERIFY_WITH_TIMEOUT(
                w.training()->latestSnapshot()->sessionEpochs >= shots[i].epochs || !w.training()->isActive(), 120000);
        }
        if (w.training()->state() == ui::TrainingSnapshot::State::Running) { // the latest snapshot shown
            const int refreshes = w.plotRefreshCount();
            QTRY_VERIFY_WITH_TIMEOUT(w.plotRefreshCount() > refreshes, 10000);
        }
        panel->revealAnswers();
        settle();
        QVERIFY(w.grab().save(picture));
        QVERIFY(w.training()->stopAndWait(10000));
    }
}

void DocScreenshots::datasetLesson()
{
    // Lesson 6 at "Read the confusion matrix", after its whole training run (lesson-6.png). Its
    // steps wait for the data as a user would: the dataset loads in the background.
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* panel = w.feature<ui::LessonsFeature>()->panel();
    auto* runner = w.feature<ui::LessonsFeature>()->runner();
    auto* datasets = w.feature<ui::DatasetFeature>();
    QDockWidget* dock = w.dock(ui::Dock::Lessons);
    dock->show();
    const int lesson = 5;
    panel->setLesson(lesson);
    const ui::Lesson& l = panel->lesson(lesson);
    QVERIFY(l.title.startsWith(QStringLiteral("6.")));
    const int confusionStep = 4;
    QVERIFY(l.steps[confusionStep].title.contains(QStringLiteral("confusion")));
    for (int s = 0; s < confusionStep; ++s) {
        if (s > 0)
            QTRY_VERIFY_WITH_TIMEOUT(!datasets->isLoading() && w.document()->loadedDataset(), 120000);
        QCOMPARE(runner->runStep(l, s), QString());
    }
    // The lesson's whole run, at its pace: the session starts (queued), then ends after its epochs.
    QTRY_VERIFY_WITH_TIMEOUT(w.training()->isActive(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!w.training()->isActive(), 300000);
    QSignalSpy evaluated(datasets, &ui::DatasetFeature::evaluated);
    panel->setStep(confusionStep);
    QCOMPARE(panel->runCurrentStep(), QString());
    QVERIFY(evaluated.count() > 0 || evaluated.wait(120000));
    dock->show();
    dock->raise();
    w.resizeDocks({dock}, {440}, Qt::Horizontal);
    panel->revealAnswers();
    // The dataset docks' minimum heights grow the window; the picture is taken at 1280 × 800.
    w.resize(1280, 800);
    settle();
    QVERIFY(w.grab().save(file(QStringLiteral("lesson-6.png"))));
}

void DocScreenshots::runs()
{
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // The 2015 paper's single neuron with its defaults: NormAD against ReSuMe from the same start.
    Project p = generators::singleNeuron(1);
    p.training.maxEpochs = 80;
    w.setProject(p, QStringLiteral("Single-neuron example"));
    auto* panel = w.feature<ui::RunsFeature>()->panel();
    QVERIFY(panel);
    panel->history()->addBookmark();
    QVERIFY(train(w));
    QVERIFY(panel->history()->branchFrom(0).isEmpty());
    w.findChild<ui::TrainingSettingsPanel*>()->rule()->setCurrentIndex(1);
    QVERIFY(train(w));
    QTRY_VERIFY(panel->history()->runs().size() == 2 && panel->history()->runs()[1].outputsReady);
    QDockWidget* dock = w.dock(ui::Dock::Runs);
    QVERIFY(w.showDock(ui::Dock::Runs)); // the dock never opens by itself
    dock->setFloating(true);
    dock->resize(760, 820);
    QTRY_COMPARE(dock->size(), QSize(760, 820));
    settle();
    QVERIFY(dock->grab().toImage().save(file("runs.png")));
}

void DocScreenshots::inspector()
{
    ui::ProjectDocument doc;
    const Project p = generators::xorTask(1);
    doc.reset(p);
    ui::RuleInspector inspector(&doc, nullptr);
    inspector.resize(1280, 800);
    inspector.show();
    QVERIFY(QTest::qWaitForWindowExposed(&inspector));
    // A hidden neuron with several δ: the most instructive picture; then the output neuron.
    const struct {
        int layer, neuron;
        const char* picture;
    } shots[] = {{1, busiestHiddenNeuron(p, 1), "inspector.png"}, {2, 0, "inspector-output.png"}};
    for (const auto& shot : shots) {
        inspector.inspect(shot.layer, shot.neuron, 1, -1);
        QTRY_VERIFY2(inspector.inspection() && inspector.inspection()->request.layer == shot.layer &&
                         inspector.inspection()->request.neuron == shot.neuron,
                     qPrintable(inspector.problem()));
        settle();
        QVERIFY(inspector.grab().save(file(shot.picture)));
    }
}

QTEST_MAIN(DocScreenshots)
#include "screenshots.moc"
