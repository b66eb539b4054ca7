#include "normad/ui/Autosave.h"

#include "normad/ui/ProjectDocument.h"
#include "normad/ui/TrainingController.h"
#include "normad/ui/WorkbenchShell.h"

#include "normad/AtomicFile.h"
#include "normad/Checkpoint.h"
#include "normad/DataFileReference.h"
#include "normad/ProjectIo.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QMainWindow>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QUndoStack>
#include <QUuid>

#include <algorithm>

namespace normad::ui {

namespace {

constexpr int defaultAutosaveMs = 30'000;

QString lockFileFor(const QString& projectFile)
{
    return projectFile.left(projectFile.size() - int(qstrlen(".json"))) + QStringLiteral(".lock");
}

QString infoFileFor(const QString& projectFile)
{
    return projectFile.left(projectFile.size() - int(qstrlen(".json"))) + QStringLiteral(".info");
}

// Not ".json": the session's project files are listed by that extension.
QString checkpointFileFor(const QString& projectFile)
{
    return projectFile.left(projectFile.size() - int(qstrlen(".json"))) + QStringLiteral(".checkpoint");
}

} // namespace

Autosave::Autosave(ProjectDocument* document, QObject* parent) : QObject(parent), m_document(document)
{
    const QString stem = QDir(recoveryFolder())
                             .filePath(QStringLiteral("session-") + QUuid::createUuid().toString(QUuid::WithoutBraces));
    m_projectFile = stem + QStringLiteral(".json");
    m_infoFile = infoFileFor(m_projectFile);
    m_lock = std::make_unique<QLockFile>(lockFileFor(m_projectFile));
    m_lock->setStaleLockTime(0);
    if (QDir().mkpath(recoveryFolder()))
        m_lock->tryLock(0);

    m_timer.setSingleShot(true);
    m_timer.setInterval(defaultIntervalMs());
    connect(&m_timer, &QTimer::timeout, this, [this] {
        QString error;
        if (!saveNow(&error))
            emit failed(error);
    });
    // Any edit, undo or redo starts the interval unless it is already running: changes are saved at
    // most one interval after they are made, however many follow.
    connect(m_document->undoStack(), &QUndoStack::indexChanged, this, &Autosave::documentEdited);
    connect(m_document, &ProjectDocument::modifiedChanged, this, [this](bool modified) {
        if (!modified) { // saved, undone to the saved state, or replaced by another project
            m_timer.stop();
            discard();
        } else {
            documentEdited();
        }
    });
}

Autosave::~Autosave()
{
    discard();
    QFile::remove(checkpointFile()); // a normal end: no run to continue
    if (m_lock)
        m_lock->unlock();
}

QString Autosave::checkpointFile() const
{
    return checkpointFileFor(m_projectFile);
}

int Autosave::defaultIntervalMs()
{
    bool ok = false;
    const int ms = qEnvironmentVariableIntValue("NORMAD_AUTOSAVE_MS", &ok);
    return ok && ms > 0 ? ms : defaultAutosaveMs;
}

QString Autosave::recoveryFolder()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("recovery"));
}

void Autosave::documentEdited()
{
    if (m_document->isModified() && !m_timer.isActive())
        m_timer.start();
}

bool Autosave::saveNow(QString* error)
{
    if (!m_document->isModified())
        return true;
    try {
        if (!QDir().mkpath(recoveryFolder()))
            throw std::runtime_error("cannot create " + recoveryFolder().toStdString());
        if (!m_lock->isLocked())
            m_lock->tryLock(0);
        // The description first: a project file without it is still recoverable, never the reverse.
        QJsonObject info{{QStringLiteral("originalFile"), m_document->filePath()},
                         {QStringLiteral("displayName"), m_document->displayName()},
                         {QStringLiteral("savedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
        writeFileAtomically(m_infoFile.toStdString(), QJsonDocument(info).toJson().toStdString());
        writeFileAtomically(m_projectFile.toStdString(), projectToJson(m_document->project()));
    } catch (const std::exception& e) {
        if (error)
            *error = tr("Autosave failed: %1").arg(QString::fromStdString(e.what()));
        return false;
    }
    emit autosaved(m_projectFile);
    return true;
}

void Autosave::discard()
{
    QFile::remove(m_projectFile);
    QFile::remove(m_infoFile);
}

QList<Autosave::Recovery> Autosave::orphans()
{
    QList<Recovery> list;
    const QDir dir(recoveryFolder());
    // A session leaves autosaved changes (session-ID.json), a training checkpoint
    // (session-ID.checkpoint) or both; each is listed once, by its project file's name.
    QStringList sessions;
    const QStringList patterns{QStringLiteral("session-*.json"), QStringLiteral("session-*.checkpoint")};
    for (const QFileInfo& f : dir.entryInfoList(patterns, QDir::Files)) {
        const QString json = f.suffix() == QLatin1String("json")
                                 ? f.absoluteFilePath()
                                 : f.absoluteFilePath().chopped(int(qstrlen(".checkpoint"))) + QStringLiteral(".json");
        if (!sessions.contains(json))
            sessions << json;
    }
    for (const QString& json : std::as_const(sessions)) {
        // A lock we can take belongs to no running session (QLockFile treats the lock of a dead
        // process as stale); release it at once, the file is only being listed.
        QLockFile lock(lockFileFor(json));
        lock.setStaleLockTime(0); // age says nothing: a window may stay open for days
        if (!lock.tryLock(0))
            continue;
        lock.unlock();
        Recovery r;
        if (QFileInfo(json).isFile()) {
            r.projectFile = json;
            r.savedAt = QFileInfo(json).lastModified();
        }
        if (const QFileInfo checkpoint(checkpointFileFor(json)); checkpoint.isFile()) {
            r.checkpointFile = checkpoint.absoluteFilePath();
            r.savedAt = std::max(r.savedAt, checkpoint.lastModified());
            try {
                const Checkpoint c = loadCheckpoint(r.checkpointFile.toStdString());
                r.checkpointEpoch = static_cast<int>(c.earlierHistory.size()) + c.trainer.completedEpochs;
                r.displayName = QString::fromStdString(c.project.name);
            } catch (const std::exception&) {
                // Unreadable (a disk that filled up, say): still listed, so that it can be discarded.
            }
        }
        QFile info(infoFileFor(json));
        if (info.open(QIODevice::ReadOnly)) {
            const QJsonObject o = QJsonDocument::fromJson(info.readAll()).object();
            r.originalFile = o.value(QStringLiteral("originalFile")).toString();
            if (const QString name = o.value(QStringLiteral("displayName")).toString(); !name.isEmpty())
                r.displayName = name;
            const QDateTime at = QDateTime::fromString(o.value(QStringLiteral("savedAt")).toString(), Qt::ISODate);
            if (at.isValid() && r.checkpointFile.isEmpty())
                r.savedAt = at;
        }
        if (r.displayName.isEmpty())
            r.displayName = tr("Untitled");
        list << r;
    }
    // What a session killed while writing a recovery file or a checkpoint left: its temporary file,
    // which no later write of that name removes (every session has names of its own). Those a live
    // writer holds are kept.
    QStringList targets;
    for (const QString& name : dir.entryList({QStringLiteral("session-*.tmp-*")}, QDir::Files))
        if (const QString target = dir.filePath(name.left(name.lastIndexOf(QStringLiteral(".tmp-"))));
            !targets.contains(target))
            targets << target;
    for (const QString& target : std::as_const(targets))
        removeStaleTemporaries(target.toStdString());
    // Locks of sessions that died with nothing unsaved are litter.
    for (const QFileInfo& f : dir.entryInfoList({QStringLiteral("session-*.lock")}, QDir::Files)) {
        const QString json = f.absoluteFilePath().chopped(int(qstrlen(".lock"))) + QStringLiteral(".json");
        QLockFile lock(f.absoluteFilePath());
        lock.setStaleLockTime(0);
        if (!QFileInfo::exists(json) && !QFileInfo::exists(checkpointFileFor(json)) && lock.tryLock(0))
            lock.unlock(); // removes the file
    }
    std::sort(list.begin(), list.end(), [](const Recovery& a, const Recovery& b) { return a.savedAt > b.savedAt; });
    return list;
}

void Autosave::remove(const Recovery& recovery)
{
    const QString json = !recovery.projectFile.isEmpty()
                             ? recovery.projectFile
                             : recovery.checkpointFile.chopped(int(qstrlen(".checkpoint"))) + QStringLiteral(".json");
    QFile::remove(json);
    QFile::remove(checkpointFileFor(json));
    QFile::remove(infoFileFor(json));
    QFile::remove(lockFileFor(json));
}

namespace {

/// Opens the checkpoint's project in `shell` as unsaved changes and continues its run.
void continueTraining(WorkbenchShell* shell, const Autosave::Recovery& r)
{
    Checkpoint c = loadCheckpoint(r.checkpointFile.toStdString());
    Project project = std::move(c.project);
    project.history = c.earlierHistory; // the run's own epochs come back with the trainer's state
    project.hasWeights = true;
    // The recovered document is untitled: its relative data paths start at the current folder.
    if (project.dataset && !c.projectDirectory.empty())
        for (auto* files : {&project.dataset->source.files, &project.dataset->source.testFiles})
            for (DataFileReference& file : *files)
                file = rebaseDataFile(file, c.projectDirectory, QDir::currentPath().toStdString());
    shell->setProject(std::move(project), Autosave::tr("%1 (recovered)").arg(r.displayName));
    shell->document()->undoStack()->resetClean();
    shell->training()->continueRun(std::move(c.trainer), c.maxEpochs);
}

} // namespace

bool Autosave::offerRecovery(WorkbenchShell* shell)
{
    QMainWindow* window = shell->window();
    bool recovered = false;
    for (const Recovery& r : orphans()) {
        const QString when = QLocale().toString(r.savedAt.toLocalTime(), QLocale::ShortFormat);
        const bool run = !r.checkpointFile.isEmpty();
        const QString text =
            run ? tr("NormAD Workbench ended while training <b>%1</b>. The run was checkpointed after epoch %2 at "
                     "%3.<p>Continue training from there? The results are the same as if it had never stopped.")
                      .arg(r.displayName.toHtmlEscaped())
                      .arg(r.checkpointEpoch)
                      .arg(when)
                : tr("NormAD Workbench ended without saving the changes to <b>%1</b>. They were autosaved "
                     "at %2.<p>Recover them?")
                      .arg(r.displayName.toHtmlEscaped(), when);
        QMessageBox box(QMessageBox::Question,
                        run ? tr("Continue interrupted training") : tr("Recover unsaved changes"), text,
                        QMessageBox::NoButton, window);
        box.setObjectName(QStringLiteral("recoveryOffer"));
        if (!r.originalFile.isEmpty())
            box.setInformativeText(tr("Saved file: %1").arg(QDir::toNativeSeparators(r.originalFile)));
        QPushButton* resume = run ? box.addButton(tr("&Continue training"), QMessageBox::AcceptRole) : nullptr;
        // With a run, Recover keeps the autosaved changes alone (the project as before the run).
        QPushButton* recover = nullptr;
        if (!r.projectFile.isEmpty())
            recover = box.addButton(tr("&Recover"), run ? QMessageBox::ActionRole : QMessageBox::AcceptRole);
        QPushButton* discard = box.addButton(tr("&Discard"), QMessageBox::DestructiveRole);
        box.addButton(tr("&Later"), QMessageBox::RejectRole);
        box.setDefaultButton(resume ? resume : recover);
        box.exec();
        QAbstractButton* clicked = box.clickedButton();
        if (clicked == discard) {
            remove(r);
            continue;
        }
        if (recovered || !clicked || (clicked != resume && clicked != recover))
            continue;
        try {
            if (clicked == resume) {
                continueTraining(shell, r);
            } else {
                Project project = loadProject(r.projectFile.toStdString());
                shell->setProject(std::move(project), tr("%1 (recovered)").arg(r.displayName));
                // Recovered work is unsaved work: never clean until the user saves it.
                shell->document()->undoStack()->resetClean();
            }
            remove(r);
            recovered = true;
        } catch (const std::exception& e) {
            QMessageBox::warning(window, tr("Cannot recover"), QString::fromStdString(e.what()));
        }
    }
    return recovered;
}

} // namespace normad::ui
