// Runs and baselines (issue 6): the ReSuMe selector, runs kept per session and overlaid, bookmarks
// and branches, offscreen.

#include "normad/RuleRegistry.h"
#include "normad/TaskGenerators.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/RunCurveOverlay.h"
#include "normad/ui/RunHistory.h"
#include "normad/ui/RunRasterOverlay.h"
#include "normad/ui/RunsFeature.h"
#include "normad/ui/RunsPanel.h"
#include "normad/ui/TrainingController.h"
#include "normad/ui/TrainingSettingsPanel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QStandardItemModel>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtTest>

#include <qcustomplot.h>

#include <functional>

using namespace normad;

namespace {
/// A single neuron small enough to train in milliseconds; a target above 1 is never reached, so a
/// session runs exactly maxEpochs epochs.
Project smallSingleNeuron(int epochs)
{
    generators::SingleNeuronOptions o;
    o.inputs = 50;
    o.duration = 0.2;
    Project p = generators::singleNeuron(1, o);
    p.training.maxEpochs = epochs;
    p.training.targetCorrelation = 1.01;
    return p;
}

std::vector<Eigen::MatrixXd> weightsOf(const Project& p)
{
    return p.network.allWeights();
}

bool train(ui::MainWindow& w)
{
    QSignalSpy finished(w.training(), &ui::TrainingController::finished);
    w.startAction()->trigger();
    return finished.wait(60000);
}
QDoubleSpinBox* resumeTauMs(const ui::TrainingSettingsPanel& panel)
{
    return qobject_cast<QDoubleSpinBox*>(panel.settingEditor("resume", "tau_s"));
}

QDoubleSpinBox* resumeA(const ui::TrainingSettingsPanel& panel)
{
    return qobject_cast<QDoubleSpinBox*>(panel.settingEditor("resume", "nonHebbian"));
}

} // namespace

class TestRuns : public QObject {
    Q_OBJECT

private slots:
    void ruleSettingsFollowTheirDescriptions_data();
    void ruleSettingsFollowTheirDescriptions();
    void typedNumbersCommitOnEnter_data();
    void typedNumbersCommitOnEnter();
    void ruleSelectorIsOneUndoStep();
    void ruleSelectorForDeeperNetworks();
    void normadAndResumeRunsOverlay();
    void bookmarkThenBranchIsExactAndUndoable();
    void onlyCheckedRunsAreDrawn();
    void openingAnotherProjectForgetsRuns();

private:
    /// Trains NormAD, branches back to the initial weights, trains ReSuMe: two runs.
    void trainBothRules(ui::MainWindow& w, int epochs);
};

void TestRuns::ruleSettingsFollowTheirDescriptions_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("key");
    for (const RuleInfo& rule : learningRules())
        for (const FieldInfo& field : rule.parameters)
            QTest::newRow((rule.key + "." + field.key).c_str())
                << QString::fromStdString(rule.key) << QString::fromStdString(field.key);
}

void TestRuns::ruleSettingsFollowTheirDescriptions()
{
    // Every setting of every registered rule has an editor made from its description; editing it is
    // one undoable edit of exactly that setting, in the setting's stored unit.
    QFETCH(QString, rule);
    QFETCH(QString, key);
    const RuleInfo& info = findRule(rule.toStdString());
    const FieldInfo& field = *std::find_if(info.parameters.begin(), info.parameters.end(),
                                           [&](const FieldInfo& f) { return f.key == key.toStdString(); });
    ui::ProjectDocument doc;
    doc.reset(smallSingleNeuron(5));
    ui::TrainingSettingsPanel panel(&doc);
    panel.rule()->setCurrentIndex(panel.rule()->findData(rule));
    QCOMPARE(QString::fromStdString(doc.project().training.rule), rule);
    QWidget* editor = panel.settingEditor(info.key, field.key);
    QVERIFY(editor);
    QVERIFY(editor->isEnabled());
    QCOMPARE(editor->toolTip(), QString::fromStdString(field.help));
    const int before = doc.undoStack()->count();
    FieldValue expected;
    if (auto* box = qobject_cast<QDoubleSpinBox*>(editor)) {
        QCOMPARE(box->value(), std::get<double>(field.defaultValue) * field.displayScale);
        const std::string unit = field.displayUnit.empty() ? field.unit : field.displayUnit;
        QCOMPARE(box->suffix(), unit.empty() ? QString() : QStringLiteral(" ") + QString::fromStdString(unit));
        // Up by 2, or halfway down towards the minimum for a default at the top of its range (NormAD's
        // learntCorrelation, 1 = off).
        const double next =
            box->value() + 2.0 <= box->maximum() ? box->value() + 2.0 : (box->value() + box->minimum()) / 2;
        box->setValue(next);
        QCOMPARE(box->value(), next);
        expected = box->value() / field.displayScale;
    } else if (auto* check = qobject_cast<QCheckBox*>(editor)) {
        QCOMPARE(check->isChecked(), std::get<bool>(field.defaultValue));
        check->setChecked(!check->isChecked());
        expected = check->isChecked();
    } else if (auto* combo = qobject_cast<QComboBox*>(editor)) {
        QCOMPARE(combo->currentText().toStdString(), std::get<std::string>(field.defaultValue));
        QCOMPARE(combo->count(), static_cast<int>(field.choices.size()));
        combo->setCurrentIndex((combo->currentIndex() + 1) % combo->count());
        expected = combo->currentText().toStdString();
    } else {
        QFAIL("no editor of a known kind");
    }
    QCOMPARE(doc.undoStack()->count(), before + 1);
    QVERIFY(doc.project().training.settings(info.key).at(field.key) == expected);
    doc.undoStack()->undo();
    QVERIFY(doc.project().training.settings(info.key).at(field.key) == field.defaultValue);
}

void TestRuns::typedNumbersCommitOnEnter_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<double>("stored"); // in the project's unit
    QTest::newRow("target C 0.95") << "target"
                                   << "0.95" << 0.95;
    QTest::newRow("target C 0.999") << "target"
                                    << "0.999" << 0.999;
    QTest::newRow("max epochs 200") << "maxEpochs"
                                    << "200" << 200.0;
    QTest::newRow("stagnation 35") << "stagnation"
                                   << "35" << 35.0;
    QTest::newRow("seed 4711") << "seed"
                               << "4711" << 4711.0;
    QTest::newRow("NormAD tau 2.5 ms") << "normad.effectiveTimeConstant_s"
                                       << "2.5" << 0.0025;
    // Settings beyond four decimals: scientific notation and every digit (they showed 0.0001 and 0.9835).
    QTest::newRow("SuperSpike epsilon 2.5e-28") << "superspike.epsilon"
                                                << "2.5e-28" << 2.5e-28;
    QTest::newRow("SuperSpike gamma 0.999925") << "superspike.gamma"
                                               << "0.999925" << 0.999925;
}

void TestRuns::typedNumbersCommitOnEnter()
{
    // Typing a number never commits its prefixes ("0.95" passing through 0 made training "converge"
    // at once; "200" through 2 ended a running session): nothing changes per keystroke, Enter commits
    // the whole number as one undo step.
    QFETCH(QString, field);
    QFETCH(QString, typed);
    QFETCH(double, stored);
    ui::ProjectDocument doc;
    doc.reset(smallSingleNeuron(5));
    ui::TrainingSettingsPanel panel(&doc);
    QAbstractSpinBox* box = nullptr;
    std::function<double()> value;
    const TrainingParams& t = doc.project().training;
    if (field == "target") {
        box = panel.targetCorrelation();
        value = [&] { return t.targetCorrelation; };
    } else if (field == "maxEpochs") {
        box = panel.maxEpochs();
        value = [&] { return double(t.maxEpochs); };
    } else if (field == "stagnation") {
        box = panel.stagnationEpochs();
        value = [&] { return double(t.stagnationEpochs); };
    } else if (field == "seed") {
        box = panel.seed();
        value = [&] { return double(doc.project().seed); };
    } else {
        const QStringList ruleAndKey = field.split('.');
        panel.rule()->setCurrentIndex(panel.rule()->findData(ruleAndKey[0]));
        box = qobject_cast<QAbstractSpinBox*>(
            panel.settingEditor(ruleAndKey[0].toStdString(), ruleAndKey[1].toStdString()));
        value = [&, ruleAndKey] {
            return std::get<double>(t.settings(ruleAndKey[0].toStdString()).at(ruleAndKey[1].toStdString()));
        };
    }
    QVERIFY(box);
    panel.show();
    panel.activateWindow();
    box->setFocus();
    QVERIFY(QTest::qWaitForWindowActive(&panel));
    QVERIFY(box->isEnabled());
    const double before = value();
    QVERIFY(!qFuzzyCompare(before, stored)); // the row must change the value
    const int steps = doc.undoStack()->count();
    QTest::keyClick(box, Qt::Key_A, Qt::ControlModifier);
    for (const QChar c : typed) {
        QTest::keyClick(box, c.toLatin1());
        QCOMPARE(value(), before);
        QCOMPARE(doc.undoStack()->count(), steps);
    }
    QTest::keyClick(box, Qt::Key_Return);
    QVERIFY2(qFuzzyCompare(value(), stored), qPrintable(QString::number(value(), 'g', 17)));
    QCOMPARE(doc.undoStack()->count(), steps + 1);
}

void TestRuns::ruleSelectorIsOneUndoStep()
{
    ui::ProjectDocument doc;
    doc.reset(smallSingleNeuron(5));
    ui::TrainingSettingsPanel panel(&doc);
    QVERIFY(panel.rule()->isEnabled());
    QVERIFY(!panel.ruleHint()->isVisibleTo(&panel));
    QVERIFY(!resumeTauMs(panel)->isEnabled()); // NormAD: ReSuMe's fields are inactive
    QVERIFY(doc.project().training.rule == std::string("normad"));

    panel.rule()->setCurrentIndex(1);
    QVERIFY(doc.project().training.rule == std::string("resume"));
    QCOMPARE(doc.undoStack()->count(), 1);
    QVERIFY(resumeTauMs(panel)->isEnabled());
    QVERIFY(resumeA(panel)->isEnabled());
    QCOMPARE(panel.variant()->text(), QString::fromStdString(describeVariant(doc.project().training)));
    QVERIFY(panel.variant()->text().startsWith(QStringLiteral("ReSuMe")));

    resumeTauMs(panel)->setValue(10.0);
    QCOMPARE(realValue(doc.project().training.settings("resume"), "tau_s"), 10e-3);
    resumeA(panel)->setValue(0.05);
    QCOMPARE(realValue(doc.project().training.settings("resume"), "nonHebbian"), 0.05);
    QCOMPARE(doc.undoStack()->count(), 3);
    QVERIFY(panel.variant()->text().contains(QStringLiteral("τ = 10 ms")));

    doc.undoStack()->undo();
    doc.undoStack()->undo();
    doc.undoStack()->undo();
    QVERIFY(doc.project().training.rule == std::string("normad"));
    QCOMPARE(panel.rule()->currentIndex(), 0);
    QCOMPARE(realValue(doc.project().training.settings("resume"), "tau_s"), 5e-3);
    QVERIFY(panel.variant()->text().startsWith(QStringLiteral("NormAD")));
}

void TestRuns::ruleSelectorForDeeperNetworks()
{
    ui::ProjectDocument doc;
    generators::MultilayerOptions o;
    o.inputs = 20;
    o.hidden = {10};
    o.duration = 0.2;
    doc.reset(generators::multilayer(1, o));
    QCOMPARE(doc.project().network.layerCount(), 2);
    ui::TrainingSettingsPanel panel(&doc);
    // NormAD and SuperSpike train every layer: the selector stays on with ReSuMe and PSD greyed.
    QVERIFY(panel.rule()->isEnabled());
    QVERIFY(panel.ruleHint()->isVisibleTo(&panel));
    QCOMPARE(panel.ruleHint()->text(), QStringLiteral("ReSuMe, PSD: single-layer networks only"));
    auto* model = qobject_cast<QStandardItemModel*>(panel.rule()->model());
    QVERIFY(model);
    auto offered = [&](const char* rule) {
        return model->item(panel.rule()->findData(QString::fromLatin1(rule)))->isEnabled();
    };
    QVERIFY(offered("normad") && offered("superspike"));
    QVERIFY(!offered("resume") && !offered("psd"));
    QVERIFY(!resumeTauMs(panel)->isEnabled());

    // A deeper project that says ReSuMe (an old file) can be switched back, not to ReSuMe again.
    Project p = doc.project();
    p.training.rule = "resume";
    doc.reset(p);
    QVERIFY(panel.rule()->isEnabled());
    QVERIFY(!offered("resume"));
    panel.rule()->setCurrentIndex(0);
    QVERIFY(doc.project().training.rule == std::string("normad"));
    QVERIFY(!offered("resume"));
    panel.rule()->setCurrentIndex(panel.rule()->findData(QStringLiteral("superspike")));
    QVERIFY(doc.project().training.rule == std::string("superspike"));

    // Back to one layer: offered again.
    doc.reset(smallSingleNeuron(5));
    QVERIFY(panel.rule()->isEnabled());
    QVERIFY(model->item(1)->isEnabled());
    QVERIFY(!panel.ruleHint()->isVisibleTo(&panel));
}

void TestRuns::trainBothRules(ui::MainWindow& w, int epochs)
{
    auto* panel = w.feature<ui::RunsFeature>()->panel();
    QVERIFY(panel);
    ui::RunHistory* history = panel->history();
    // Bookmark the initial weights, so both rules start from the same network.
    QCOMPARE(history->addBookmark(), 0);
    QCOMPARE(history->bookmarks()[0].epochs(), 0);
    QVERIFY(train(w));
    QCOMPARE(history->runs().size(), std::size_t(1));
    QCOMPARE(static_cast<int>(w.document()->project().history.size()), epochs);

    QVERIFY(history->branchFrom(0).isEmpty());
    QVERIFY(w.document()->project().history.empty());
    auto* settings = w.findChild<ui::TrainingSettingsPanel*>();
    QVERIFY(settings);
    settings->rule()->setCurrentIndex(1);
    QVERIFY(w.document()->project().training.rule == std::string("resume"));
    QVERIFY(train(w));
    QCOMPARE(history->runs().size(), std::size_t(2));
}

void TestRuns::normadAndResumeRunsOverlay()
{
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.show();
    w.setProject(smallSingleNeuron(12), QStringLiteral("Runs"));
    trainBothRules(w, 12);
    if (QTest::currentTestFailed())
        return;
    auto* panel = w.feature<ui::RunsFeature>()->panel();
    const auto& runs = panel->history()->runs();
    QVERIFY(runs[0].training.rule == std::string("normad"));
    QVERIFY(runs[1].training.rule == std::string("resume"));
    QCOMPARE(runs[0].seed, runs[1].seed);
    QVERIFY(runs[0].name != runs[1].name);
    QVERIFY(runs[0].name.startsWith(QStringLiteral("NormAD")));
    QVERIFY(runs[1].name.startsWith(QStringLiteral("ReSuMe")));
    QVERIFY(runs[1].name.contains(QStringLiteral("12 epochs")));
    // The two rules learned differently from the same start.
    QVERIFY(ofLayer(runs[0].weights, 1) != ofLayer(runs[1].weights, 1));

    // Curves: one per run, one point per epoch, named after the runs.
    ui::RunCurveOverlay* curves = panel->curves();
    QCOMPARE(curves->worstCurves().size(), std::size_t(2));
    for (std::size_t i = 0; i < 2; ++i) {
        QCPGraph* g = curves->worstCurves()[i];
        QCOMPARE(g->data()->size(), 12);
        QCOMPARE(g->data()->at(0)->key, 1.0);
        QCOMPARE(g->data()->at(11)->value, runs[i].history[11].minCorrelation);
        QCOMPARE(g->name(), runs[i].label());
    }
    QCOMPARE(curves->shownLabels().size(), 2);
    QVERIFY(curves->shownLabels()[0] != curves->shownLabels()[1]);
    QVERIFY(curves->worstCurves()[0]->pen().color() != curves->worstCurves()[1]->pen().color());
    QVERIFY(curves->worstCurves()[0]->pen().style() != curves->worstCurves()[1]->pen().style());
    QCOMPARE(curves->endOfEpochCurves().size(), std::size_t(2)); // convergeOnEvaluation is on

    // Rasters: the final forward passes arrive from the evaluation thread.
    QTRY_VERIFY(runs[0].outputsReady && runs[1].outputsReady);
    ui::RunRasterOverlay* rasters = panel->rasters();
    QCOMPARE(rasters->bandCount(), 2);
    const int desired = static_cast<int>(runs[0].desired.at(0).at(0).size());
    QVERIFY(desired > 0);
    QCOMPARE(rasters->desiredSpikes(), 2 * desired);
    for (int b = 0; b < 2; ++b)
        QCOMPARE(rasters->actualSpikes(b),
                 static_cast<int>(runs[static_cast<std::size_t>(b)].outputs.at(0).at(0).size()));
    // The ReSuMe run's final spikes are those of its final weights: the document holds them now.
    QVERIFY(ofLayer(runs[1].weights, 1) == w.document()->project().network.weights(1));

    // The list is editable: a new name reaches the run and the legend.
    QTreeWidgetItem* item = panel->runList()->topLevelItem(1);
    item->setText(1, QStringLiteral("ReSuMe baseline"));
    QCOMPARE(runs[1].name, QStringLiteral("ReSuMe baseline"));
    QCOMPARE(curves->worstCurves()[1]->name(), QStringLiteral("#2 ReSuMe baseline"));
}

void TestRuns::bookmarkThenBranchIsExactAndUndoable()
{
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.show();
    w.setProject(smallSingleNeuron(5), QStringLiteral("Branch"));
    auto* panel = w.feature<ui::RunsFeature>()->panel();
    ui::RunHistory* history = panel->history();
    QVERIFY(train(w));
    const std::vector<Eigen::MatrixXd> atFive = weightsOf(w.document()->project());
    const std::vector<EpochMetrics> historyAtFive = w.document()->project().history;
    QCOMPARE(historyAtFive.size(), std::size_t(5));

    // Through the Training menu's action, as a user would.
    QAction* bookmark = w.feature<ui::RunsFeature>()->bookmarkAction();
    QVERIFY(bookmark);
    bookmark->trigger();
    QCOMPARE(history->bookmarks().size(), std::size_t(1));
    QCOMPARE(history->bookmarks()[0].epochs(), 5);
    QCOMPARE(panel->bookmarkChooser()->count(), 1);
    QVERIFY(panel->branchButton()->isEnabled());

    QVERIFY(train(w)); // five more
    const std::vector<Eigen::MatrixXd> atTen = weightsOf(w.document()->project());
    QCOMPARE(w.document()->project().history.size(), std::size_t(10));
    QVERIFY(ofLayer(atTen, 1) != ofLayer(atFive, 1));

    const int steps = w.document()->undoStack()->count();
    panel->branchButton()->click();
    QCOMPARE(w.document()->undoStack()->count(), steps + 1); // one undoable edit
    QVERIFY(w.document()->undoStack()->undoText().startsWith(QStringLiteral("Branch from")));
    QVERIFY(ofLayer(weightsOf(w.document()->project()), 1) == ofLayer(atFive, 1)); // exactly, not approximately
    const auto& restored = w.document()->project().history;
    QCOMPARE(restored.size(), std::size_t(5));
    for (std::size_t i = 0; i < 5; ++i) {
        QCOMPARE(restored[i].epoch, historyAtFive[i].epoch);
        QCOMPARE(restored[i].minCorrelation, historyAtFive[i].minCorrelation);
    }

    w.document()->undoStack()->undo();
    QVERIFY(ofLayer(weightsOf(w.document()->project()), 1) == ofLayer(atTen, 1));
    QCOMPARE(w.document()->project().history.size(), std::size_t(10));
    w.document()->undoStack()->redo();
    QVERIFY(ofLayer(weightsOf(w.document()->project()), 1) == ofLayer(atFive, 1));
    QCOMPARE(w.document()->project().history.size(), std::size_t(5));

    // Training on from the branch continues the history at epoch 6.
    QVERIFY(train(w));
    QCOMPARE(w.document()->project().history.size(), std::size_t(10));
    QCOMPARE(w.document()->project().history[5].epoch, 6);
    QCOMPARE(history->runs().size(), std::size_t(3));
    QCOMPARE(history->runs().back().history.size(), std::size_t(10));
}

void TestRuns::onlyCheckedRunsAreDrawn()
{
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.show();
    w.setProject(smallSingleNeuron(6), QStringLiteral("Checked"));
    trainBothRules(w, 6);
    if (QTest::currentTestFailed())
        return;
    auto* panel = w.feature<ui::RunsFeature>()->panel();
    ui::RunHistory* history = panel->history();
    QTRY_VERIFY(history->runs()[0].outputsReady && history->runs()[1].outputsReady);
    QCOMPARE(panel->curves()->worstCurves().size(), std::size_t(2));

    // Unchecking in the list hides the run from both plots.
    panel->runList()->topLevelItem(0)->setCheckState(0, Qt::Unchecked);
    QVERIFY(!history->runs()[0].checked);
    QCOMPARE(panel->curves()->worstCurves().size(), std::size_t(1));
    QCOMPARE(panel->curves()->shownLabels(), QStringList{history->runs()[1].label()});
    QCOMPARE(panel->rasters()->bandCount(), 1);
    int visibleGraphs = 0;
    for (int i = 0; i < panel->curves()->plot()->graphCount(); ++i)
        visibleGraphs += panel->curves()->plot()->graph(i)->data()->size() > 0 ? 1 : 0;
    QCOMPARE(visibleGraphs, 2); // run 2's worst C and its end-of-epoch C, nothing of run 1

    history->setChecked(1, false);
    QCOMPARE(panel->curves()->worstCurves().size(), std::size_t(0));
    QCOMPARE(panel->rasters()->bandCount(), 0);
    QCOMPARE(panel->runList()->topLevelItem(1)->checkState(0), Qt::Unchecked);

    history->setChecked(0, true);
    QCOMPARE(panel->curves()->shownLabels(), QStringList{history->runs()[0].label()});
    QCOMPARE(panel->runList()->topLevelItem(0)->checkState(0), Qt::Checked);
}

void TestRuns::openingAnotherProjectForgetsRuns()
{
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.setProject(smallSingleNeuron(2), QStringLiteral("First"));
    auto* panel = w.feature<ui::RunsFeature>()->panel();
    QVERIFY(train(w));
    panel->history()->addBookmark();
    QCOMPARE(panel->history()->runs().size(), std::size_t(1));
    QCOMPARE(panel->runList()->topLevelItemCount(), 1);
    w.setProject(smallSingleNeuron(2), QStringLiteral("Second"));
    QVERIFY(panel->history()->runs().empty());
    QVERIFY(panel->history()->bookmarks().empty());
    QCOMPARE(panel->runList()->topLevelItemCount(), 0);
    QVERIFY(!panel->branchButton()->isEnabled());
}

QTEST_MAIN(TestRuns)
#include "tst_runs.moc"
