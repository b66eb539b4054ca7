#pragma once

#include "normad/ui/WorkbenchFeature.h"

namespace normad::ui {

class RuleInspector;

/// "Inside the rule": the rule inspector dock (View and Help ▸ Inside the rule) below the live
/// view. A click on a synapse of the weight map, or a lesson's `inspect` action, explains that
/// weight's change. In a short window with the lessons open it joins the left column as a tab.
class RuleInspectorFeature : public WorkbenchFeature {
    Q_OBJECT

public:
    explicit RuleInspectorFeature(WorkbenchShell& shell);

    RuleInspector* inspector() const { return m_inspector; }

    /// Shows the dock and explains neuron `neuron` of layer `layer` (1 … L) for pattern `pattern`
    /// (−1 = latest) and synapse `synapse` (−1 = automatic).
    void inspect(int layer, int neuron, int pattern, int synapse);

    void placeDock(Dock which) override;

private:
    RuleInspector* m_inspector;
};

} // namespace normad::ui
