#include "normad/ui/Autosave.h"

#include "normad/ui/ProjectDocument.h"
#include "normad/ui/WorkbenchShell.h"

#include "normad/AtomicFile.h"
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
    if (m_lock)
        m_lock->unlock();
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
    for (const QFileInfo& f : dir.entryInfoList({QStringLiteral("session-*.json")}, QDir::Files)) {
        // A lock we can take belongs to no running session (QLockFile treats the lock of a dead
        // process as stale); release it at once, the file is only being listed.
        QLockFile lock(lockFileFor(f.absoluteFilePath()));
        lock.setStaleLockTime(0); // age says nothing: a window may stay open for days
        if (!lock.tryLock(0))
            continue;
        lock.unlock();
        Recovery r;
        r.projectFile = f.absoluteFilePath();
        r.savedAt = f.lastModified();
        QFile info(infoFileFor(r.projectFile));
        if (info.open(QIODevice::ReadOnly)) {
            const QJsonObject o = QJsonDocument::fromJson(info.readAll()).object();
            r.originalFile = o.value(QStringLiteral("originalFile")).toString();
            r.displayName = o.value(QStringLiteral("displayName")).toString();
            const QDateTime at = QDateTime::fromString(o.value(QStringLiteral("savedAt")).toString(), Qt::ISODate);
            if (at.isValid())
                r.savedAt = at;
        }
        if (r.displayName.isEmpty())
            r.displayName = tr("Untitled");
        list << r;
    }
    // Locks of sessions that died with nothing unsaved are litter.
    for (const QFileInfo& f : dir.entryInfoList({QStringLiteral("session-*.lock")}, QDir::Files)) {
        const QString json = f.absoluteFilePath().chopped(int(qstrlen(".lock"))) + QStringLiteral(".json");
        QLockFile lock(f.absoluteFilePath());
        lock.setStaleLockTime(0);
        if (!QFileInfo::exists(json) && lock.tryLock(0))
            lock.unlock(); // removes the file
    }
    std::sort(list.begin(), list.end(), [](const Recovery& a, const Recovery& b) { return a.savedAt > b.savedAt; });
    return list;
}

void Autosave::remove(const Recovery& recovery)
{
    QFile::remove(recovery.projectFile);
    QFile::remove(infoFileFor(recovery.projectFile));
    QFile::remove(lockFileFor(recovery.projectFile));
}

bool Autosave::offerRecovery(WorkbenchShell* shell)
{
    QMainWindow* window = shell->window();
    bool recovered = false;
    for (const Recovery& r : orphans()) {
        QMessageBox box(
            QMessageBox::Question, tr("Recover unsaved changes"),
            tr("NormAD Workbench ended without saving the changes to <b>%1</b>. They were autosaved "
               "at %2.<p>Recover them?")
                .arg(r.displayName.toHtmlEscaped(), QLocale().toString(r.savedAt.toLocalTime(), QLocale::ShortFormat)),
            QMessageBox::NoButton, window);
        box.setObjectName(QStringLiteral("recoveryOffer"));
        if (!r.originalFile.isEmpty())
            box.setInformativeText(tr("Saved file: %1").arg(QDir::toNativeSeparators(r.originalFile)));
        QPushButton* recover = box.addButton(tr("&Recover"), QMessageBox::AcceptRole);
        QPushButton* discard = box.addButton(tr("&Discard"), QMessageBox::DestructiveRole);
        box.addButton(tr("&Later"), QMessageBox::RejectRole);
        box.setDefaultButton(recover);
        box.exec();
        if (box.clickedButton() == discard) {
            remove(r);
        } else if (box.clickedButton() == recover && !recovered) {
            try {
                Project project = loadProject(r.projectFile.toStdString());
                shell->setProject(std::move(project), tr("%1 (recovered)").arg(r.displayName));
                // Recovered work is unsaved work: never clean until the user saves it.
                shell->document()->undoStack()->resetClean();
                remove(r);
                recovered = true;
            } catch (const std::exception& e) {
                QMessageBox::warning(window, tr("Cannot recover"), QString::fromStdString(e.what()));
            }
        }
    }
    return recovered;
}

} // namespace normad::ui
