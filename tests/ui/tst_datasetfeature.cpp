// Dataset projects in the workbench (issue 16, point 9's GUI test): a project whose task is a small
// feature table written here opens, its data loads off the GUI thread, the dataset panel shows the
// class counts of every split, training draws the accuracy curves, the confusion matrix of the
// test split appears with counts that add up, a clicked cell lists its samples and one opens in the
// live plots. Moved or changed data asks for the file and says what differs.

#include "TabFit.h"
#include "TinyTable.h"

#include "normad/DataFileReference.h"
#include "normad/DatasetTask.h"
#include "normad/ProjectIo.h"
#include "normad/TaskGenerators.h"
#include "normad/ui/AccuracyCurvePlot.h"
#include "normad/ui/ConfusionMatrixPlot.h"
#include "normad/ui/DatasetFeature.h"
#include "normad/ui/DatasetPanel.h"
#include "normad/ui/ExportActions.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/NetworkDesigner.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/RasterPlot.h"
#include "normad/ui/TrainingController.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QListWidget>
#include <QProgressBar>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <qcustomplot.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace normad;
using ui::Dock;

namespace {

void writeText(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
}

/// A dataset project on `directory`/tiny.csv: receptive fields (9 per feature), 18 → 3 neurons,
/// a fifth of each class for validation and for test, `epochs` epochs. Saved as project.json there.
QString writeProject(const QString& directory, int epochs)
{
    const std::string d = directory.toStdString();
    writeText(d + "/tiny.csv", testdata::tinyTable());
    Project p;
    p.name = "tiny table";
    p.simulation.duration = 0.06;
    p.dataset = testdata::tinySpec(d, 0.2, 0.2);
    LayerSpec out;
    out.size = 3;
    out.learningRate = 0.5;
    out.init.kind = WeightInit::Kind::Normal;
    out.init.mean = 1e-9;
    out.init.stddev = 1e-9;
    p.network = Network(18, {out});
    p.training.maxEpochs = epochs;
    const QString path = directory + QStringLiteral("/project.json");
    saveProject(p, path.toStdString());
    return path;
}

struct Window {
    ui::MainWindow w;
    ui::DatasetFeature* feature = nullptr;

    Window()
    {
        w.setConfirmUnsavedChanges(false);
        w.resize(1280, 800);
        w.show();
        feature = w.feature<ui::DatasetFeature>();
    }
};

} // namespace

class TestDatasetFeature : public QObject {
    Q_OBJECT

private slots:
    void opensShowsCountsTrainsAndConfusion();
    void movedOrChangedDataAsksForIt_data();
    void movedOrChangedDataAsksForIt();
    void givingUpLeavesTheProjectUntrainable();
    void exportsTheMatrixCsv();
    void plotsFollowOffersSamplesAndClasses();
    void loadAndEvaluationShowPercent();
    void sampleRasterSpansTheTrial();
    void sampleAskedForWhileLoadingIsShownWhenLoaded();
    void statusBarNamesTheEvaluation();
    void targetCorrelationIsNotOfferedForDatasets();
    void slowEpochsShowPatternsPerSecond_data();
    void slowEpochsShowPatternsPerSecond();
    void brian2ScriptOfTheBrowsedSample();
    void networkDesignerFitsBesideTheDatasetDock_data();
    void networkDesignerFitsBesideTheDatasetDock();
};

void TestDatasetFeature::opensShowsCountsTrainsAndConfusion()
{
    QTemporaryDir dir;
    const QString path = writeProject(dir.path(), 2);
    Window win;
    QVERIFY(QTest::qWaitForWindowExposed(&win.w));
    QVERIFY(!win.w.startAction()->isEnabled());
    QVERIFY(win.w.openProject(path));
    QTRY_VERIFY_WITH_TIMEOUT(win.w.document()->loadedDataset() != nullptr, 20000);
    QVERIFY(!win.feature->isLoading());
    QTRY_VERIFY(win.w.startAction()->isEnabled());

    // The panel: shown, naming the source, one column per split, 14 samples of each class overall.
    QTRY_VERIFY(win.w.dock(Dock::Dataset)->isVisible());
    ui::DatasetPanel* panel = win.feature->panel();
    QVERIFY(panel->description().contains(QStringLiteral("tiny.csv")));
    QTableWidget* counts = panel->classCountTable();
    QCOMPARE(counts->columnCount(), 3);
    QCOMPARE(counts->rowCount(), 4);
    const auto data = win.w.document()->loadedDataset();
    int total = 0;
    for (int k = 0; k < 3; ++k) {
        int row = 0;
        for (int c = 0; c < 3; ++c)
            row += counts->item(k, c)->text().toInt();
        QCOMPARE(row, 14);
        total += row;
    }
    QCOMPARE(total, 42);
    QCOMPARE(counts->item(3, 2)->text().toInt(), static_cast<int>(data->patterns(Split::Test).size()));
    QCOMPARE(counts->item(3, 0)->text().toInt(), static_cast<int>(data->patterns(Split::Train).size()));

    // Training: two epochs; the accuracy curves follow, then the test split's confusion matrix.
    QSignalSpy evaluated(win.feature, &ui::DatasetFeature::evaluated);
    QSignalSpy finished(win.w.training(), &ui::TrainingController::finished);
    win.w.startAction()->trigger();
    QVERIFY(finished.wait(60000));
    QVERIFY(evaluated.wait(30000) || !evaluated.isEmpty());
    QCOMPARE(win.feature->accuracyPlot()->epochCount(), 2);
    for (double v : win.feature->accuracyPlot()->trainValues())
        QVERIFY(v >= 0 && v <= 100);
    QVERIFY(win.feature->lastEvaluatedSplit() == Split::Test);
    QTRY_VERIFY(win.w.dock(Dock::Confusion)->isVisible());
    ui::ConfusionMatrixPlot* matrix = win.feature->confusionPlot();
    const ConfusionMatrix& m = win.feature->lastEvaluation()->confusion;
    QCOMPARE(m.total(), data->patterns(Split::Test).size());
    // The cells shown add up to each class's test samples.
    for (int t = 0; t < 3; ++t) {
        std::size_t row = matrix->cellText(t, undecidedClass).toULongLong();
        for (int p = 0; p < 3; ++p)
            row += matrix->cellText(t, p).toULongLong();
        QCOMPARE(row, m.support(t));
        QVERIFY(row > 0);
    }
    QVERIFY(matrix->caption().contains(QStringLiteral("test split")));

    // A cell with samples: clicking it lists them; opening one draws its pass in the live raster.
    int cellTrue = -1, cellPredicted = -1;
    for (int t = 0; t < 3 && cellTrue < 0; ++t)
        for (int p = 0; p < 3 && cellTrue < 0; ++p)
            if (m.count(t, p) > 0) {
                cellTrue = t;
                cellPredicted = p;
            }
    QVERIFY(cellTrue >= 0);
    win.w.showDock(Dock::Confusion);
    matrix->plot()->replot();
    QTest::mouseClick(matrix->plot(), Qt::LeftButton, {}, matrix->cellCentre(cellTrue, cellPredicted).toPoint());
    QCOMPARE(static_cast<std::size_t>(win.feature->sampleList()->count()), m.count(cellTrue, cellPredicted));
    for (int row = 0; row < win.feature->sampleList()->count(); ++row) {
        const auto listed = win.feature->sampleList()->item(row)->data(Qt::UserRole).toULongLong();
        QCOMPARE(win.feature->lastEvaluation()->predictions.at(listed).trueClass, cellTrue);
        QCOMPARE(win.feature->lastEvaluation()->predictions.at(listed).predicted, cellPredicted);
    }
    // A cell of nothing lists nothing (closest-target never leaves a sample undecided).
    QTest::mouseClick(matrix->plot(), Qt::LeftButton, {}, matrix->cellCentre(cellTrue, undecidedClass).toPoint());
    QCOMPARE(static_cast<std::size_t>(win.feature->sampleList()->count()), m.undecided(cellTrue));
    QCOMPARE(win.feature->sampleList()->count(), 0);
    QTest::mouseClick(matrix->plot(), Qt::LeftButton, {}, matrix->cellCentre(cellTrue, cellPredicted).toPoint());
    const std::size_t position = win.feature->sampleList()->item(0)->data(Qt::UserRole).toULongLong();
    const auto pattern = data->patterns(Split::Test).pattern(position);
    int inputSpikes = 0;
    for (const SpikeTrain& train : pattern->inputs)
        inputSpikes += static_cast<int>(train.size());
    QVERIFY(inputSpikes > 0);
    win.feature->openListedSample(0);
    QTRY_COMPARE(win.w.rasterPlot()->spikeCount(0), inputSpikes);
    QVERIFY(win.w.currentTab() == ui::Tab::Live);
    // The sample browser follows: the test split, that position.
    QCOMPARE(panel->currentSample(), data->patterns(Split::Test).sampleIndex(position));
}

void TestDatasetFeature::movedOrChangedDataAsksForIt_data()
{
    QTest::addColumn<bool>("moved");
    QTest::addColumn<QString>("saysWhatDiffers");
    QTest::newRow("moved") << true << QStringLiteral("missing");
    QTest::newRow("changed") << false << QStringLiteral("bytes where the project recorded");
}

void TestDatasetFeature::movedOrChangedDataAsksForIt()
{
    QFETCH(bool, moved);
    QFETCH(QString, saysWhatDiffers);
    QTemporaryDir dir;
    const QString path = writeProject(dir.path(), 1);
    const std::string table = dir.path().toStdString() + "/tiny.csv";
    const std::string elsewhere = dir.path().toStdString() + "/moved.csv";
    if (moved)
        std::filesystem::rename(table, elsewhere);
    else
        std::ofstream(table, std::ios::app) << "0.5,0.5,a\n";
    const std::string answer = moved ? elsewhere : table;

    Window win;
    QStringList asked;
    win.feature->setFileChooser([&](const QString& message, const QString& oldPath, bool folder) {
        asked << message;
        [&] {
            QVERIFY(!folder);
            QCOMPARE(oldPath.toStdString(), table);
        }();
        return QString::fromStdString(answer);
    });
    QVERIFY(win.w.openProject(path));
    QTRY_VERIFY_WITH_TIMEOUT(win.w.document()->loadedDataset() != nullptr, 20000);
    QCOMPARE(asked.size(), 1);
    QVERIFY2(asked.front().contains(saysWhatDiffers), qPrintable(asked.front()));
    QVERIFY2(asked.front().contains(QStringLiteral("tiny.csv")), qPrintable(asked.front()));
    // The project now references the chosen file, as one undoable step.
    const DataFileReference& reference = win.w.document()->project().dataset->source.files.at(0);
    QCOMPARE(reference.size, static_cast<std::uint64_t>(std::filesystem::file_size(answer)));
    QCOMPARE(reference.path, std::string(moved ? "moved.csv" : "tiny.csv"));
    QCOMPARE(win.w.document()->undoStack()->count(), 1);
    QVERIFY(win.w.document()->isModified());
    QCOMPARE(win.w.document()->loadedDataset()->dataset().sampleCount(), std::size_t(moved ? 42 : 43));
}

void TestDatasetFeature::givingUpLeavesTheProjectUntrainable()
{
    QTemporaryDir dir;
    const QString path = writeProject(dir.path(), 1);
    std::filesystem::remove(dir.path().toStdString() + "/tiny.csv");
    Window win;
    win.feature->setFileChooser([](const QString&, const QString&, bool) { return QString(); });
    QSignalSpy failed(win.feature, &ui::DatasetFeature::loadFailed);
    QVERIFY(win.w.openProject(path));
    QVERIFY(failed.wait(20000));
    QVERIFY(failed.front().front().toString().contains(QStringLiteral("missing")));
    QVERIFY(!win.w.document()->loadedDataset());
    QVERIFY(!win.w.startAction()->isEnabled());
    QVERIFY(!win.feature->evaluateAction()->isEnabled());
    QCOMPARE(win.w.document()->undoStack()->count(), 0);
}

void TestDatasetFeature::exportsTheMatrixCsv()
{
    QTemporaryDir dir;
    const QString path = writeProject(dir.path(), 1);
    Window win;
    QVERIFY(win.w.openProject(path));
    QTRY_VERIFY_WITH_TIMEOUT(win.w.document()->loadedDataset() != nullptr, 20000);
    QSignalSpy evaluated(win.feature, &ui::DatasetFeature::evaluated);
    QVERIFY(win.feature->evaluateAction()->isEnabled());
    win.feature->evaluateAction()->trigger();
    QVERIFY(evaluated.wait(30000));
    QCOMPARE(win.feature->lastEvaluation()->confusion.total(),
             win.w.document()->loadedDataset()->patterns(Split::Test).size());

    // File ▸ Export ▸ Confusion Matrix hands the plot and ConfusionMatrix::toCsv to the exports.
    // Without the exports' file dialog: the request itself is what is checked here.
    QObject::disconnect(win.feature, &ui::DatasetFeature::exportRequested, nullptr, nullptr);
    qRegisterMetaType<QCustomPlot*>();
    QSignalSpy requested(win.feature, &ui::DatasetFeature::exportRequested);
    win.feature->menuActions(ui::Menu::Export).front()->trigger();
    QCOMPARE(requested.size(), 1);
    const QString csv = requested.front().at(2).toString();
    const auto names = win.w.document()->loadedDataset()->classNames();
    QCOMPARE(csv, QString::fromStdString(win.feature->lastEvaluation()->confusion.toCsv(names)));
    auto* exports = win.w.feature<ui::ExportActions>();
    const QString png = dir.filePath(QStringLiteral("confusion.png"));
    QVERIFY2(exports->exportPlot(win.feature->confusionPlot()->plot(), QStringLiteral("confusion"), png, csv),
             qPrintable(exports->lastError()));
    QFile written(dir.filePath(QStringLiteral("confusion.csv")));
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(written.readAll()), csv);
    QVERIFY(QFileInfo(png).size() > 100);
}

void TestDatasetFeature::plotsFollowOffersSamplesAndClasses()
{
    // "Plots follow" used to list only the inline task's patterns: for a dataset task it was empty.
    QTemporaryDir dir;
    const QString path = writeProject(dir.path(), 20);
    Window win;
    QVERIFY(win.w.openProject(path));
    QTRY_VERIFY_WITH_TIMEOUT(win.w.document()->loadedDataset() != nullptr, 20000);
    const auto data = win.w.document()->loadedDataset();
    const PatternSet& train = data->patterns(Split::Train);
    QComboBox* chooser = win.w.patternChooser();
    // Every sample as presented, the latest of each of the 3 classes, the first sample of each class.
    QTRY_COMPARE(chooser->count(), 7);
    QCOMPARE(chooser->itemText(0), QStringLiteral("every sample as presented"));
    QCOMPARE(chooser->itemText(2), QStringLiteral("latest of class b"));
    for (int k = 0; k < 3; ++k) {
        const int position = chooser->itemData(4 + k, Qt::UserRole).toInt();
        QCOMPARE(train.label(static_cast<std::size_t>(position)), k);
        QVERIFY(chooser->itemText(4 + k).startsWith(QStringLiteral("training sample %1 (").arg(position + 1)));
    }

    // Idle: choosing a sample shows its pass with the current weights at once.
    chooser->setCurrentIndex(5);
    const int fixed = chooser->itemData(5, Qt::UserRole).toInt();
    int inputSpikes = 0;
    for (const SpikeTrain& t : train.pattern(static_cast<std::size_t>(fixed))->inputs)
        inputSpikes += static_cast<int>(t.size());
    QTRY_COMPARE(win.w.rasterPlot()->spikeCount(0), inputSpikes);
    QVERIFY(win.w.statusBar()->currentMessage().contains(QStringLiteral("training sample %1").arg(fixed + 1)));

    // Training (20 epochs at 2 epochs/s, so it is watched while it runs): "latest of class b"
    // shows only samples of class b, snapshot after snapshot.
    QCOMPARE(win.w.document()->edit(QStringLiteral("never converge"), ui::ProjectDocument::TrainingChanged,
                                    [](Project& p) { p.training.targetCorrelation = 1.01; }),
             QString()); // the tiny task would converge within a few epochs
    chooser->setCurrentIndex(2);
    win.w.training()->setPace(2); // one of the toolbar's paces
    win.w.startAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(win.w.training()->state() == ui::TrainingSnapshot::State::Running &&
                                 win.w.training()->latestSnapshot() && win.w.training()->latestSnapshot()->view &&
                                 win.w.training()->latestSnapshot()->view->epoch >= 1,
                             20000);
    for (int seen = 0; seen < 5; ++seen) {
        QVERIFY2(win.w.training()->isActive(), "the session ended early");
        const auto view = win.w.training()->latestSnapshot()->view;
        QCOMPARE(view->label, 1);
        QCOMPARE(train.label(static_cast<std::size_t>(view->patternIndex)), 1);
        QSignalSpy snapshots(win.w.training(), &ui::TrainingController::snapshotReady);
        QVERIFY(snapshots.wait(5000));
    }
    // A fixed sample: only its passes.
    chooser->setCurrentIndex(6);
    const int followed = chooser->itemData(6, Qt::UserRole).toInt();
    QTRY_VERIFY_WITH_TIMEOUT(win.w.training()->latestSnapshot()->view->patternIndex == followed, 20000);
    QVERIFY(win.w.training()->isActive());
    QVERIFY(win.w.training()->stopAndWait(10000));
}

void TestDatasetFeature::loadAndEvaluationShowPercent()
{
    // Loading and evaluating used to show a busy bar without a figure: now a percent and Cancel.
    QTemporaryDir dir;
    const QString path = writeProject(dir.path(), 1);
    Window win;
    QVERIFY(win.w.openProject(path));
    QTRY_VERIFY_WITH_TIMEOUT(win.w.document()->loadedDataset() != nullptr, 20000);
    QProgressBar* load = win.feature->loadProgressBar();
    QCOMPARE(load->maximum(), 100);
    QVERIFY(load->isTextVisible() && load->format().contains(QStringLiteral("%p")));
    QCOMPARE(load->value(), 100); // the engine's last report: done

    win.w.showDock(Dock::Confusion);
    QProgressBar* evaluation = win.feature->evaluationProgressBar();
    QCOMPARE(evaluation->maximum(), 100);
    win.feature->evaluate(Split::Test);
    QVERIFY(win.feature->isEvaluating());
    QVERIFY(evaluation->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!win.feature->isEvaluating(), 20000);
    QCOMPARE(evaluation->value(), 100);
    QVERIFY(!evaluation->isVisible()); // only while it runs
    QVERIFY(win.feature->lastEvaluation());

    // Cancel: the running evaluation's outcome is dropped, the previous matrix stays.
    const std::size_t before = win.feature->lastEvaluation()->predictions.size();
    QSignalSpy evaluated(win.feature, &ui::DatasetFeature::evaluated);
    win.feature->evaluate(Split::Validation);
    win.feature->cancelEvaluation();
    QVERIFY(!win.feature->isEvaluating());
    QVERIFY(!evaluation->isVisible());
    QVERIFY(win.feature->lastEvaluatedSplit() == Split::Test);
    QCOMPARE(win.feature->lastEvaluation()->predictions.size(), before);
    QCOMPARE(evaluated.size(), 0);
}

void TestDatasetFeature::sampleRasterSpansTheTrial()
{
    // The sample browser's raster ended at the last spike (30 ms here): it spans the trial, [0, 60 ms].
    QTemporaryDir dir;
    const QString path = writeProject(dir.path(), 1);
    Window win;
    QVERIFY(win.w.openProject(path));
    QTRY_VERIFY_WITH_TIMEOUT(win.w.document()->loadedDataset() != nullptr, 20000);
    ui::DatasetPanel* panel = win.feature->panel();
    QSignalSpy encoded(panel, &ui::DatasetPanel::sampleEncoded);
    panel->showSample(0, 1);
    QTRY_VERIFY(!encoded.isEmpty());
    QVERIFY(panel->rasterSpikeCount() > 0);
    QCOMPARE(panel->rasterPlot()->xAxis->range().lower, 0.0);
    QCOMPARE(panel->rasterPlot()->xAxis->range().upper, 60.0);
}

void TestDatasetFeature::sampleAskedForWhileLoadingIsShownWhenLoaded()
{
    // A lesson changes the encoding (the data loads again) and shows a sample in the same Set up.
    QTemporaryDir dir;
    const QString path = writeProject(dir.path(), 1);
    Window win;
    QVERIFY(win.w.openProject(path));
    QVERIFY(win.feature->isLoading());
    QVERIFY(win.feature->showSample(Split::Validation, 2));
    QTRY_VERIFY_WITH_TIMEOUT(win.w.document()->loadedDataset() != nullptr, 20000);
    ui::DatasetPanel* panel = win.feature->panel();
    QCOMPARE(panel->sets().at(static_cast<std::size_t>(panel->currentSet())).name, QStringLiteral("validation"));
    QCOMPARE(panel->currentPosition(), 2);
    QCOMPARE(panel->currentSample(), win.w.document()->loadedDataset()->patterns(Split::Validation).sampleIndex(2));
}

void TestDatasetFeature::statusBarNamesTheEvaluation()
{
    // After a run the status bar kept the last epoch's online C; now it shows the end-of-run
    // evaluation and says which figure it is.
    QTemporaryDir dir;
    const QString path = writeProject(dir.path(), 2);
    Window win;
    QVERIFY(win.w.openProject(path));
    QTRY_VERIFY_WITH_TIMEOUT(win.w.document()->loadedDataset() != nullptr, 20000);
    QSignalSpy finished(win.w.training(), &ui::TrainingController::finished);
    QSignalSpy evaluated(win.feature, &ui::DatasetFeature::evaluated);
    win.w.startAction()->trigger();
    QVERIFY(finished.wait(60000));
    QVERIFY2(win.w.correlationText().contains(QStringLiteral("(end-of-run evaluation)")),
             qPrintable(win.w.correlationText()));
    QVERIFY(win.w.correlationText().startsWith(QStringLiteral("validation accuracy ")));
    // The test split's evaluation after the run: its accuracy, named.
    QVERIFY(evaluated.wait(30000) || !evaluated.isEmpty());
    const QString test =
        QStringLiteral("test accuracy %1 %").arg(100.0 * win.feature->lastEvaluation()->accuracy, 0, 'f', 1);
    QVERIFY2(win.w.correlationText().startsWith(test), qPrintable(win.w.correlationText()));

    // An inline task: C of the end-of-run evaluation, named as such, in place of the online C.
    win.w.setProject(generators::xorTask(1), QStringLiteral("xor"));
    {
        const QString error = win.w.document()->edit(QStringLiteral("epochs"), ui::ProjectDocument::TrainingChanged,
                                                     [](Project& p) { p.training.maxEpochs = 2; });
        QCOMPARE(error, QString());
    }
    QVERIFY(!win.w.correlationText().contains(QStringLiteral("end-of-run")));
    finished.clear();
    win.w.startAction()->trigger();
    QVERIFY(finished.wait(60000));
    QVERIFY2(win.w.correlationText().startsWith(QStringLiteral("C end-of-run evaluation: min ")),
             qPrintable(win.w.correlationText()));
}

void TestDatasetFeature::targetCorrelationIsNotOfferedForDatasets()
{
    // A dataset project showed Target C = 1.010 (its 2.0 clamped), editable though it means nothing there.
    QTemporaryDir dir;
    const QString path = writeProject(dir.path(), 2);
    Window win;
    auto* target = win.w.findChild<QDoubleSpinBox*>(QStringLiteral("targetCorrelation"));
    QVERIFY(target);
    QVERIFY(target->isEnabled()); // an empty project: an inline task
    QVERIFY(win.w.openProject(path));
    QVERIFY(!target->isEnabled());
    QVERIFY(target->toolTip().contains(QStringLiteral("accuracy")));
    win.w.setProject(generators::xorTask(1), QStringLiteral("xor"));
    QVERIFY(target->isEnabled());
}

void TestDatasetFeature::slowEpochsShowPatternsPerSecond_data()
{
    QTest::addColumn<double>("epochsPerSecond");
    QTest::addColumn<int>("patterns");
    QTest::addColumn<QString>("expected");
    // A Fashion-MNIST epoch of 1 000 samples in 5 s read "0.00 epochs/s".
    QTest::newRow("dataset epoch of 5 s") << 0.2 << 1000 << QStringLiteral("200 patterns/s · 5.0 s per epoch");
    QTest::newRow("few slow patterns") << 0.25 << 8 << QStringLiteral("2.0 patterns/s · 4.0 s per epoch");
    QTest::newRow("XOR, fast") << 40.0 << 4 << QStringLiteral("40 epochs/s");
    QTest::newRow("one a second or more") << 2.5 << 1000 << QStringLiteral("2.50 epochs/s");
    QTest::newRow("nothing measured yet") << 0.0 << 1000 << QStringLiteral("0.00 epochs/s");
}

void TestDatasetFeature::slowEpochsShowPatternsPerSecond()
{
    QFETCH(double, epochsPerSecond);
    QFETCH(int, patterns);
    QFETCH(QString, expected);
    ui::TrainingSnapshot s;
    s.epochsPerSecond = epochsPerSecond;
    s.patternsPerEpoch = patterns;
    QCOMPARE(ui::MainWindow::speedText(s), expected);
}

void TestDatasetFeature::brian2ScriptOfTheBrowsedSample()
{
    // Export ▸ Brian2 Script used to refuse dataset projects; it now runs the sample the dataset
    // panel browses, its encoded inputs written into the script and its label named at the top.
    QTemporaryDir dir;
    const QString path = writeProject(dir.path(), 1);
    Window win;
    QVERIFY(win.w.openProject(path));
    auto* exports = win.w.feature<ui::ExportActions>();
    const QString script = dir.filePath(QStringLiteral("sample.py"));
    QTRY_VERIFY_WITH_TIMEOUT(win.w.document()->loadedDataset() != nullptr, 20000);
    QVERIFY(win.feature->showSample(Split::Validation, 2));
    const auto browsed = win.feature->browsedSample();
    QVERIFY(browsed);
    QVERIFY(browsed->first == Split::Validation);
    QCOMPARE(browsed->second, 2);
    QVERIFY2(exports->exportBrian2Script(browsed->first, browsed->second, script), qPrintable(exports->lastError()));
    QFile file(script);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    const auto& data = *win.w.document()->loadedDataset();
    const PatternSet& set = data.patterns(Split::Validation);
    const int label = set.label(2);
    const QString named = QStringLiteral("tiny table: validation sample 2 (sample %1 of tiny.csv, label %2 '%3')")
                              .arg(set.sampleIndex(2))
                              .arg(label)
                              .arg(QString::fromStdString(data.classNames()[std::size_t(label)]));
    QVERIFY2(text.contains(named), qPrintable(named + "\n" + text.left(600)));
    QVERIFY(text.contains(QStringLiteral("normad simulate PROJECT --sample 2 --split validation")));
    QVERIFY(win.w.statusBar()->currentMessage().contains(QStringLiteral("validation sample 2")));
    // A sample outside the split is refused by name, and nothing is written.
    QVERIFY(!exports->exportBrian2Script(Split::Validation, 99, dir.filePath(QStringLiteral("none.py"))));
    QVERIFY2(exports->lastError().contains(QStringLiteral("sample 99")), qPrintable(exports->lastError()));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("none.py"))));
}

void TestDatasetFeature::networkDesignerFitsBesideTheDatasetDock_data()
{
    QTest::addColumn<int>("layer");
    QTest::newRow("inputs") << 0;
    QTest::newRow("output layer") << 1;
}

void TestDatasetFeature::networkDesignerFitsBesideTheDatasetDock()
{
    // The dataset dock opens on the right and leaves the tabs ~480 px at 1280×800: the network
    // designer's columns stack rather than scroll sideways.
    QFETCH(int, layer);
    QTemporaryDir dir;
    const QString path = writeProject(dir.path(), 2);
    Window win;
    QVERIFY(QTest::qWaitForWindowExposed(&win.w));
    QVERIFY(win.w.openProject(path));
    QTRY_VERIFY(win.w.dock(Dock::Dataset)->isVisible());
    win.w.showTab(ui::Tab::Network);
    auto* designer = qobject_cast<ui::NetworkDesigner*>(win.w.tab(ui::Tab::Network));
    QVERIFY(designer);
    designer->setCurrentLayer(layer);
    QTRY_VERIFY(designer->isVisible() && win.w.size() == QSize(1280, 800));
    QTRY_VERIFY2(testui::sidewaysScroll(designer).isEmpty(), qPrintable(testui::sidewaysScroll(designer)));
    QTRY_VERIFY2(testui::clippedLabels(designer).isEmpty(), qPrintable(testui::clippedLabels(designer)));
}

QTEST_MAIN(TestDatasetFeature)
#include "tst_datasetfeature.moc"
