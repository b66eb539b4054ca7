// Lessons: every bundled lesson loads and every action of every step runs in a main window
// (offscreen); malformed lessons are refused naming file, step and field.

#include "normad/DatasetTask.h"
#include "normad/Encoding.h"
#include "normad/Evaluation.h"
#include "normad/ProjectIo.h"
#include "normad/TaskGenerators.h"
#include "normad/Trainer.h"
#include "normad/ui/ConfusionMatrixPlot.h"
#include "normad/ui/DatasetFeature.h"
#include "normad/ui/DatasetPanel.h"
#include "normad/ui/Lesson.h"
#include "normad/ui/LessonPanel.h"
#include "normad/ui/LessonRunner.h"
#include "normad/ui/LessonsFeature.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/ParameterSweep.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/ProjectFieldPath.h"
#include "normad/ui/RuleInspector.h"
#include "normad/ui/RuleInspectorFeature.h"
#include "normad/ui/TrainingController.h"

#include "TabFit.h"

#include <QComboBox>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QListWidget>
#include <QScrollArea>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <qcustomplot.h>

#include <limits>

using namespace normad;

namespace {

/// Delivers what is queued (layout requests, resizes, geometry changes from the platform) without
/// waiting for time to pass; a round may queue the next, hence a few. True, for use in conditions.
bool processLayouts()
{
    for (int round = 0; round < 3; ++round)
        QCoreApplication::processEvents();
    return true;
}

} // namespace

class TestLessons : public QObject {
    Q_OBJECT

private slots:
    void bundledLessonsLoad_data();
    void bundledLessonsLoad();
    void stepsRunInMainWindow_data();
    void stepsRunInMainWindow();
    void malformedLessonsAreRefused_data();
    void malformedLessonsAreRefused();
    void runtimeErrorsNameStepAndField_data();
    void runtimeErrorsNameStepAndField();
    void runStepStopsAtFirstFailure();
    void lessonFileFromDisk();
    void setPathRoundTripsEveryField_data();
    void setPathRoundTripsEveryField();
    void setPathChangesOnlyItsField();
    void sweepDeliversCurves();
    void inspectorFitsWithLessons_data();
    void inspectorFitsWithLessons();
    void lessonRastersFitBesideTheDocks();
    void imagesToSpikesNumbers();

private:
    static void addBundledRows();
};

void TestLessons::addBundledRows()
{
    QTest::addColumn<QString>("path");
    const QStringList paths = ui::bundledLessonPaths();
    for (const QString& p : paths)
        QTest::newRow(qPrintable(QFileInfo(p).fileName())) << p;
}

void TestLessons::bundledLessonsLoad_data()
{
    addBundledRows();
}

void TestLessons::bundledLessonsLoad()
{
    QFETCH(QString, path);
    QCOMPARE(ui::bundledLessonPaths().size(), 6);
    const ui::Lesson lesson = ui::loadLesson(path);
    QVERIFY(!lesson.title.isEmpty());
    QVERIFY(!lesson.summary.isEmpty());
    QVERIFY(lesson.steps.size() >= 2);
    int questions = 0, actions = 0;
    for (const ui::LessonStep& s : lesson.steps) {
        QVERIFY2(s.text.size() > 40, qPrintable(s.title));
        questions += static_cast<int>(s.questions.size());
        actions += static_cast<int>(s.actions.size());
    }
    QVERIFY(questions >= 3);
    QVERIFY(actions >= 3);
}

void TestLessons::stepsRunInMainWindow_data()
{
    addBundledRows();
}

void TestLessons::stepsRunInMainWindow()
{
    QFETCH(QString, path);
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* panel = w.feature<ui::LessonsFeature>()->panel();
    auto* runner = w.feature<ui::LessonsFeature>()->runner();
    auto* inspector = w.feature<ui::RuleInspectorFeature>()->inspector();
    QVERIFY(panel && runner && inspector);
    const int index = static_cast<int>(ui::bundledLessonPaths().indexOf(path));
    QVERIFY(index >= 0 && index < panel->lessonCount());
    panel->setLesson(index);
    const ui::Lesson& lesson = panel->lesson(index);
    QCOMPARE(lesson.source, path);
    static const QHash<QString, ui::Dock> docks = {
        {"lessons", ui::Dock::Lessons}, {"inspector", ui::Dock::Inspector},  {"curves", ui::Dock::LearningCurves},
        {"weights", ui::Dock::Weights}, {"settings", ui::Dock::RunSettings}, {"history", ui::Dock::History},
        {"dataset", ui::Dock::Dataset}, {"accuracy", ui::Dock::Accuracy},    {"confusion", ui::Dock::Confusion}};
    auto* datasets = w.feature<ui::DatasetFeature>();
    for (int s = 0; s < lesson.steps.size(); ++s) {
        QSignalSpy progress(w.training(), &ui::TrainingController::progress);
        panel->setStep(s);
        QCOMPARE(panel->currentStep(), s);
        for (int a = 0; a < lesson.steps[s].actions.size(); ++a) {
            const ui::LessonAction& action = lesson.steps[s].actions[a];
            const QString where =
                QStringLiteral("%1 step %2 action %3 (%4)").arg(path).arg(s + 1).arg(a).arg(action.action);
            // A user waits for a dataset to load (the panel shows it) before the step that uses it.
            if (w.document()->project().dataset)
                QTRY_VERIFY_WITH_TIMEOUT(!datasets->isLoading() && w.document()->loadedDataset(), 60000);
            QSignalSpy states(w.training(), &ui::TrainingController::stateChanged);
            const QString error = runner->runAction(lesson, s, a);
            QVERIFY2(error.isEmpty(), qPrintable(where + ": " + error));
            const Project& p = w.document()->project();
            const QString name = action.args.value("name").toString();
            if (action.action == "set") {
                QCOMPARE(ui::projectfield::get(p, action.args.value("path").toString()), action.args.value("value"));
            } else if (action.action == "freezeLayer") {
                QCOMPARE(p.network.layer(action.args.value("layer").toInt()).trainable,
                         !action.args.value("frozen").toBool(true));
            } else if (action.action == "loadExample" || action.action == "generate") {
                QVERIFY(p.network.layerCount() > 0 && (!p.task.patterns.empty() || p.dataset));
                QCOMPARE(w.document()->undoStack()->count(), 0);
                // A lesson trains at a pace a class can follow; the toolbar shows it.
                const double pace =
                    action.args.contains("pace") ? action.args.value("pace").toDouble() : ui::lessonPace;
                QCOMPARE(w.training()->pace(), pace);
                QCOMPARE(w.paceChooser()->currentData().toDouble(), pace);
            } else if (action.action == "showDock") {
                QVERIFY2(docks.contains(name), qPrintable(where));
                auto* dock = w.dock(docks.value(name));
                QVERIFY2(dock && dock->isVisible(), qPrintable(where));
            } else if (action.action == "showTab") {
                QCOMPARE(w.currentTab(), name == "live"      ? ui::Tab::Live
                                         : name == "network" ? ui::Tab::Network
                                                             : ui::Tab::Task);
            } else if (action.action == "inspect") {
                QTRY_VERIFY_WITH_TIMEOUT(!inspector->isComputing(), 20000); // it computes in the background
                QVERIFY2(inspector->inspection(), qPrintable(where + ": " + inspector->problem()));
                QCOMPARE(inspector->inspection()->request.layer, action.args.value("layer").toInt());
            } else if (action.action == "start") {
                // A quick task may converge and be back to Idle at once: the session must have run.
                QTRY_VERIFY_WITH_TIMEOUT(std::any_of(states.begin(), states.end(),
                                                     [](const QList<QVariant>& args) {
                                                         return args.at(0).value<ui::TrainingSnapshot::State>() ==
                                                                ui::TrainingSnapshot::State::Running;
                                                     }),
                                         5000);
            } else if (action.action == "showSample") {
                QVERIFY(w.dock(ui::Dock::Dataset)->isVisible());
                QCOMPARE(datasets->panel()->currentPosition(), action.args.value("position").toInt());
                QCOMPARE(datasets->panel()->sets().at(datasets->panel()->currentSet()).name,
                         action.args.value("split").toString() == "train" ? QStringLiteral("training")
                                                                          : action.args.value("split").toString());
                // The raster of the encoding just set arrives from the background.
                QTRY_VERIFY_WITH_TIMEOUT(datasets->panel()->rasterSpikeCount() > 0, 20000);
            } else if (action.action == "evaluate") {
                QSignalSpy evaluated(datasets, &ui::DatasetFeature::evaluated);
                QVERIFY(evaluated.wait(60000));
                QCOMPARE(QString::fromStdString(toString(datasets->lastEvaluatedSplit())),
                         action.args.value("split").toString());
                QVERIFY(w.dock(ui::Dock::Confusion)->isVisible());
            } else if (action.action == "openMisclassified") {
                QVERIFY(datasets->sampleList()->count() > 0);
                QCOMPARE(datasets->sampleList()->currentRow(), 0);
                QVERIFY(!datasets->sampleList()->item(0)->text().isEmpty());
            } else if (action.action == "sweep") {
                QVERIFY(panel->sweep()->isRunning() || !panel->sweep()->results().empty());
                QCOMPARE(panel->sweepPlot()->graphCount(), action.args.value("values").toArray().size() + 1);
            }
        }
        // A user watches a session that a step started before going on: the next step's actions
        // then meet a session under way (or one that already ended).
        QTRY_VERIFY_WITH_TIMEOUT(w.training()->state() != ui::TrainingSnapshot::State::Running || !progress.isEmpty(),
                                 20000);
    }
    panel->sweep()->cancel();
    QVERIFY(w.training()->stopAndWait(10000));
}

void TestLessons::malformedLessonsAreRefused_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QStringList>("expected");
    const QString head =
        R"({"lessonFormat": 1, "title": "Bad", "steps": [{"text": "first step"}, {"text": "second", "actions": [)";
    const QString tail = R"(]}]})";
    QTest::newRow("unknown action") << head + R"({"action": "start"}, {"action": "teleport"})" + tail
                                    << QStringList{"bad.json", "step 2", "actions[1].action", "teleport"};
    QTest::newRow("bad path") << head + R"({"action": "set", "path": "training.learningRate", "value": 1})" + tail
                              << QStringList{"bad.json", "step 2", "actions[0].path", "training.learningRate"};
    QTest::newRow("path syntax") << head + R"({"action": "set", "path": "network.layers[x]", "value": 1})" + tail
                                 << QStringList{"step 2", "actions[0].path"};
    QTest::newRow("history not settable") << head + R"({"action": "set", "path": "history", "value": []})" + tail
                                          << QStringList{"step 2", "actions[0].path", "history"};
    QTest::newRow("wrong value type") << head + R"({"action": "set", "path": "training.maxEpochs", "value": "many"})" +
                                             tail
                                      << QStringList{"step 2", "actions[0].value", "a number"};
    QTest::newRow("wrong field type") << head + R"({"action": "freezeLayer", "layer": "one"})" + tail
                                      << QStringList{"step 2", "actions[0].layer", "integer"};
    QTest::newRow("unknown field") << head + R"({"action": "start", "epochs": 3})" + tail
                                   << QStringList{"step 2", "actions[0].epochs", "unknown field"};
    QTest::newRow("missing field") << head + R"({"action": "set", "path": "seed"})" + tail
                                   << QStringList{"step 2", "actions[0].value", "missing"};
    QTest::newRow("pace not a number") << head + R"({"action": "loadExample", "name": "xor", "pace": "fast"})" + tail
                                       << QStringList{"step 2", "actions[0].pace", "a number"};
    QTest::newRow("bad choice") << head + R"({"action": "loadExample", "name": "mnist"})" + tail
                                << QStringList{"step 2", "actions[0].name", "mnist"};
    QTest::newRow("generator option") << head +
                                             R"({"action": "generate", "task": "single", "options": {"neurons": 3}})" +
                                             tail
                                      << QStringList{"step 2", "actions[0].options.neurons"};
    QTest::newRow("sweep without values")
        << head + R"({"action": "sweep", "path": "training.maxEpochs", "values": [1]})" + tail
        << QStringList{"step 2", "actions[0].values"};
    QTest::newRow("no steps") << R"({"lessonFormat": 1, "title": "Bad", "steps": []})"
                              << QStringList{"bad.json", "steps"};
    QTest::newRow("unknown top-level key")
        << R"({"lessonFormat": 1, "title": "B", "steps": [{"text": "x"}], "author": 1})"
        << QStringList{"bad.json", "author"};
    QTest::newRow("newer format") << R"({"lessonFormat": 2, "title": "B", "steps": [{"text": "x"}]})"
                                  << QStringList{"bad.json", "lessonFormat", "version 2"};
    QTest::newRow("question without answer")
        << R"({"lessonFormat": 1, "title": "B", "steps": [{"text": "x", "questions": [{"question": "why?"}]}]})"
        << QStringList{"step 1", "questions[0].answer", "missing"};
    QTest::newRow("not json") << "{\"lessonFormat\": 1," << QStringList{"bad.json", "not valid JSON"};
}

void TestLessons::malformedLessonsAreRefused()
{
    QFETCH(QString, json);
    QFETCH(QStringList, expected);
    try {
        ui::parseLesson(json.toUtf8(), QStringLiteral("bad.json"));
        QFAIL("the lesson was accepted");
    } catch (const ui::LessonError& e) {
        const QString message = QString::fromStdString(e.what());
        for (const QString& part : expected)
            QVERIFY2(message.contains(part), qPrintable(QStringLiteral("\"%1\" not in: %2").arg(part, message)));
    }
}

namespace {

/// Step 1 loads the single-neuron example; step 2's actions are well-formed but wrong for it.
ui::Lesson runtimeLesson()
{
    return ui::parseLesson(R"({"lessonFormat": 1, "title": "Runtime", "steps": [
        {"text": "load", "actions": [{"action": "loadExample", "name": "single"}]},
        {"text": "bad", "actions": [
            {"action": "set", "path": "training.maxEpochs", "value": 2.5},
            {"action": "freezeLayer", "layer": 3},
            {"action": "set", "path": "network.layers[4].learningRate_A", "value": 1e-9},
            {"action": "set", "path": "simulation.dt_s", "value": -1.0},
            {"action": "inspect", "layer": 1, "neuron": 7},
            {"action": "set", "path": "training.maxEpochs", "value": 42}]}]})",
                           QStringLiteral("runtime.json"));
}

} // namespace

void TestLessons::runtimeErrorsNameStepAndField_data()
{
    QTest::addColumn<int>("action");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("integer field given 2.5")
        << 0 << QStringList{"runtime.json", "step 2", "actions[0].value", "maxEpochs"};
    QTest::newRow("no layer 3") << 1 << QStringList{"step 2", "actions[1].layer", "layer 3"};
    QTest::newRow("no layer index 4 in a path") << 2 << QStringList{"step 2", "actions[2].value", "index 4"};
    QTest::newRow("value the engine refuses") << 3 << QStringList{"step 2", "actions[3].value", "dt_s"};
    QTest::newRow("no neuron 7") << 4 << QStringList{"step 2", "actions[4].neuron", "neuron 7"};
}

void TestLessons::runtimeErrorsNameStepAndField()
{
    // Errors that depend on the open project are found when the action runs; nothing changes.
    QFETCH(int, action);
    QFETCH(QStringList, expected);
    ui::ProjectDocument doc;
    ui::TrainingController training(&doc);
    ui::LessonRunner runner(&doc, &training);
    const ui::Lesson lesson = runtimeLesson();
    QCOMPARE(runner.runStep(lesson, 0), QString());
    QCOMPARE(doc.project().network.inputCount(), 100);
    const int undo = doc.undoStack()->count();
    const std::string before = projectToJson(doc.project());
    const QString error = runner.runAction(lesson, 1, action);
    for (const QString& part : expected)
        QVERIFY2(error.contains(part), qPrintable(QStringLiteral("\"%1\" not in: %2").arg(part, error)));
    QCOMPARE(doc.undoStack()->count(), undo);
    QVERIFY(projectToJson(doc.project()) == before);
}

void TestLessons::runStepStopsAtFirstFailure()
{
    ui::ProjectDocument doc;
    ui::TrainingController training(&doc);
    ui::LessonRunner runner(&doc, &training);
    const ui::Lesson lesson = runtimeLesson();
    QCOMPARE(runner.runStep(lesson, 0), QString());
    const int undo = doc.undoStack()->count();
    QVERIFY(runner.runStep(lesson, 1).contains("actions[0]"));
    QVERIFY(doc.project().training.maxEpochs != 42);
    QCOMPARE(runner.runAction(lesson, 1, 5), QString());
    QCOMPARE(doc.project().training.maxEpochs, 42);
    QCOMPARE(doc.undoStack()->count(), undo + 1);
    doc.undoStack()->undo();
    QCOMPARE(doc.project().training.maxEpochs, 1000);
}

void TestLessons::lessonFileFromDisk()
{
    QTemporaryDir dir;
    const QString good = dir.filePath("mine.json"), bad = dir.filePath("broken.json");
    QFile f(good);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"lessonFormat": 1, "title": "My lesson", "summary": "s", "steps": [{"text": "Hello", )"
            R"("actions": [{"action": "loadExample", "name": "xor"}]}]})");
    f.close();
    QFile g(bad);
    QVERIFY(g.open(QIODevice::WriteOnly));
    g.write(R"({"lessonFormat": 1, "title": "Broken", "steps": [{"text": "x"}, )"
            R"({"text": "y", "actions": [{"action": "jump"}]}]})");
    g.close();
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    auto* panel = w.feature<ui::LessonsFeature>()->panel();
    const int before = panel->lessonCount();
    QCOMPARE(panel->openLessonFile(good), QString());
    QCOMPARE(panel->lessonCount(), before + 1);
    QCOMPARE(panel->currentLesson(), before);
    QCOMPARE(panel->runCurrentStep(), QString());
    QCOMPARE(w.document()->project().network.inputCount(), 60);
    const QString error = panel->openLessonFile(bad);
    QVERIFY2(error.contains(bad) && error.contains("step 2") && error.contains("actions[0].action"), qPrintable(error));
    QCOMPARE(panel->lessonCount(), before + 1);
    QVERIFY(panel->statusText().contains("jump"));
}

void TestLessons::setPathRoundTripsEveryField_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("number") << "training.rules.normad.effectiveTimeConstant_s" << QJsonValue(0.01);
    QTest::newRow("choice") << "training.rules.normad.normalization" << QJsonValue("joint");
    QTest::newRow("flag") << "training.shufflePatterns" << QJsonValue(true);
    // a rule's setting, described by the rule alone
    QTest::newRow("rule flag") << "training.rules.psd.peakNormalized" << QJsonValue(false);
    QTest::newRow("layer field") << "network.layers[0].learningRate_A" << QJsonValue(3e-10);
    QTest::newRow("new per-layer override") << "network.layers[1].neuron.threshold_V" << QJsonValue(0.015);
    QTest::newRow("simulation") << "simulation.dt_s" << QJsonValue(5e-5);
    QTest::newRow("synapse") << "synapse.tauDecay_s" << QJsonValue(0.004);
    QTest::newRow("top level") << "seed" << QJsonValue(7);
}

void TestLessons::setPathRoundTripsEveryField()
{
    QFETCH(QString, path);
    QFETCH(QJsonValue, value);
    const Project p = generators::xorTask(1);
    const Project q = ui::projectfield::withField(p, path, value);
    QCOMPARE(ui::projectfield::get(q, path), value);
    QCOMPARE(q.network.weights(1), p.network.weights(1)); // nothing else moved
}

void TestLessons::setPathChangesOnlyItsField()
{
    const Project p = generators::xorTask(1);
    const Project q = ui::projectfield::withField(p, "network.layers[1].neuron.threshold_V", 0.015);
    QCOMPARE(q.network.layer(2).neuron.threshold, 0.015);
    QCOMPARE(q.network.layer(1).neuron.threshold, 0.02);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             ui::projectfield::withField(p, "training.rules.normad.normalization", "sideways"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ui::projectfield::withField(p, "task.patterns[9].name", "x"));
}

void TestLessons::sweepDeliversCurves()
{
    ui::ParameterSweep sweep;
    ui::SweepRequest r;
    r.title = "r";
    r.option = "learningRate";
    r.task = "single";
    r.options = QJsonObject{{"inputs", 50}, {"duration", 0.2}};
    r.values = {1e-9, 3e-9};
    r.labels = {"1 nA", "3 nA"};
    r.maxEpochs = 40;
    QSignalSpy trials(&sweep, &ui::ParameterSweep::trialFinished);
    QSignalSpy done(&sweep, &ui::ParameterSweep::finished);
    sweep.start(r, Project{});
    QVERIFY(done.wait(60000));
    QCOMPARE(trials.size(), 2);
    QCOMPARE(done.first().first().toBool(), false);
    for (const auto& t : sweep.results()) {
        QVERIFY(!t.minCorrelation.empty());
        QVERIFY(static_cast<int>(t.minCorrelation.size()) <= 40);
    }
    // A bad value is refused before anything runs.
    ui::SweepRequest bad = r;
    bad.option.clear();
    bad.path = "simulation.dt_s";
    bad.values = {1e-4, -1.0};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sweep.start(bad, generators::singleNeuron(1)));
    // Cancelling returns promptly, in the middle of a trial: the first value converges at once (every
    // C ≥ 0), the second would train for 100000 epochs. Cancel once the first has been reported.
    ui::SweepRequest slow = r;
    slow.option.clear();
    slow.path = "training.targetCorrelation";
    slow.values = {0.0, 2.0};
    slow.labels = {"C ≥ 0", "C ≥ 2"};
    slow.maxEpochs = 100000;
    slow.options = QJsonObject{{"inputs", 400}, {"duration", 1.0}, {"targetRate", 30}};
    QSignalSpy slowTrials(&sweep, &ui::ParameterSweep::trialFinished);
    sweep.start(slow, Project{});
    QVERIFY(slowTrials.wait(60000));
    QCOMPARE(slowTrials.first().first().toInt(), 0);
    QVERIFY(sweep.isRunning());
    QElapsedTimer t;
    t.start();
    sweep.cancel();
    QVERIFY(t.elapsed() < 2000);
    QVERIFY(!sweep.isRunning());
}

void TestLessons::inspectorFitsWithLessons_data()
{
    // Lessons 1 and 4 open the inspector beside the lessons: the window used to grow to 951 px.
    QTest::addColumn<int>("lesson");
    QTest::newRow("lesson 1") << 0;
    QTest::newRow("lesson 4") << 3;
}

void TestLessons::inspectorFitsWithLessons()
{
    QFETCH(int, lesson);
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* panel = w.feature<ui::LessonsFeature>()->panel();
    auto* runner = w.feature<ui::LessonsFeature>()->runner();
    w.dock(ui::Dock::Lessons)->show();
    panel->setLesson(lesson);
    QDockWidget* inspector = w.dock(ui::Dock::Inspector);
    for (int s = 0; s < 3 && !inspector->isVisible(); ++s)
        QCOMPARE(runner->runStep(panel->lesson(lesson), s), QString());
    QVERIFY(inspector->isVisible());
    // Run the layout requests the steps posted (a round may post the next) until the inspector has
    // its height; then the window must still have its size.
    QTRY_VERIFY(processLayouts() && inspector->widget()->height() > 500);
    QCOMPARE(w.size(), QSize(1280, 800));
    QCOMPARE(w.dockWidgetArea(inspector), Qt::LeftDockWidgetArea); // a tab beside the live plot docks
    QVERIFY(!w.tabifiedDockWidgets(inspector).isEmpty());
    QVERIFY(w.training()->stopAndWait(10000));
}

void TestLessons::lessonRastersFitBesideTheDocks()
{
    // Lesson 3 step 1 sends the reader to the Task tab's input and desired rasters. At 1280×800,
    // with the Lessons dock open and Inside the rule shown (View menu), the rasters used to be cut
    // off: the tab scrolled sideways and the desired raster ended below the view.
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* panel = w.feature<ui::LessonsFeature>()->panel();
    auto* runner = w.feature<ui::LessonsFeature>()->runner();
    w.dock(ui::Dock::Lessons)->show();
    panel->setLesson(2);
    QVERIFY(panel->lesson(2).title.startsWith(QLatin1String("3.")));
    QCOMPARE(runner->runStep(panel->lesson(2), 0), QString());
    QDockWidget* inspector = w.dock(ui::Dock::Inspector);
    if (!inspector->isVisible())
        inspector->toggleViewAction()->trigger();
    QWidget* task = w.tab(ui::Tab::Task);
    QVERIFY(task);
    QTRY_VERIFY(processLayouts() && inspector->isVisible() && task->isVisible());
    QCOMPARE(w.size(), QSize(1280, 800));
    QTRY_VERIFY2(processLayouts() && testui::sidewaysScroll(task).isEmpty(), qPrintable(testui::sidewaysScroll(task)));
    auto* scroll = qobject_cast<QScrollArea*>(task->parentWidget()->parentWidget());
    QVERIFY(scroll);
    for (const char* name : {"inputRaster", "desiredRaster"}) {
        auto* raster = task->findChild<QWidget*>(QLatin1String(name));
        QVERIFY(raster);
        const QRect shown(raster->mapTo(scroll->viewport(), QPoint(0, 0)), raster->size());
        QVERIFY2(scroll->viewport()->rect().contains(shown),
                 qPrintable(QStringLiteral("%1 at %2,%3 %4×%5 in a view of %6×%7")
                                .arg(QLatin1String(name))
                                .arg(shown.x())
                                .arg(shown.y())
                                .arg(shown.width())
                                .arg(shown.height())
                                .arg(scroll->viewport()->width())
                                .arg(scroll->viewport()->height())));
        QVERIFY2(raster->width() >= 250, qPrintable(QString::number(raster->width())));
    }
    QVERIFY(w.training()->stopAndWait(10000));
}

namespace {

/// The answer of the question of `lesson` that starts with `question`.
QString answerTo(const ui::Lesson& lesson, const QString& question)
{
    for (const ui::LessonStep& step : lesson.steps)
        for (const ui::LessonQuestion& q : step.questions)
            if (q.question.startsWith(question))
                return q.answer;
    return {};
}

QString percentText(double fraction)
{
    return QString::number(100.0 * fraction, 'f', 1) + QStringLiteral(" %");
}

QString shortest(double value)
{
    return QString::number(value, 'g', 3); // as the lesson writes it: 0.167, 6, 20
}

} // namespace

void TestLessons::imagesToSpikesNumbers()
{
    // Lesson 6 quotes numbers of its own project: each is recomputed here with the engine from the
    // project its Set up actions make (no window: the dataset actions are the panel's business).
    const ui::Lesson lesson = ui::loadLesson(QStringLiteral(":/lessons/06-images-to-spikes.json"));
    ui::ProjectDocument doc;
    ui::LessonRunner runner(&doc, nullptr);
    for (int a = 0; a < lesson.steps[0].actions.size(); ++a)
        if (lesson.steps[0].actions[a].action == "generate" || lesson.steps[0].actions[a].action == "set")
            QCOMPARE(runner.runAction(lesson, 0, a), QString());
    const Project project = doc.project();
    QVERIFY(project.dataset);
    QVERIFY(project.dataset->encoding.kind == EncodingKind::Latency);
    // The network the lesson describes: one NormAD layer, 784 pixels → 10 classes.
    QCOMPARE(project.network.layerCount(), 1);
    QCOMPARE(project.network.inputCount(), 784);
    QCOMPARE(project.network.outputCount(), 10);
    QVERIFY(lesson.steps[0].text.contains(QStringLiteral("784 inputs → 10 output neurons")));
    const QJsonObject options = lesson.steps[0].actions[0].args.value("options").toObject();
    const int perClass = options.value("perClass").toInt();
    const int epochs = options.value("epochs").toInt();
    QVERIFY(perClass > 0 && epochs > 0);
    QVERIFY(lesson.steps[0].text.contains(QStringLiteral("**%1 images per class**").arg(perClass)));
    const auto data = LoadedDataset::load(*project.dataset, QDir::currentPath().toStdString(), project.simulation);
    const PatternSet& train = data->patterns(Split::Train);
    QCOMPARE(train.size(), std::size_t(10 * perClass)); // class-balanced
    QCOMPARE(data->patterns(Split::Validation).size(), std::size_t(300));

    // Step 1: training image 0 under latency coding.
    const std::size_t sample = train.sampleIndex(0);
    const std::vector<double> x = data->scaler().scaled(data->dataset(), sample);
    const EncodingParams& latency = project.dataset->encoding;
    const double brightest = *std::max_element(x.begin(), x.end());
    const long visible = std::count_if(x.begin(), x.end(), [&](double v) { return v >= latency.latencyThreshold; });
    const Pattern shown = *train.pattern(0);
    long spikes = 0;
    double first = project.simulation.duration;
    for (const SpikeTrain& t : shown.inputs) {
        spikes += static_cast<long>(t.size());
        for (double time : t)
            first = std::min(first, time);
    }
    QCOMPARE(spikes, visible); // one spike per visible pixel
    const double firstMs = (latency.latest - brightest * (latency.latest - latency.earliest)) * 1e3;
    QVERIFY(std::abs(first * 1e3 - firstMs) <= project.simulation.dt * 1e3);
    const QString latencyAnswer = answerTo(lesson, "How many input spikes does training image 0");
    QVERIFY2(latencyAnswer.startsWith(QString::number(spikes) + " spikes"), qPrintable(latencyAnswer));
    const QString brightAnswer = answerTo(lesson, "When does the brightest pixel");
    QVERIFY2(brightAnswer.contains("x = " + shortest(brightest) + " and fires at " + shortest(firstMs) + " ms"),
             qPrintable(QStringLiteral("x = %1, %2 ms: %3").arg(shortest(brightest), shortest(firstMs), brightAnswer)));

    // Step 2: Poisson coding of the same image (the lesson's `set`, through the engine's encoder).
    const QJsonValue poissonKind = lesson.steps[1].actions[0].args.value("value");
    QCOMPARE(poissonKind.toString(), QStringLiteral("poisson"));
    EncodingParams poisson = latency;
    poisson.kind = encodingKindFromString(poissonKind.toString().toStdString());
    const double white = poisson.maxRate * project.simulation.duration;
    const QString whiteAnswer = answerTo(lesson, "How many spikes does a white pixel");
    QVERIFY2(whiteAnswer.contains("= " + shortest(white) + " spikes"),
             qPrintable(shortest(white) + ": " + whiteAnswer));
    long poissonSpikes = 0;
    for (const SpikeTrain& t : encodeFeatures(x, sample, poisson, project.simulation))
        poissonSpikes += static_cast<long>(t.size());
    double expected = 0;
    for (double v : x) // each of the trial's steps fires with probability x·maxRate·dt
        expected += v * poisson.maxRate * project.simulation.dt * static_cast<double>(project.simulation.steps());
    const QString poissonAnswer = answerTo(lesson, "How many spikes does image 0 send under Poisson");
    QVERIFY2(poissonAnswer.startsWith(QString::number(poissonSpikes) + " spikes") &&
                 poissonAnswer.contains("= " + QString::number(expected, 'f', 1) + "."),
             qPrintable(QStringLiteral("%1 spikes, %2 expected: %3")
                            .arg(poissonSpikes)
                            .arg(expected, 0, 'f', 1)
                            .arg(poissonAnswer)));
    QVERIFY(std::abs(static_cast<double>(poissonSpikes) - expected) < 4 * std::sqrt(expected));

    // Step 3: receptive fields for an image.
    EncodingParams fields = latency;
    fields.kind = EncodingKind::ReceptiveFields;
    const std::size_t fieldInputs = encodedInputCount(fields, data->dataset().featureCount());
    QVERIFY(
        answerTo(lesson, "How many inputs would receptive-field").contains(QString::number(fieldInputs) + " inputs"));
    QStringList centres;
    for (const ReceptiveField& f : receptiveFields(fields.fieldsPerFeature, fields.fieldWidthFactor))
        centres << shortest(f.centre);
    const QString centreText = centres.join(", ");
    QVERIFY2(answerTo(lesson, "Where are the five field centres").contains(centreText), qPrintable(centreText));

    // Step 4: the run the lesson starts (latency again, the project's epochs, seed and pace).
    QCOMPARE(lesson.steps[2].actions[0].args.value("value").toString(), QStringLiteral("latency"));
    QCOMPARE(project.training.maxEpochs, epochs);
    const QString trainText = lesson.steps[3].title + lesson.steps[3].text;
    QVERIFY2(trainText.contains(QStringLiteral("%1 images").arg(10 * perClass)) &&
                 trainText.contains(QStringLiteral("%1 epochs").arg(epochs)),
             qPrintable(trainText));
    Trainer trainer(project.network, data, project.simulation, project.training, project.seed);
    const TrainingResult& result = trainer.run();
    QCOMPARE(static_cast<int>(result.history.size()), epochs);
    const EpochMetrics& last = result.history.back();
    const QString accuracyAnswer = answerTo(lesson, "What accuracy do training and validation reach");
    QVERIFY2(
        accuracyAnswer.contains("training passes " + percentText(last.trainAccuracy) + ", validation " +
                                percentText(last.validationAccuracy)),
        qPrintable(QStringLiteral("%1 / %2: %3")
                       .arg(percentText(last.trainAccuracy), percentText(last.validationAccuracy), accuracyAnswer)));

    // Step 5: the validation split evaluated with the trained weights.
    const ClassEvaluation evaluation =
        evaluate(trainer.network(), data->patterns(Split::Validation), project.simulation, project.training,
                 data->decision(), data->targets());
    QCOMPARE(evaluation.accuracy, last.validationAccuracy); // same weights, same rule
    const QString diagonalAnswer = answerTo(lesson, "How many of the 300 validation images");
    QVERIFY2(diagonalAnswer.startsWith(QString::number(evaluation.confusion.correct()) + " of 300") &&
                 diagonalAnswer.contains("validation accuracy of epoch " + QString::number(epochs)),
             qPrintable(QStringLiteral("%1 of 300: %2").arg(evaluation.confusion.correct()).arg(diagonalAnswer)));
    // The most frequent confusion, as DatasetFeature::openMisclassified picks it.
    const ConfusionMatrix& m = evaluation.confusion;
    const int k = m.classCount();
    std::size_t best = 0;
    QString pair;
    for (int t = 0; t < k; ++t)
        for (int p = 0; p <= k; ++p)
            if (p != t && (p == k ? m.undecided(t) : m.count(t, p)) > best) {
                best = p == k ? m.undecided(t) : m.count(t, p);
                pair = QStringLiteral("%1 taken for %2 (%3 images)")
                           .arg(QString::fromStdString(data->classNames()[std::size_t(t)]),
                                p == k ? QStringLiteral("undecided")
                                       : QString::fromStdString(data->classNames()[std::size_t(p)]))
                           .arg(best);
            }
    const QString confusionAnswer = answerTo(lesson, "Which confusion is the most frequent");
    QVERIFY2(confusionAnswer.startsWith(pair), qPrintable(pair + ": " + confusionAnswer));
    // A network that learns: the diagonal is the largest cell of most rows (it used to collapse
    // onto one column), and the best and worst recognised classes are the ones the answer names.
    int diagonalRows = 0;
    std::size_t bestRight = 0, worstRight = std::numeric_limits<std::size_t>::max();
    QString bestText, worstText;
    for (int t = 0; t < k; ++t) {
        const std::size_t right = m.count(t, t);
        bool largest = right >= m.undecided(t);
        for (int p = 0; p < k; ++p)
            largest = largest && right >= m.count(t, p);
        diagonalRows += largest ? 1 : 0;
        const QString text = QStringLiteral("%1 (%2 of %3)")
                                 .arg(QString::fromStdString(data->classNames()[std::size_t(t)]))
                                 .arg(right)
                                 .arg(m.support(t));
        if (right > bestRight || bestText.isEmpty()) {
            bestRight = right;
            bestText = text;
        }
        if (right < worstRight) {
            worstRight = right;
            worstText = text;
        }
    }
    QVERIFY2(diagonalRows >= 8, qPrintable(QStringLiteral("the diagonal leads in %1 of 10 rows").arg(diagonalRows)));
    QVERIFY2(evaluation.accuracy >= 0.5, qPrintable(percentText(evaluation.accuracy)));
    const QString bestAnswer = answerTo(lesson, "Which classes does the network recognise best");
    QVERIFY2(bestAnswer.contains("best is " + bestText) && bestAnswer.contains("worst " + worstText),
             qPrintable(QStringLiteral("best %1, worst %2: %3").arg(bestText, worstText, bestAnswer)));
}

QTEST_MAIN(TestLessons)
#include "tst_lessons.moc"
