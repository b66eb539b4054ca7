// Offscreen smoke tests of the main window: examples, run control, plots, files, closing.

#include "TabFit.h"

#include "normad/ProjectIo.h"
#include "normad/RuleRegistry.h"
#include "normad/TaskGenerators.h"
#include "normad/ui/LearningCurvePlot.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/MembranePlot.h"
#include "normad/ui/NetworkDesigner.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/RasterPlot.h"
#include "normad/ui/TrainingController.h"
#include "normad/ui/TrainingSettingsPanel.h"

#include <QAbstractItemView>
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QWheelEvent>
#include <QtTest>

#include <qcustomplot.h>

using namespace normad;
using State = ui::TrainingSnapshot::State;

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

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void opensEmpty();
    void opensEachExample_data();
    void opensEachExample();
    void plotsShowTraining();
    void savesAndOpensProjectFile();
    void closingDuringTrainingIsPrompt();
    void replacingTheProjectWhileTrainingAsks_data();
    void replacingTheProjectWhileTrainingAsks();
    void evaluateShowsTheCurrentAnswer();
    void keysReachTheirActions_data();
    void keysReachTheirActions();
    void spaceStartsPausesAndResumes_data();
    void spaceStartsPausesAndResumes();
    void designersFitWithoutScrolling_data();
    void designersFitWithoutScrolling();
    void ruleSettingsHaveRoom_data();
    void ruleSettingsHaveRoom();
    void wheelScrollsTheSettingsNotTheirValues();
    void wheelLeavesTheDesignersFieldsAlone_data();
    void wheelLeavesTheDesignersFieldsAlone();
    void docksAreLaidOut_data();
    void docksAreLaidOut();
};

void TestMainWindow::opensEmpty()
{
    ui::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.windowTitle(), QStringLiteral("NormAD Workbench"));
    QVERIFY(!w.startAction()->isEnabled());
    QVERIFY(!w.stopAction()->isEnabled());
    QVERIFY(!w.menu(ui::Menu::Export)->isEnabled()); // nothing to export yet
    QVERIFY(!w.menu(ui::Menu::Import)->isEnabled());
    w.setConfirmUnsavedChanges(false);
    QVERIFY(!w.openExample(QStringLiteral("iris"))); // a dataset example: its data is written by the CLI
    QVERIFY(w.openExample(QStringLiteral("single")));
    QVERIFY(w.menu(ui::Menu::Export)->isEnabled());
    QVERIFY(w.menu(ui::Menu::Import)->isEnabled());
}

void TestMainWindow::opensEachExample_data()
{
    QTest::addColumn<QString>("example");
    QTest::addColumn<QString>("title");
    // The untitled document is named after the example's menu entry (the engine's registry).
    QTest::newRow("xor") << "xor"
                         << "Spike-based XOR";
    QTest::newRow("multilayer") << "multilayer"
                                << "Multi-layer spike mapping";
    QTest::newRow("single") << "single"
                            << "Single neuron";
}

void TestMainWindow::opensEachExample()
{
    QFETCH(QString, example);
    QFETCH(QString, title);
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.show();
    QVERIFY(w.openExample(example));
    QVERIFY(w.windowTitle().startsWith(title));
    QVERIFY(!w.isWindowModified());
    QTRY_VERIFY(w.startAction()->isEnabled()); // ready to press Start
    QSignalSpy progress(w.training(), &ui::TrainingController::progress);
    QSignalSpy finished(w.training(), &ui::TrainingController::finished);
    w.startAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(w.training()->latestSnapshot()->completedEpochs >= 1 || !finished.isEmpty(), 20000);
    if (finished.isEmpty()) { // a quick example may already have converged
        w.stopAction()->trigger();
        QVERIFY(finished.wait(5000));
    }
    QVERIFY(!progress.isEmpty());
    QCOMPARE(w.document()->undoStack()->count(), 1);
    QVERIFY(w.document()->undoStack()->text(0).startsWith(QStringLiteral("Train ")));
    QVERIFY(w.isWindowModified());
    QVERIFY(w.windowTitle().contains(QStringLiteral("[*]")));
}

void TestMainWindow::plotsShowTraining()
{
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openExample(QStringLiteral("xor"));
    w.training()->start();
    QTRY_VERIFY_WITH_TIMEOUT(w.training()->latestSnapshot()->completedEpochs >= 20, 20000);
    QTRY_VERIFY(w.plotRefreshCount() >= 3);
    QTRY_VERIFY(w.rasterPlot()->spikeCount(0) > 0); // inputs
    QVERIFY(w.rasterPlot()->desiredCount() > 0);
    QTRY_VERIFY(w.membranePlot()->firstTracePointCount() > 0);
    // Decimated to pixel columns: at most two points per column of the plot.
    const int points = w.membranePlot()->firstTracePointCount();
    const int columns = std::max(50, w.membranePlot()->plot()->axisRect()->width());
    qInfo("membrane trace: %d points for %d columns (2000 samples)", points, columns);
    QVERIFY(points <= std::max(2000 / 1, 2 * columns) && (columns >= 1000 || points < 2000));
    QTRY_VERIFY(w.learningCurvePlot()->epochCount() >= 1);
    QVERIFY(w.training()->stopAndWait());
}

void TestMainWindow::savesAndOpensProjectFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("single.json"));
    saveProject(generators::singleNeuron(3), path.toStdString());
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    QVERIFY(w.openProject(path));
    QCOMPARE(w.document()->project().network.inputCount(), 100);
    QVERIFY(w.windowTitle().startsWith(QStringLiteral("single.json")));
    w.training()->stepEpoch();
    QTRY_COMPARE(w.training()->state(), State::Paused);
    // Stop only once the stepped epoch has been handed over: a stop that overtakes it leaves nothing to save.
    QTRY_VERIFY(w.training()->latestSnapshot()->completedEpochs >= 1);
    w.training()->stop();
    QTRY_VERIFY(w.document()->isModified());
    const QString copy = dir.filePath(QStringLiteral("trained.json"));
    QVERIFY(w.saveTo(copy));
    QVERIFY(!w.document()->isModified());
    QVERIFY(w.windowTitle().startsWith(QStringLiteral("trained.json")));
    QCOMPARE(loadProject(copy.toStdString()).history.size(), std::size_t(1));
}

void TestMainWindow::closingDuringTrainingIsPrompt()
{
    generators::SingleNeuronOptions o;
    o.duration = 20.0;
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.setProject(generators::singleNeuron(1, o), QStringLiteral("long"));
    w.show();
    w.training()->start();
    // The worker reports Running as it enters the trainer's loop: from here it is inside the 20 s pattern.
    QTRY_COMPARE(w.training()->state(), State::Running);
    QElapsedTimer t;
    t.start();
    QVERIFY(w.close());
    qInfo("close took %lld ms", t.elapsed());
    QVERIFY(t.elapsed() < 1000);
}

namespace {
/// Answers the next modal message box with `button` (rejects any other dialog) as soon as it is
/// shown (polled, not slept).
void answerNextMessageBox(QMessageBox::StandardButton button, QString* text)
{
    auto* poll = new QTimer;
    poll->setInterval(10);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, button, text] {
        QWidget* modal = QApplication::activeModalWidget();
        if (auto* box = qobject_cast<QMessageBox*>(modal)) {
            *text = box->text();
            box->button(button)->click();
            poll->deleteLater();
        } else if (auto* dialog = qobject_cast<QDialog*>(modal)) { // e.g. a file dialog: dismiss it
            dialog->reject();
            poll->deleteLater();
        }
    });
    poll->start();
}
} // namespace

void TestMainWindow::replacingTheProjectWhileTrainingAsks_data()
{
    QTest::addColumn<int>("answer");
    QTest::addColumn<bool>("replaced");
    QTest::addColumn<bool>("savedEpochs");
    QTest::newRow("cancel keeps the session") << int(QMessageBox::Cancel) << false << false;
    QTest::newRow("discard replaces, file untouched") << int(QMessageBox::Discard) << true << false;
    QTest::newRow("save writes the epochs first") << int(QMessageBox::Save) << true << true;
}

void TestMainWindow::replacingTheProjectWhileTrainingAsks()
{
    // Training changes the project: while a session runs the title shows it modified, and opening
    // another project asks first instead of dropping the session's epochs.
    QFETCH(int, answer);
    QFETCH(bool, replaced);
    QFETCH(bool, savedEpochs);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("training.json"));
    Project p = generators::singleNeuron(1);
    p.training.targetCorrelation = 1.01; // never converges: the session is still running when asked
    saveProject(p, path.toStdString());
    ui::MainWindow w;
    QVERIFY(w.openProject(path));
    w.show();
    QVERIFY(!w.isWindowModified());
    w.training()->start();
    QTRY_VERIFY_WITH_TIMEOUT(w.training()->latestSnapshot()->completedEpochs >= 2, 20000);
    QTRY_VERIFY(w.isWindowModified()); // once the GUI thread has heard that the session runs
    QString question;
    answerNextMessageBox(QMessageBox::StandardButton(answer), &question);
    QCOMPARE(w.openExample(QStringLiteral("xor")), replaced);
    QVERIFY2(question.contains(QStringLiteral("training.json is training")), qPrintable(question));
    QCOMPARE(w.windowTitle().startsWith(QStringLiteral("Spike-based XOR")), replaced);
    QCOMPARE(w.training()->isActive(), !replaced);
    QCOMPARE(loadProject(path.toStdString()).history.size() >= 2, savedEpochs);
    w.training()->stopAndWait();
    w.setConfirmUnsavedChanges(false);
}

void TestMainWindow::evaluateShowsTheCurrentAnswer()
{
    // Evaluate is a forward pass with the current weights and no update; choosing a pattern while
    // idle shows its pass; a trained project reopens showing its answer instead of empty plots.
    auto inputSpikes = [](const Project& p, int k) {
        int n = 0;
        for (const SpikeTrain& t : p.task.patterns[std::size_t(k)].inputs)
            n += static_cast<int>(t.size());
        return n;
    };
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("trained.json"));
    {
        ui::MainWindow w;
        w.setConfirmUnsavedChanges(false);
        QVERIFY(w.openExample(QStringLiteral("xor")));
        w.show();
        QVERIFY(w.evaluateAction()->isEnabled());
        w.patternChooser()->setCurrentIndex(3); // pattern 2
        QTRY_COMPARE(w.rasterPlot()->spikeCount(0), inputSpikes(w.document()->project(), 2));
        QCOMPARE(w.document()->undoStack()->count(), 0); // nothing was learned
        w.patternChooser()->setCurrentIndex(1);          // pattern 0, by the action this time
        w.evaluateAction()->trigger();
        QTRY_COMPARE(w.rasterPlot()->spikeCount(0), inputSpikes(w.document()->project(), 0));
        QVERIFY(w.rasterPlot()->desiredCount() > 0);
        w.training()->stepEpoch();
        // The snapshot is shared at once, the Paused state arrives as an event: wait for both (with the
        // faster engine the epoch's snapshot came before the state had reached the window).
        QTRY_VERIFY(w.training()->latestSnapshot()->completedEpochs >= 1 && w.training()->state() == State::Paused);
        QVERIFY(!w.evaluateAction()->isEnabled()); // a session holds the weights
        w.training()->stop();
        QTRY_VERIFY(w.document()->project().history.size() == 1);
        QVERIFY(w.saveTo(path));
    }
    ui::MainWindow reopened;
    reopened.setConfirmUnsavedChanges(false);
    QVERIFY(reopened.openProject(path));
    reopened.show();
    QTRY_COMPARE(reopened.rasterPlot()->spikeCount(0), inputSpikes(reopened.document()->project(), 0));
}

void TestMainWindow::keysReachTheirActions_data()
{
    QTest::addColumn<QKeySequence>("key");
    QTest::addColumn<QString>("action");
    QTest::newRow("Ctrl+Y redoes") << QKeySequence(Qt::CTRL | Qt::Key_Y) << "redo";
    QTest::newRow("Ctrl+Shift+Z redoes") << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z) << "redo";
    QTest::newRow("Ctrl+Shift+S saves as") << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S) << "saveAs";
}

void TestMainWindow::keysReachTheirActions()
{
    // The keys of every desktop work whatever Qt's platform key theme binds (the generic X11 theme
    // has no Save As key and no Ctrl+Y).
    QFETCH(QKeySequence, key);
    QFETCH(QString, action);
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    QVERIFY(w.openExample(QStringLiteral("single")));
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QAction* expected = action == "redo" ? w.redoAction() : w.saveAsAction();
    if (action == "redo") {
        QVERIFY(w.document()
                    ->edit(QStringLiteral("seed"), ui::ProjectDocument::TrainingChanged, [](Project& p) { p.seed = 7; })
                    .isEmpty());
        w.document()->undoStack()->undo();
        QCOMPARE(w.document()->project().seed, std::uint64_t(1));
    } else {
        QString ignored;
        answerNextMessageBox(QMessageBox::Cancel, &ignored); // dismisses the Save As file dialog
    }
    QSignalSpy triggered(expected, &QAction::triggered);
    QTest::keySequence(&w, key);
    QCOMPARE(triggered.count(), 1);
    if (action == "redo")
        QCOMPARE(w.document()->project().seed, std::uint64_t(7));
}

void TestMainWindow::spaceStartsPausesAndResumes_data()
{
    QTest::addColumn<QString>("focus");
    QTest::newRow("window") << "window";
    QTest::newRow("pattern chooser (combo box)") << "chooser";
    QTest::newRow("run-control tool button") << "button";
}

void TestMainWindow::spaceStartsPausesAndResumes()
{
    // The README's key: Space starts from idle, pauses, resumes — wherever the focus is. A focused
    // combo box must not open its list and a focused button must not be clicked instead.
    QFETCH(QString, focus);
    generators::SingleNeuronOptions o;
    o.duration = 5.0; // a long pattern: training cannot finish between two key presses
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.setProject(generators::singleNeuron(1, o), QStringLiteral("space"));
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QWidget* target = &w;
    if (focus == "chooser")
        target = w.patternChooser();
    else if (focus == "button")
        target = w.findChild<QToolBar*>()->widgetForAction(w.stopAction());
    QVERIFY(target);
    target->setFocus();
    QCOMPARE(w.training()->state(), State::Idle);
    QCOMPARE(w.pauseAction()->text(), QStringLiteral("Pause")); // idle: nothing to resume
    QSignalSpy stopClicked(w.stopAction(), &QAction::triggered);

    QTest::keyClick(target, Qt::Key_Space);
    QTRY_COMPARE(w.training()->state(), State::Running);
    QTest::keyClick(target, Qt::Key_Space);
    QTRY_COMPARE(w.training()->state(), State::Paused);
    QVERIFY(w.pauseAction()->isEnabled());
    QVERIFY(!w.startAction()->isEnabled()); // paused: Resume continues, Start is not a second way
    QCOMPARE(w.pauseAction()->text(), QStringLiteral("Resume"));
    QTest::keyClick(target, Qt::Key_Space);
    QTRY_COMPARE(w.training()->state(), State::Running);
    QVERIFY(!w.patternChooser()->view()->isVisible());
    QVERIFY(stopClicked.isEmpty());
    QVERIFY(w.training()->stopAndWait());
}

void TestMainWindow::docksAreLaidOut_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1280x800") << QSize(1280, 800);
    QTest::newRow("1920x1080") << QSize(1920, 1080);
}

void TestMainWindow::docksAreLaidOut()
{
    QFETCH(QSize, size);
    ui::MainWindow w;
    w.resize(size);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openExample(QStringLiteral("xor")));
    // Run the layout requests the example posted (each round may post the next: a new minimum
    // resizes the window, which lays out its docks), until the plots have their share of the width.
    QTRY_VERIFY(processLayouts() && w.membranePlot()->width() >= size.width() * 6 / 10);
    // The window fits the requested size exactly: no minimum width may force it wider.
    QCOMPARE(w.size(), size);
    // The live plots are the point of the window: most of its width, readable heights.
    for (QWidget* plot : {static_cast<QWidget*>(w.membranePlot()), static_cast<QWidget*>(w.rasterPlot())}) {
        QVERIFY(plot->isVisible());
        QVERIFY2(plot->width() >= size.width() * 6 / 10 && plot->height() >= size.height() / 4,
                 qPrintable(QStringLiteral("%1 is %2×%3")
                                .arg(plot->metaObject()->className())
                                .arg(plot->width())
                                .arg(plot->height())));
    }
    QVERIFY(w.learningCurvePlot()->isVisible());
    QVERIFY(w.learningCurvePlot()->width() >= 300 && w.learningCurvePlot()->height() >= 300);
    for (QDockWidget* d : w.findChildren<QDockWidget*>()) {
        if (d->isHidden())
            continue; // closed until asked for (Lessons, Inside the rule)
        if (!w.tabifiedDockWidgets(d).isEmpty() && d->visibleRegion().isEmpty())
            continue; // tabbed behind another dock: one click away
        QVERIFY2(d->isVisible(), qPrintable(d->windowTitle()));
        QVERIFY2(d->width() >= 200 && d->height() >= 120,
                 qPrintable(QStringLiteral("%1 is %2×%3").arg(d->windowTitle()).arg(d->width()).arg(d->height())));
    }
    // The extra space of a large screen goes to the plots.
    if (size.width() >= 1900)
        QVERIFY(w.membranePlot()->width() >= 1200);
}

void TestMainWindow::designersFitWithoutScrolling_data()
{
    QTest::addColumn<QString>("example");
    QTest::addColumn<int>("tab");
    QTest::addColumn<int>("layer"); // the layer selected in the network designer (0: inputs)
    for (const char* example : {"xor", "multilayer", "single"}) {
        QTest::newRow((std::string(example) + " network").c_str()) << example << int(ui::Tab::Network) << 0;
        QTest::newRow((std::string(example) + " task").c_str()) << example << int(ui::Tab::Task) << 0;
    }
    // A LIF layer's page: neurons, learning and weight initialisation (it scrolled sideways).
    QTest::newRow("xor output layer") << "xor" << int(ui::Tab::Network) << 2;
    QTest::newRow("multilayer hidden layer") << "multilayer" << int(ui::Tab::Network) << 1;
    QTest::newRow("single output layer") << "single" << int(ui::Tab::Network) << 1;
}

void TestMainWindow::designersFitWithoutScrolling()
{
    // At 1280×800 with the docks in their default place, no designer scrolls sideways: every control
    // (learning, initialisation, synapses, the generators) is in view.
    QFETCH(QString, example);
    QFETCH(int, tab);
    QFETCH(int, layer);
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openExample(example));
    w.showTab(ui::Tab(tab));
    QTRY_VERIFY(processLayouts() && w.membranePlot()->parentWidget() && w.size() == QSize(1280, 800));
    QWidget* content = w.tab(ui::Tab(tab));
    if (layer > 0) {
        auto* designer = qobject_cast<ui::NetworkDesigner*>(content);
        QVERIFY(designer);
        designer->setCurrentLayer(layer);
        QCOMPARE(designer->currentLayer(), layer);
    }
    QTRY_VERIFY(processLayouts() && content->isVisible());
    const QString sideways = testui::sidewaysScroll(content);
    QVERIFY2(sideways.isEmpty(), qPrintable(sideways));
    // Nor is anything cut off by a squeezed form (the derived τL and rheobase were, beside Learning).
    const QString clipped = testui::clippedLabels(content);
    QVERIFY2(clipped.isEmpty(), qPrintable(clipped));
}

void TestMainWindow::ruleSettingsHaveRoom_data()
{
    QTest::addColumn<QString>("rule");
    QTest::newRow("NormAD") << "normad";
    QTest::newRow("SuperSpike") << "superspike";
}

void TestMainWindow::ruleSettingsHaveRoom()
{
    // At 1280×800 the Run settings dock shows at least five of the selected rule's settings at once
    // (all of them when it has fewer): a scroll box around the rule's settings alone had shown two.
    QFETCH(QString, rule);
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openExample(QStringLiteral("xor")));
    auto* panel = w.findChild<ui::TrainingSettingsPanel*>();
    QVERIFY(panel);
    panel->rule()->setCurrentIndex(panel->rule()->findData(rule));
    QTRY_COMPARE(w.document()->project().training.rule, rule.toStdString());
    QTRY_VERIFY(processLayouts() && w.size() == QSize(1280, 800) && panel->isVisible());
    const normad::RuleInfo& info = normad::findRule(rule.toStdString());
    const std::size_t shown = std::min<std::size_t>(info.parameters.size(), 5);
    QVERIFY(shown >= 2);
    QWidget* first = panel->settingEditor(info.key, info.parameters.front().key);
    QWidget* last = panel->settingEditor(info.key, info.parameters[shown - 1].key);
    QVERIFY(first && last && first->isVisible() && last->isVisible());
    QScrollArea* scroll = nullptr;
    for (QWidget* p = first->parentWidget(); p && !scroll; p = p->parentWidget())
        scroll = qobject_cast<QScrollArea*>(p);
    QVERIFY(scroll);
    const int top = first->mapTo(scroll->widget(), QPoint(0, 0)).y();
    const int bottom = last->mapTo(scroll->widget(), QPoint(0, last->height())).y();
    QVERIFY2(bottom - top <= scroll->viewport()->height(),
             qPrintable(QStringLiteral("%1 settings need %2 px, the dock shows %3 px")
                            .arg(shown)
                            .arg(bottom - top)
                            .arg(scroll->viewport()->height())));
    // The settings scroll vertically only.
    QVERIFY(!scroll->horizontalScrollBar()->isVisible());
    // No blank room under a rule with fewer settings than another: the page stack takes the shown
    // page's height.
    QWidget* page = first->parentWidget();
    QWidget* stack = page ? page->parentWidget() : nullptr;
    QVERIFY(stack);
    QTRY_VERIFY2(processLayouts() && stack->height() <= page->sizeHint().height() + 4,
                 qPrintable(QStringLiteral("the rule's settings need %1 px, their stack is %2 px")
                                .arg(page->sizeHint().height())
                                .arg(stack->height())));
}

void TestMainWindow::wheelScrollsTheSettingsNotTheirValues()
{
    // The Run settings scroll in their dock at 1280×800: a wheel turned over a field the user did
    // not click scrolls the panel and leaves the value (and the project) alone; a focused field still
    // takes the wheel.
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openExample(QStringLiteral("xor")));
    auto* panel = w.findChild<ui::TrainingSettingsPanel*>();
    QVERIFY(panel);
    QTRY_VERIFY(processLayouts() && panel->isVisible());
    QScrollArea* scroll = nullptr;
    for (QWidget* p = panel->parentWidget(); p && !scroll; p = p->parentWidget())
        scroll = qobject_cast<QScrollArea*>(p);
    QVERIFY(scroll);
    QTRY_VERIFY(scroll->verticalScrollBar()->maximum() > 0); // the settings do not fit: the panel scrolls
    QSpinBox* epochs = panel->maxEpochs();
    w.membranePlot()->setFocus();
    QVERIFY(!epochs->hasFocus());
    const int before = epochs->value();
    const int undoSteps = w.document()->undoStack()->count();
    auto turn = [&](QWidget* target, int delta) {
        QWheelEvent wheel(QPointF(5, 5), target->mapToGlobal(QPointF(5, 5)), QPoint(), QPoint(0, delta), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(target, &wheel);
    };
    turn(epochs, -120);
    QCOMPARE(epochs->value(), before);
    QCOMPARE(w.document()->undoStack()->count(), undoSteps);
    QVERIFY(scroll->verticalScrollBar()->value() > 0);
    epochs->setFocus();
    QTRY_VERIFY(epochs->hasFocus());
    turn(epochs, 120);
    QCOMPARE(epochs->value(), before + 1);
}

void TestMainWindow::wheelLeavesTheDesignersFieldsAlone_data()
{
    QTest::addColumn<int>("tab");
    QTest::newRow("network") << int(ui::Tab::Network);
    QTest::newRow("task") << int(ui::Tab::Task);
}

void TestMainWindow::wheelLeavesTheDesignersFieldsAlone()
{
    // The designers scroll in their tabs as the Run settings do in their dock: a wheel turned over
    // any spin box or combo box the user did not click changes neither it nor the project; a
    // focused one still takes the wheel.
    QFETCH(int, tab);
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openExample(QStringLiteral("xor")));
    w.showTab(ui::Tab(tab));
    QWidget* designer = w.tab(ui::Tab(tab));
    QVERIFY(designer);
    QTRY_VERIFY(processLayouts() && designer->isVisible());
    const int undoSteps = w.document()->undoStack()->count();
    auto turn = [](QWidget* target, int delta) {
        QWheelEvent wheel(QPointF(5, 5), target->mapToGlobal(QPointF(5, 5)), QPoint(), QPoint(0, delta), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(target, &wheel);
    };
    w.membranePlot()->setFocus();
    int turned = 0;
    QDoubleSpinBox* focusable = nullptr;
    QList<QWidget*> fields;
    for (QAbstractSpinBox* box : designer->findChildren<QAbstractSpinBox*>())
        fields << box;
    for (QComboBox* box : designer->findChildren<QComboBox*>())
        fields << box;
    for (QWidget* field : fields) {
        if (!field->isVisible() || !field->isEnabled())
            continue;
        QVERIFY(!field->hasFocus());
        auto* spin = qobject_cast<QAbstractSpinBox*>(field);
        auto* combo = qobject_cast<QComboBox*>(field);
        const QString before = spin ? spin->text() : combo->currentText();
        for (int delta : {-120, 120, 120}) // down, then up twice: a field at its minimum moves too
            turn(field, delta);
        QVERIFY2((spin ? spin->text() : combo->currentText()) == before,
                 qPrintable(field->objectName() + QStringLiteral(" changed from ") + before));
        ++turned;
        if (auto* d = qobject_cast<QDoubleSpinBox*>(field); d && !focusable && d->value() < d->maximum())
            focusable = d;
    }
    QVERIFY2(turned >= 3, qPrintable(QString::number(turned)));
    QCOMPARE(w.document()->undoStack()->count(), undoSteps);
    QVERIFY(focusable);
    focusable->setFocus();
    QTRY_VERIFY(focusable->hasFocus());
    const double value = focusable->value();
    turn(focusable, 120);
    QVERIFY2(focusable->value() > value, qPrintable(focusable->objectName()));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
