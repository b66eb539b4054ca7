#pragma once

#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace normad::ui {

class ProjectDocument;

/// Compact stop criteria and seed; every edit is an undoable document edit.
class TrainingSettingsPanel : public QWidget {
    Q_OBJECT

public:
    explicit TrainingSettingsPanel(ProjectDocument* document, QWidget* parent = nullptr);

    QSpinBox* maxEpochs() const { return m_maxEpochs; }
    QDoubleSpinBox* targetCorrelation() const { return m_target; }
    QSpinBox* stagnationEpochs() const { return m_stagnation; }
    QSpinBox* seed() const { return m_seed; }

private:
    void refresh();

    ProjectDocument* m_document;
    QSpinBox* m_maxEpochs = nullptr;
    QDoubleSpinBox* m_target = nullptr;
    QSpinBox* m_stagnation = nullptr;
    QSpinBox* m_seed = nullptr;
    QLabel* m_variant = nullptr;
};

} // namespace normad::ui
