#pragma once

#include <QWidget>

#include <map>
#include <string>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QStackedWidget;

namespace normad::ui {

class ProjectDocument;

/// Compact stop criteria, seed, the learning rule and its settings; every edit is an undoable
/// document edit. The rule list and each rule's settings form are built from the rule registry
/// (RuleInfo::parameters: a combo box for a choice, a spin box in the display unit for a number, a
/// check box for a flag, the help line as tooltip), so a new rule needs no code here. Rules that
/// train the output layer only are offered for single-layer networks.
class TrainingSettingsPanel : public QWidget {
    Q_OBJECT

public:
    explicit TrainingSettingsPanel(ProjectDocument* document, QWidget* parent = nullptr);

    QSpinBox* maxEpochs() const { return m_maxEpochs; }
    QDoubleSpinBox* targetCorrelation() const { return m_target; }
    QSpinBox* stagnationEpochs() const { return m_stagnation; }
    QSpinBox* seed() const { return m_seed; }
    /// Threads for batch and mini-batch training (0 = every core); a setting of this computer
    /// (QSettings "training/threads"), not of the project: results do not depend on it. Disabled in
    /// online mode, which is sequential by definition.
    QSpinBox* threads() const { return m_threads; }

signals:
    /// The thread count was changed (and saved).
    void threadsChanged(int threads);

public:
    /// One item per registered rule, in registry order; item data = the rule's key.
    QComboBox* rule() const { return m_rule; }
    /// The editor of setting `key` of rule `rule` (QDoubleSpinBox, QSpinBox, QComboBox or QCheckBox);
    /// null if the rule has no such setting. Only the selected rule's editors are enabled.
    QWidget* settingEditor(const std::string& rule, const std::string& key) const;
    /// Why output-layer-only rules are not offered (shown for deeper networks).
    QLabel* ruleHint() const { return m_ruleHint; }
    /// describeVariant() of the project's training settings.
    QLabel* variant() const { return m_variant; }

private:
    void buildRulePages();
    void refresh();

    ProjectDocument* m_document;
    QSpinBox* m_maxEpochs = nullptr;
    QDoubleSpinBox* m_target = nullptr;
    QSpinBox* m_stagnation = nullptr;
    QSpinBox* m_seed = nullptr;
    QSpinBox* m_threads = nullptr;
    QComboBox* m_rule = nullptr;
    QStackedWidget* m_rulePages = nullptr;                            // one settings form per rule, registry order
    std::map<std::string, std::map<std::string, QWidget*>> m_editors; // rule key → setting key → editor
    QLabel* m_ruleHint = nullptr;
    QLabel* m_variant = nullptr;
};

} // namespace normad::ui
