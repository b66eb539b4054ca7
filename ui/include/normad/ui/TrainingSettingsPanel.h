#pragma once

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace normad::ui {

class ProjectDocument;

/// Compact stop criteria, seed and learning rule (NormAD, or the ReSuMe baseline for single-layer
/// networks); every edit is an undoable document edit.
class TrainingSettingsPanel : public QWidget {
    Q_OBJECT

public:
    explicit TrainingSettingsPanel(ProjectDocument* document, QWidget* parent = nullptr);

    QSpinBox* maxEpochs() const { return m_maxEpochs; }
    QDoubleSpinBox* targetCorrelation() const { return m_target; }
    QSpinBox* stagnationEpochs() const { return m_stagnation; }
    QSpinBox* seed() const { return m_seed; }
    /// NormAD (index 0) or ReSuMe (index 1); ReSuMe is offered for one LIF layer only.
    QComboBox* rule() const { return m_rule; }
    QDoubleSpinBox* resumeNonHebbian() const { return m_resumeA; }
    QDoubleSpinBox* resumeTauMs() const { return m_resumeTau; }
    /// Why ReSuMe is not offered (shown for deeper networks).
    QLabel* ruleHint() const { return m_ruleHint; }
    /// describeVariant() of the project's training settings.
    QLabel* variant() const { return m_variant; }

private:
    void refresh();

    ProjectDocument* m_document;
    QSpinBox* m_maxEpochs = nullptr;
    QDoubleSpinBox* m_target = nullptr;
    QSpinBox* m_stagnation = nullptr;
    QSpinBox* m_seed = nullptr;
    QComboBox* m_rule = nullptr;
    QDoubleSpinBox* m_resumeA = nullptr;
    QDoubleSpinBox* m_resumeTau = nullptr;
    QLabel* m_ruleHint = nullptr;
    QLabel* m_variant = nullptr;
};

} // namespace normad::ui
