#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

class QLockFile;
class QWidget;

namespace normad::ui {

class ProjectDocument;
class WorkbenchShell;

/// Autosave of the open project to a recovery file, so a crash or a kill loses at most one
/// interval of work. The interval (30 s, or NORMAD_AUTOSAVE_MS) counts from the first unsaved edit;
/// the file is written atomically into QStandardPaths::AppDataLocation/recovery, named after this
/// session, and removed when the project is saved, undone back to its saved state, replaced or
/// closed normally. A session holds a QLockFile beside its recovery file, so the next start can
/// tell a file left by a session that died (offered for recovery) from one of a running window.
class Autosave : public QObject {
    Q_OBJECT

public:
    explicit Autosave(ProjectDocument* document, QObject* parent = nullptr);
    ~Autosave() override; ///< a normal end: the recovery file is removed

    /// 30 000 ms, or the value of the environment variable NORMAD_AUTOSAVE_MS (for tests).
    static int defaultIntervalMs();
    int intervalMs() const { return m_timer.interval(); }
    void setIntervalMs(int ms) { m_timer.setInterval(ms); }

    /// This session's recovery file (it exists only while there are unsaved, autosaved changes).
    QString recoveryFile() const { return m_projectFile; }
    /// This session's training checkpoint (written by the training worker during long runs,
    /// TrainingController::setCheckpointFile; it exists only while a session has one to continue).
    QString checkpointFile() const;
    static QString recoveryFolder();

    /// Writes the recovery file now if the project has unsaved changes. False with a message on failure.
    bool saveNow(QString* error = nullptr);
    /// Removes this session's recovery file.
    void discard();

    /// A recovery file left behind by a session that ended without closing: autosaved changes, a
    /// training run's checkpoint, or both.
    struct Recovery {
        QString projectFile;      ///< the autosaved project (a project file), empty if none
        QString checkpointFile;   ///< the checkpoint of a training run that was going on, empty if none
        int checkpointEpoch = -1; ///< epochs of that run's project history at the checkpoint
        QString originalFile;     ///< the file it was opened from, empty if never saved
        QString displayName;
        QDateTime savedAt;
    };
    /// Recovery files whose session is no longer running, newest first.
    static QList<Recovery> orphans();
    /// Deletes a recovery file and its companions.
    static void remove(const Recovery& recovery);

    /// Asks about each orphan: Recover (opens it in `shell` as unsaved changes, then deletes the
    /// file), Discard (deletes it) or Later (keeps it). An orphan with a checkpoint offers Continue
    /// training instead: the checkpoint's project (weights at the checkpoint) is opened as unsaved
    /// changes and its run continues with the same bits as if it had never stopped. Returns true if
    /// one was recovered.
    static bool offerRecovery(WorkbenchShell* shell);

signals:
    void autosaved(const QString& file);
    void failed(const QString& message);

private:
    void documentEdited();

    ProjectDocument* m_document;
    QTimer m_timer;
    QString m_projectFile;
    QString m_infoFile;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace normad::ui
