#include "normad/ui/ProjectDocument.h"

#include <QFileInfo>
#include <QUndoCommand>
#include <QUndoStack>

namespace normad::ui {

/// One edit as before/after snapshots of the project. Whole-project snapshots keep every command
/// trivially correct (no inverse operations to get wrong), and they store only what changed: a
/// Network's weight matrices are shared between copies until one of them writes a layer
/// (copy-on-write), so an edit of anything but the weights adds no weight memory, and a reshape
/// keeps the old matrices once (here) and the new ones once (shared with the project). Undo and
/// redo restore the exact matrices, trained or not: nothing is regenerated from the seed, which
/// would lose trained weights, and nothing is compressed (random doubles hardly compress).
class ProjectEditCommand : public QUndoCommand {
public:
    ProjectEditCommand(ProjectDocument* doc, const QString& text, ProjectDocument::Changes changes, Project before,
                       Project after, int mergeId)
        : QUndoCommand(text),
          m_doc(doc),
          m_changes(changes),
          m_before(std::move(before)),
          m_after(std::move(after)),
          m_mergeId(mergeId)
    {
    }

    void undo() override { m_doc->apply(m_before, m_changes); }
    void redo() override { m_doc->apply(m_after, m_changes); }
    int id() const override { return m_mergeId == 0 ? -1 : m_mergeId; }
    bool mergeWith(const QUndoCommand* other) override
    {
        const auto* next = static_cast<const ProjectEditCommand*>(other);
        m_after = next->m_after;
        m_changes |= next->m_changes;
        return true;
    }

private:
    ProjectDocument* m_doc;
    ProjectDocument::Changes m_changes;
    Project m_before, m_after;
    int m_mergeId;
};

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent), m_undo(new QUndoStack(this))
{
    connect(m_undo, &QUndoStack::cleanChanged, this, [this](bool clean) { emit modifiedChanged(!clean); });
}

ProjectDocument::~ProjectDocument() = default;

QString ProjectDocument::displayName() const
{
    return m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).fileName();
}

bool ProjectDocument::isModified() const
{
    return !m_undo->isClean();
}

void ProjectDocument::reset(Project project, const QString& filePath)
{
    project.ensureWeights();
    m_project = std::move(project);
    // The old project's data is not this one's (datasetChanged follows the reset's own signals).
    const bool hadData = m_dataset != nullptr;
    m_dataset.reset();
    m_undo->clear();
    m_undo->setClean();
    m_filePath = filePath;
    emit filePathChanged(m_filePath);
    emit replaced();
    emit changed(Everything);
    emit modifiedChanged(false);
    if (hadData)
        emit datasetChanged();
}

void ProjectDocument::setLoadedDataset(std::shared_ptr<const LoadedDataset> data)
{
    if (data == m_dataset)
        return;
    m_dataset = std::move(data);
    emit datasetChanged();
}

void ProjectDocument::markSaved(const QString& filePath)
{
    m_filePath = filePath;
    m_undo->setClean();
    emit filePathChanged(m_filePath);
}

QString ProjectDocument::edit(const QString& text, Changes changes, const std::function<void(Project&)>& mutate,
                              int mergeId)
{
    Project after = m_project;
    try {
        mutate(after);
        after.validate();
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    m_undo->push(new ProjectEditCommand(this, text, changes, m_project, std::move(after), mergeId));
    return {};
}

void ProjectDocument::apply(const Project& state, Changes changes)
{
    m_project = state;
    emit changed(changes);
}

} // namespace normad::ui
