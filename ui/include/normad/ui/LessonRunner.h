#pragma once

#include "normad/ui/Lesson.h"

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
    QString path;         ///< project field varied (empty for an option sweep)
    QString option;       ///< generator option varied (empty for a path sweep)
    QString task;         ///< generator of the base project (required for an option sweep); empty = the open project
    QJsonObject options;  ///< the generator's other options
    QList<double> values;
    QStringList labels;   ///< one per value ("r = 0.1 nA"); generated when empty
    quint64 seed = 1;
    int maxEpochs = 150;
};

/// Interprets lesson actions (docs/lessons.md) against the open project and the training controller.
/// Project changes are undoable ProjectDocument::edit steps, except loading a new task, which
/// replaces the project like the Examples menu. Window-side actions (showDock, showTab, inspect,
/// sweep) go through hooks the main window installs; without a hook they are skipped.
class LessonRunner : public QObject {
    Q_OBJECT

public:
    LessonRunner(ProjectDocument* document, TrainingController* training, QObject* parent = nullptr);

    /// Replaces the project (default: ProjectDocument::reset). `title` names it in the window.
    std::function<void(Project, const QString& title)> replaceProject;
    std::function<bool(const QString& name)> showDock;
    std::function<bool(const QString& name)> showTab;
    /// layer 1 … L, neuron, pattern (−1 = latest), synapse (−1 = automatic)
    std::function<void(int layer, int neuron, int pattern, int synapse)> inspect;
    std::function<void(const SweepRequest&)> sweep;

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

private:
    void apply(const Lesson& lesson, int step, int index, const QJsonObject& a);
    void edit(const QString& text, int changes, const std::function<void(Project&)>& mutate, const Lesson& lesson,
              int step, const QString& field);

    ProjectDocument* m_document;
    TrainingController* m_training;
};

} // namespace normad::ui
