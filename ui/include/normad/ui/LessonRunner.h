#pragma once

#include "normad/ui/Lesson.h"
#include "normad/ui/WorkbenchShell.h"

#include "normad/Project.h"

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>

namespace normad::ui {

class ProjectDocument;
class TrainingController;

/// A project from the engine's example registry (normad/Examples.h) with the options a
/// lesson gives ({"inputs": 200, "inputRate": 10}). Throws std::invalid_argument naming an option.
Project generatedProject(const QString& task, quint64 seed, const QJsonObject& options);

/// What a `sweep` action asks for: a base project (generated, or the open one) trained once per value.
struct SweepRequest {
    QString title;
    QString path;        ///< project field varied (empty for an option sweep)
    QString option;      ///< generator option varied (empty for a path sweep)
    QString task;        ///< generator of the base project (required for an option sweep); empty = the open project
    QJsonObject options; ///< the generator's other options
    QList<double> values;
    QStringList labels; ///< one per value ("r = 0.1 nA"); generated when empty
    quint64 seed = 1;
    int maxEpochs = 150;
};

/// The pace lessons train at unless a step says otherwise, epochs per second (TrainingController::setPace).
inline constexpr double lessonPace = 10.0;

/// Interprets lesson actions (docs/lessons.md) against the open project and the training controller.
/// Project changes are undoable ProjectDocument::edit steps, except loading a new task, which
/// replaces the project like the Examples menu. Window-side actions go to the shell (showDock,
/// showTab; loading a task asks about unsaved changes there) and to whoever listens
/// (inspectRequested, the sweep hook of the lesson panel); without a shell they are skipped.
class LessonRunner : public QObject {
    Q_OBJECT

public:
    LessonRunner(ProjectDocument* document, TrainingController* training, QObject* parent = nullptr);

    /// The window the lesson runs in (may be null: then a loaded task replaces the document's
    /// project directly, and showDock/showTab are skipped).
    void setShell(WorkbenchShell* shell) { m_shell = shell; }
    /// Starts a sweep (set by the lesson panel, which shows it); throws with a message if it cannot.
    std::function<void(const SweepRequest&)> sweep;

    /// Carries out a dataset action (showSample, evaluate, openMisclassified; docs/lessons.md) with
    /// its fields in `args`; returns an empty string or what went wrong. Set by the main window,
    /// which owns the dataset feature; without it those actions are skipped like showDock.
    std::function<QString(const QString& action, const QJsonObject& args)> datasetAction;

    /// The dock and the tab a lesson names ("inspector", "task"; docs/lessons.md); false if unknown.
    static bool dockNamed(const QString& name, Dock* dock);
    static bool tabNamed(const QString& name, Tab* tab);

    /// Runs every action of step `step` (0-based) in order; stops at the first failure. Returns an
    /// empty string, or a message naming the lesson file, the step and the field.
    QString runStep(const Lesson& lesson, int step);
    /// Runs one action; same message convention.
    QString runAction(const Lesson& lesson, int step, int action);
    /// Builds the sweep request of a `sweep` action (labels filled in). Throws LessonError.
    SweepRequest sweepRequest(const Lesson& lesson, int step, int action) const;

signals:
    /// After each action, with a short description ("set training.maxEpochs = 50").
    void actionDone(const QString& description);
    /// An `inspect` action: layer 1 … L, neuron, pattern (−1 = latest), synapse (−1 = automatic).
    void inspectRequested(int layer, int neuron, int pattern, int synapse);

private:
    void apply(const Lesson& lesson, int step, int index, const QJsonObject& a);
    void edit(const QString& text, int changes, const std::function<void(Project&)>& mutate, const Lesson& lesson,
              int step, const QString& field);

    /// Patterns an epoch presents: the task's, or a loaded dataset's training split (0 while loading).
    int presentedCount() const;

    ProjectDocument* m_document;
    TrainingController* m_training;
    WorkbenchShell* m_shell = nullptr;
};

} // namespace normad::ui
