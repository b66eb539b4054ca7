// Projects and exports in the workbench: recent files, autosave and crash recovery (a real
// workbench process killed with SIGKILL), a training run continued from its checkpoint after such
// a kill, the undo history dock, exports and imports.

#include "normad/ui/Autosave.h"
#include "normad/ui/AutosaveFeature.h"
#include "normad/ui/ExportActions.h"
#include "normad/ui/LearningCurvePlot.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/RecentFiles.h"
#include "normad/ui/RecentFilesFeature.h"
#include "normad/ui/TrainingController.h"
#include "normad/ui/UndoHistoryFeature.h"
#include "normad/ui/WeightPlot.h"

#include "normad/Checkpoint.h"
#include "normad/Exports.h"
#include "normad/ProjectIo.h"
#include "normad/TaskGenerators.h"

#include "TinyTable.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <QUndoView>
#include <QtTest>
#include <qcustomplot.h>

#include <csignal>

#include <fcntl.h>
#include <unistd.h>

using namespace normad;
using namespace normad::ui;

namespace {

Project smallXor(int maxEpochs)
{
    generators::XorOptions o;
    o.groupSize = 6;
    o.hidden = 5;
    o.duration = 0.05;
    Project p = generators::xorTask(3, o);
    p.training.maxEpochs = maxEpochs;
    p.training.targetCorrelation = 2.0; // never converges: runs exactly maxEpochs
    p.ensureWeights();
    return p;
}

/// Clicks the button called `text` of the next message box as soon as it is shown. Event-driven: the
/// click is queued to the box, so it runs in the box's own event loop, whenever that starts.
class MessageBoxAnswer : public QObject {
public:
    explicit MessageBoxAnswer(QString text) : QObject(qApp), m_text(std::move(text)) { qApp->installEventFilter(this); }

    bool eventFilter(QObject* watched, QEvent* event) override
    {
        auto* box = qobject_cast<QMessageBox*>(watched);
        if (!box || event->type() != QEvent::Show)
            return false;
        qApp->removeEventFilter(this);
        QTimer::singleShot(0, box, [box, text = m_text] {
            for (QAbstractButton* b : box->buttons())
                if (b->text().remove(QLatin1Char('&')) == text) {
                    b->click();
                    return;
                }
            qWarning("the message box has no button \"%s\"", qPrintable(text));
            box->reject(); // the test's checks then fail instead of hanging on an open box
        });
        deleteLater();
        return false;
    }

private:
    QString m_text;
};

void answerNextMessageBox(const QString& text)
{
    new MessageBoxAnswer(text);
}

/// CPU time the process `pid` has used, seconds (Linux /proc); −1 if it cannot be read.
double cpuSeconds(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    // Fields after the parenthesised command name (which may hold spaces): utime and stime are
    // fields 14 and 15 of the line, the 12th and 13th after the name.
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    return (fields[11].toDouble() + fields[12].toDouble()) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// History length of the first autosaved session in `recovery`, or −1 while there is none.
int autosavedHistory(const QDir& recovery)
{
    const QStringList files = recovery.entryList({QStringLiteral("session-*.json")}, QDir::Files);
    if (files.isEmpty())
        return -1;
    try {
        return static_cast<int>(loadProject(recovery.filePath(files.first()).toStdString()).history.size());
    } catch (const std::exception&) {
        return -1; // removed or replaced between the listing and the read
    }
}

/// The project without what two identical runs differ in: the wall times of the history.
std::string withoutWallTimes(Project p)
{
    for (EpochMetrics& e : p.history)
        e.seconds = 0;
    return projectToJson(p);
}

/// Waits until the training session of `w` has ended with `epochs` epochs in the document's history.
/// Empty on success, else what was seen last (the state, the history's length, failure messages).
QString trainToTheEnd(MainWindow& w, std::size_t epochs)
{
    QStringList failures;
    QObject::connect(w.training(), &TrainingController::failed, &w,
                     [&failures](const QString& message) { failures << message; });
    QDeadlineTimer deadline(120000);
    while (!deadline.hasExpired()) {
        if (!w.training()->isActive() && w.document()->project().history.size() == epochs)
            return {};
        QTest::qWait(20);
    }
    return QStringLiteral("state %1, %2 epochs in the history; %3")
        .arg(int(w.training()->state()))
        .arg(w.document()->project().history.size())
        .arg(failures.join(QStringLiteral("; ")));
}

} // namespace

class TestProjectFiles : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The app's names, so recovery files land where the workbench looks; everything under m_dir.
        QCoreApplication::setOrganizationName(QStringLiteral("NormAD"));
        QCoreApplication::setApplicationName(QStringLiteral("NormAD Workbench"));
        qputenv("XDG_DATA_HOME", m_dir.filePath("data").toLocal8Bit());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath("config").toLocal8Bit());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath("config"));
        QVERIFY(Autosave::recoveryFolder().startsWith(m_dir.path()));
    }

    void recentFiles()
    {
        RecentFiles recent;
        recent.clear();
        QStringList paths;
        for (int i = 0; i < RecentFiles::maxFiles + 2; ++i) {
            paths << m_dir.filePath(QStringLiteral("r%1.json").arg(i));
            QFile f(paths.last());
            QVERIFY(f.open(QIODevice::WriteOnly));
            recent.add(paths.last());
        }
        QCOMPARE(recent.files().size(), RecentFiles::maxFiles);
        QCOMPARE(recent.files().first(), paths.last());
        recent.add(paths[RecentFiles::maxFiles]); // again: moves to the top, no duplicate
        QCOMPARE(recent.files().first(), paths[RecentFiles::maxFiles]);
        QCOMPARE(recent.files().count(paths[RecentFiles::maxFiles]), 1);
        QFile::remove(paths.last()); // deleted files are left out
        QVERIFY(!recent.files().contains(paths.last()));

        // Saving and opening in the window record the file.
        MainWindow w;
        w.setConfirmUnsavedChanges(false);
        const QString file = m_dir.filePath("saved.json");
        w.setProject(smallXor(5), QStringLiteral("t"));
        QVERIFY(w.saveTo(file));
        auto* feature = w.feature<RecentFilesFeature>();
        QCOMPARE(feature->recentFiles()->files().first(), file);
        QVERIFY(w.menu(ui::Menu::File)->actions().contains(feature->recentMenu()->menuAction()));
    }

    void historyDockNamesEverySteps()
    {
        MainWindow w;
        w.setConfirmUnsavedChanges(false);
        w.setProject(smallXor(5), QStringLiteral("t"));
        QUndoView* view = w.feature<UndoHistoryFeature>()->view();
        QVERIFY(view);
        QCOMPARE(view->stack(), w.document()->undoStack());
        QVERIFY(w.document()
                    ->edit(QStringLiteral("Rename"), ProjectDocument::TrainingChanged,
                           [](Project& p) { p.name = "renamed"; })
                    .isEmpty());
        QCOMPARE(w.document()->undoStack()->text(0), QStringLiteral("Rename"));
        QVERIFY(w.windowTitle().contains(QStringLiteral("[*]")));
        QVERIFY(w.isWindowModified());
    }

    void exportsAndImports()
    {
        MainWindow w;
        w.setConfirmUnsavedChanges(false);
        w.resize(1000, 700);
        w.show();
        const Project p = smallXor(5);
        w.setProject(p, QStringLiteral("t"));
        ExportActions* ex = w.feature<ExportActions>();
        QVERIFY(ex);
        const QDir d(m_dir.filePath("exports"));
        QVERIFY(QDir().mkpath(d.path()));
        QVERIFY2(ex->exportWeights(d.filePath("w.npz")), qPrintable(ex->lastError()));
        QVERIFY(QFile::exists(d.filePath("w.manifest.json")) && QFile::exists(d.filePath("w.log.csv")));
        QVERIFY2(ex->exportSpikes(SpikeSource::parse("inputs", 1), d.filePath("in1.csv")), qPrintable(ex->lastError()));
        QVERIFY2(ex->exportSpikes(SpikeSource::parse("layer2", 0), d.filePath("out0.npz")),
                 qPrintable(ex->lastError()));
        // The Brian2 script: written, the status bar names it; a missing pattern is refused, no file.
        QVERIFY2(ex->exportBrian2Script(1, d.filePath("net.py")), qPrintable(ex->lastError()));
        QFile script(d.filePath("net.py"));
        QVERIFY(script.open(QIODevice::ReadOnly));
        const QByteArray text = script.readAll();
        QVERIFY(text.contains("SpikeGeneratorGroup(") && text.contains("pattern 1"));
        QVERIFY(w.statusBar()->currentMessage().contains(QDir::toNativeSeparators(d.filePath("net.py"))));
        QVERIFY(!ex->exportBrian2Script(7, d.filePath("none.py")));
        QVERIFY2(ex->lastError().contains(QStringLiteral("pattern 7")), qPrintable(ex->lastError()));
        QVERIFY(!QFile::exists(d.filePath("none.py")));
        QStringList exportEntries;
        for (QAction* a : w.menu(Menu::Export)->actions())
            exportEntries << a->text();
        QVERIFY2(exportEntries.contains(QStringLiteral("&Brian2 Script…")), qPrintable(exportEntries.join('|')));
        QVERIFY2(ex->exportTrainingLog(d.filePath("log.csv")), qPrintable(ex->lastError()));
        QVERIFY2(ex->exportManifest(d.filePath("manifest.json")), qPrintable(ex->lastError()));
        QVERIFY(!ex->exportPlot(w.weightPlot()->plot(), QStringLiteral("w"), d.filePath("w.bmp")));

        // The weight plot's CSV holds exactly its colour map (one row per cell, with a value column);
        // the one-neuron output layer is drawn as bars: no colour map, no value column.
        QCustomPlot* weights = w.weightPlot()->plot();
        w.weightPlot()->selectLayer(1);
        QStringList rows = plotDataCsv(weights).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(rows.first(), QStringLiteral("series,x_axis,y_axis,x,y,value"));
        w.weightPlot()->selectLayer(w.document()->project().network.layerCount());
        rows = plotDataCsv(weights).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(rows.first(), QStringLiteral("series,x_axis,y_axis,x,y"));

        // Import pattern 1's inputs into pattern 0: one undoable step; undo restores them.
        QVERIFY2(ex->importSpikes(0, false, d.filePath("in1.csv")), qPrintable(ex->lastError()));
        QVERIFY(w.document()->project().task.patterns[0].inputs == p.task.patterns[1].inputs);
        QCOMPARE(w.document()->undoStack()->text(w.document()->undoStack()->index() - 1),
                 QStringLiteral("Import input spikes of pattern 0"));
        w.document()->undoStack()->undo();
        QVERIFY(w.document()->project().task.patterns[0].inputs == p.task.patterns[0].inputs);
        // A bad file is refused with a message and changes nothing.
        QFile bad(d.filePath("bad.csv"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("neuron,time_s\n0,-1\n");
        bad.close();
        const int index = w.document()->undoStack()->index();
        QVERIFY(!ex->importSpikes(0, false, d.filePath("bad.csv")));
        QVERIFY(ex->lastError().contains(QStringLiteral("bad.csv")));
        QCOMPARE(w.document()->undoStack()->index(), index);
        // Desired trains with a spike beyond the trial: refused by the document's validation.
        QFile late(d.filePath("late.csv"));
        QVERIFY(late.open(QIODevice::WriteOnly));
        late.write("neuron,time_s\n0,5.0\n");
        late.close();
        QVERIFY(!ex->importSpikes(0, true, d.filePath("late.csv")));
    }

    void plotAndDashboardImages_data()
    {
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QByteArray>("signature"); // what the file's first bytes must hold
        QTest::newRow("png") << QStringLiteral("png") << QByteArray("\x89PNG");
        QTest::newRow("svg") << QStringLiteral("svg") << QByteArray("<svg");
        QTest::newRow("pdf") << QStringLiteral("pdf") << QByteArray("%PDF");
    }

    /// A plot and the whole dashboard exported in each image format, the plot with its data beside it.
    void plotAndDashboardImages()
    {
        QFETCH(QString, suffix);
        QFETCH(QByteArray, signature);
        MainWindow w;
        w.setConfirmUnsavedChanges(false);
        w.resize(1000, 700);
        w.show();
        w.setProject(smallXor(5), QStringLiteral("t"));
        ExportActions* ex = w.feature<ExportActions>();
        QVERIFY(ex);
        const QDir d(m_dir.filePath(QStringLiteral("images-") + suffix));
        QVERIFY(QDir().mkpath(d.path()));
        const auto head = [](const QString& path) {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.read(1024) : QByteArray();
        };

        const QString curves = d.filePath(QStringLiteral("curves.") + suffix);
        QVERIFY2(ex->exportPlot(w.learningCurvePlot()->plot(), QStringLiteral("curves"), curves),
                 qPrintable(ex->lastError()));
        QVERIFY(QFileInfo(curves).size() > 100);
        QVERIFY2(head(curves).contains(signature), qPrintable(curves));
        // No colour map in the curves: no always-empty value column (issue 10).
        QVERIFY(head(d.filePath("curves.csv")).startsWith("series,x_axis,y_axis,x,y\n"));
        QVERIFY(QFile::exists(d.filePath("curves.manifest.json")));

        const QString dashboard = d.filePath(QStringLiteral("dashboard.") + suffix);
        QVERIFY2(ex->exportDashboard(dashboard), qPrintable(ex->lastError()));
        QVERIFY(QFileInfo(dashboard).size() > 100);
        QVERIFY2(head(dashboard).contains(signature), qPrintable(dashboard));
    }

    void autosaveWritesAndRemovesTheRecoveryFile()
    {
        MainWindow w;
        w.setConfirmUnsavedChanges(false);
        w.setProject(smallXor(5), QStringLiteral("t"));
        Autosave* a = w.feature<AutosaveFeature>()->autosave();
        a->setIntervalMs(50);
        const QString recovery = a->recoveryFile();
        QVERIFY(!QFile::exists(recovery));
        QVERIFY(w.document()
                    ->edit(QStringLiteral("Rename"), ProjectDocument::TrainingChanged,
                           [](Project& p) { p.name = "autosaved"; })
                    .isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(recovery), 5000);
        QCOMPARE(loadProject(recovery.toStdString()).name, std::string("autosaved"));
        QVERIFY(Autosave::orphans().isEmpty()); // this session is alive: nothing to offer
        QVERIFY(w.saveTo(m_dir.filePath("autosaved.json")));
        QVERIFY(!QFile::exists(recovery)); // saved: nothing to recover
    }

    /// A workbench killed (SIGKILL) during and after training: the saved project still opens, and
    /// the autosaved changes are found and offered at the next start.
    void crashRecovery()
    {
        const QString workbench = qEnvironmentVariable("NORMAD_WORKBENCH");
        QVERIFY2(QFileInfo(workbench).isExecutable(), "NORMAD_WORKBENCH must name normad-workbench");
        const QString project = m_dir.filePath("crash.json");
        saveProject(smallXor(2), project.toStdString());
        const QString endless = m_dir.filePath("endless.json");
        saveProject(smallXor(1000000), endless.toStdString());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NORMAD_AUTOSAVE_MS"), QStringLiteral("200"));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));

        // Killed while training: the project file is untouched and opens.
        {
            QFile before(endless);
            QVERIFY(before.open(QIODevice::ReadOnly));
            const QByteArray bytes = before.readAll();
            before.close();
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(workbench, {endless, QStringLiteral("--start")});
            QVERIFY(p.waitForStarted(10000));
            // Training, not starting up: the idle window takes well under a second of CPU time, the
            // endless session takes all it can get.
            QTRY_VERIFY_WITH_TIMEOUT(cpuSeconds(p.processId()) >= 2.0, 60000);
            p.kill();
            QVERIFY(p.waitForFinished(10000));
            QFile after(endless);
            QVERIFY(after.open(QIODevice::ReadOnly));
            QCOMPARE(after.readAll(), bytes);
            QVERIFY_THROWS_NO_EXCEPTION(loadProject(endless.toStdString()));
        }
        // Killed after training committed its epochs (an unsaved edit) and the autosave ran.
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(workbench, {project, QStringLiteral("--start")});
        QVERIFY(p.waitForStarted(10000));
        const QDir recovery(Autosave::recoveryFolder());
        QTRY_COMPARE_WITH_TIMEOUT(autosavedHistory(recovery), 2, 60000);
        p.kill();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);

        QVERIFY(loadProject(project.toStdString()).history.empty()); // the saved file, as saved
        const QList<Autosave::Recovery> orphans = Autosave::orphans();
        QCOMPARE(orphans.size(), 1);
        QCOMPARE(orphans[0].originalFile, QFileInfo(project).absoluteFilePath());
        QCOMPARE(loadProject(orphans[0].projectFile.toStdString()).history.size(), std::size_t(2));

        // The next start offers it; Recover opens it as unsaved changes and deletes the file.
        MainWindow w;
        w.setConfirmUnsavedChanges(false);
        answerNextMessageBox(QStringLiteral("Recover"));
        QVERIFY(Autosave::offerRecovery(&w));
        QCOMPARE(w.document()->project().history.size(), std::size_t(2));
        QVERIFY(w.document()->isModified());
        QVERIFY(w.windowTitle().contains(QStringLiteral("recovered")));
        QVERIFY(Autosave::orphans().isEmpty());
    }

    void continueTrainingAfterCrash_data()
    {
        QTest::addColumn<bool>("miniBatch");
        QTest::addColumn<bool>("dataset"); // the tiny table (tests/common/TinyTable.h), else XOR
        QTest::newRow("XOR, online") << false << false;
        QTest::newRow("XOR, mini-batch") << true << false;
        QTest::newRow("tiny table, mini-batch") << true << true;
    }

    /// A workbench killed (SIGKILL) in the middle of a training run: the next start offers to
    /// continue it from its last checkpoint, and the run ends with every weight and every history
    /// entry as a run that never stopped (wall times aside).
    void continueTrainingAfterCrash()
    {
        QFETCH(bool, miniBatch);
        QFETCH(bool, dataset);
        const QString workbench = qEnvironmentVariable("NORMAD_WORKBENCH");
        QVERIFY2(QFileInfo(workbench).isExecutable(), "NORMAD_WORKBENCH must name normad-workbench");
        QVERIFY(Autosave::orphans().isEmpty());
        // A folder of its own: a dataset project's relative data path must lead to its file from there.
        const QString folder = m_dir.filePath(QStringLiteral("run-%1-%2").arg(int(miniBatch)).arg(int(dataset)));
        QVERIFY(QDir().mkpath(folder));
        Project p = smallXor(7);
        if (dataset) {
            QFile table(folder + QStringLiteral("/tiny.csv"));
            QVERIFY(table.open(QIODevice::WriteOnly));
            table.write(QByteArray::fromStdString(testdata::tinyTable()));
            table.close();
            p.task = {};
            p.dataset = testdata::tinySpec(folder.toStdString(), 0.2);
            p.simulation = testdata::tinyTrial();
            p.network = testdata::tinyNetwork(18, 0.5);
        }
        // The order is drawn from the trainer's generator: its state must survive the crash too.
        p.training.shufflePatterns = true;
        p.training.stagnationEpochs = 0;
        if (miniBatch) {
            p.training.schedule = UpdateSchedule::MiniBatch;
            p.training.batchSize = 2;
        }
        // A history from before: the run continues it, and keeps it ahead of its own epochs.
        p.history.resize(2);
        p.history[0].epoch = 1;
        p.history[1].epoch = 2;
        const QString project = folder + QStringLiteral("/project.json");
        saveProject(p, project.toStdString());

        // The reference: the same project trained in the workbench without a stop.
        Project reference;
        {
            MainWindow w;
            w.setConfirmUnsavedChanges(false);
            QVERIFY(w.openProject(project));
            if (dataset)
                QTRY_VERIFY_WITH_TIMEOUT(w.document()->loadedDataset() != nullptr, 60000);
            w.training()->start();
            const QString ended = trainToTheEnd(w, 9);
            QVERIFY2(ended.isEmpty(), qPrintable(ended));
            reference = w.document()->project();
        }

        // Checkpoints after epochs 2 and 4 of the run; killed right after the second.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("NORMAD_CHECKPOINT_EVERY"), QStringLiteral("2e"));
        env.insert(QStringLiteral("NORMAD_TEST_PAUSE"), QStringLiteral("checkpoint:4"));
        {
            QProcess child;
            child.setProcessEnvironment(env);
            child.start(workbench, {project, QStringLiteral("--start")});
            QVERIFY(child.waitForStarted(10000));
            QByteArray err;
            QDeadlineTimer deadline(120000);
            while (!err.contains("test pause at checkpoint:4") && child.state() != QProcess::NotRunning &&
                   !deadline.hasExpired()) {
                child.waitForReadyRead(200);
                err += child.readAllStandardError();
            }
            QVERIFY2(err.contains("test pause at checkpoint:4"), err.constData());
            ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished(10000));
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        }
        const QList<Autosave::Recovery> orphans = Autosave::orphans();
        QCOMPARE(orphans.size(), 1);
        QVERIFY(!orphans[0].checkpointFile.isEmpty());
        QCOMPARE(orphans[0].checkpointEpoch, 2 + 4); // the project's own history counts
        const Checkpoint checkpoint = loadCheckpoint(orphans[0].checkpointFile.toStdString());
        QCOMPARE(checkpoint.trainer.completedEpochs, 4);
        QCOMPARE(checkpoint.earlierHistory.size(), std::size_t(2));
        QCOMPARE(checkpoint.maxEpochs, 7);

        MainWindow w;
        w.setConfirmUnsavedChanges(false);
        answerNextMessageBox(QStringLiteral("Continue training"));
        QVERIFY(Autosave::offerRecovery(&w));
        const QString ended = trainToTheEnd(w, 9);
        QVERIFY2(ended.isEmpty(), qPrintable(ended));
        Project continued = w.document()->project();
        for (int l : continued.network.layerNumbers())
            QVERIFY2(continued.network.weights(l) == reference.network.weights(l),
                     qPrintable(QString("layer %1's weights differ from the run that never stopped").arg(l)));
        // The recovered document is untitled: its data path leads to the same file from the current folder.
        if (dataset) {
            DataFileReference& file = continued.dataset->source.files.at(0);
            const DataFileCheck check = checkDataFile(file, QDir::currentPath().toStdString());
            QVERIFY2(check.status == DataFileCheck::Status::Unchanged, check.message.c_str());
            QCOMPARE(QFileInfo(QString::fromStdString(check.resolvedPath)).canonicalFilePath(),
                     QFileInfo(folder + QStringLiteral("/tiny.csv")).canonicalFilePath());
            file.path = reference.dataset->source.files.at(0).path;
        }
        QCOMPARE(withoutWallTimes(continued), withoutWallTimes(reference));
        QVERIFY(w.document()->isModified()); // recovered work is unsaved work
        QVERIFY(w.windowTitle().contains(QStringLiteral("recovered")));
        QVERIFY(Autosave::orphans().isEmpty());
        QVERIFY(!QFile::exists(orphans[0].checkpointFile));
    }

    /// A session killed while it wrote a checkpoint or a recovery file leaves a temporary file that
    /// no later write of that name removes; the next start (listing the orphans) does, unless a
    /// live writer holds it.
    void staleTemporaryRecoveryFilesRemoved()
    {
        const QDir recovery(Autosave::recoveryFolder());
        QVERIFY(QDir().mkpath(recovery.path()));
        const QString stale = recovery.filePath(QStringLiteral("session-dead.checkpoint.tmp-a1b2c3"));
        const QString staleJson = recovery.filePath(QStringLiteral("session-dead.json.tmp-d4e5f6"));
        const QString live = recovery.filePath(QStringLiteral("session-live.checkpoint.tmp-g7h8i9"));
        for (const QString& name : {stale, staleJson, live}) {
            QFile f(name);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("half written");
        }
        // What writeFileAtomically's writer holds while it writes.
        const int fd = ::open(live.toLocal8Bit().constData(), O_WRONLY | O_CLOEXEC);
        QVERIFY(fd >= 0);
        struct flock lock { };
        lock.l_type = F_WRLCK;
        lock.l_whence = SEEK_SET;
        QCOMPARE(::fcntl(fd, F_OFD_SETLK, &lock), 0);
        QVERIFY(Autosave::orphans().isEmpty());
        QVERIFY(!QFile::exists(stale));
        QVERIFY(!QFile::exists(staleJson));
        QVERIFY(QFile::exists(live));
        ::close(fd);
        QVERIFY(Autosave::orphans().isEmpty());
        QVERIFY(!QFile::exists(live));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestProjectFiles)
#include "tst_projectfiles.moc"
