#pragma once

#include "normad/Project.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QUndoStack;

namespace normad {
class LoadedDataset;
}

namespace normad::ui {

/// The open project: the one place the GUI keeps the user's work. Every edit goes through edit(),
/// which pushes an undoable command onto undoStack(), so nothing is changed behind the undo history
/// and "modified" is exactly "the undo stack is not clean".
class ProjectDocument : public QObject {
    Q_OBJECT

public:
    /// What an edit touched, so views refresh only what they show.
    enum Change {
        NetworkChanged = 0x1,  ///< topology, neuron parameters, learning rates, init
        TaskChanged = 0x2,     ///< patterns and their spike trains
        TrainingChanged = 0x4, ///< training settings, simulation grid, seed
        WeightsChanged = 0x8,  ///< weights (training results, reset)
        HistoryChanged = 0x10, ///< per-epoch metrics
        Everything = 0x1f,
    };
    Q_DECLARE_FLAGS(Changes, Change)

    explicit ProjectDocument(QObject* parent = nullptr);
    ~ProjectDocument() override;

    const Project& project() const { return m_project; }
    QUndoStack* undoStack() const { return m_undo; }
    QString filePath() const { return m_filePath; }
    /// File name for titles: the file's name, or "Untitled".
    QString displayName() const;
    bool isModified() const;

    /// Replaces the whole project (New, Open, an example): clears the undo history, marks clean.
    void reset(Project project, const QString& filePath = {});
    /// Marks the current state as saved under `filePath`.
    void markSaved(const QString& filePath);

    /// Applies `mutate` to a copy of the project as one undoable step named `text` ("Move spike").
    /// The mutated project is validated first: on std::exception nothing changes and the message is
    /// returned (empty on success). Edits with the same non-zero `mergeId` in a row merge into one
    /// step (a drag is one "Move spike").
    QString edit(const QString& text, Changes changes, const std::function<void(Project&)>& mutate, int mergeId = 0);

    /// The data of a dataset task (project().dataset), once loaded off the GUI thread (the dataset
    /// feature loads it); null before that, for a task of patterns, and after reset(). Training and
    /// evaluation share it: the data is read once per project, not per session.
    const std::shared_ptr<const LoadedDataset>& loadedDataset() const { return m_dataset; }
    /// Hands over the loaded data (or null when it no longer matches the project); emits datasetChanged().
    void setLoadedDataset(std::shared_ptr<const LoadedDataset> data);

signals:
    void changed(normad::ui::ProjectDocument::Changes changes);
    void modifiedChanged(bool modified);
    void filePathChanged(const QString& filePath);
    /// reset(): another project replaced this one (state kept per open project starts over).
    void replaced();
    /// loadedDataset() changed.
    void datasetChanged();

private:
    friend class ProjectEditCommand;
    void apply(const Project& state, Changes changes);

    Project m_project;
    QString m_filePath;
    QUndoStack* m_undo = nullptr;
    std::shared_ptr<const LoadedDataset> m_dataset;
};

} // namespace normad::ui

Q_DECLARE_OPERATORS_FOR_FLAGS(normad::ui::ProjectDocument::Changes)
