#pragma once

#include "normad/ui/BackgroundJob.h"
#include "normad/ui/RuleInspection.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QCPAxisRect;
class QCPBars;
class QCPGraph;
class QLabel;
class QSpinBox;
class QSplitter;
class QTableWidget;
class QTimer;

namespace normad::ui {

class ProjectDocument;
class TrainingController;

/// "A look inside the rule": for one pattern and one neuron, the error train (e(t) at the output,
/// δ at a hidden neuron's spikes with the error arriving from the layer above), the filtered inputs
/// d̂_j(t) of a few synapses with ‖d̂(t)‖, the normalised direction d̂_j/‖d̂‖ at the error instants,
/// Δw per synapse as bars (NormadRule::compute, the trainer's call) and, for the selected synapse,
/// the contribution of every error instant to Δw_ij ("why did this weight change?"). The pattern is
/// re-simulated with the current weights (the running session's, else the project's).
class RuleInspector : public QWidget {
    Q_OBJECT

public:
    RuleInspector(ProjectDocument* document, TrainingController* training, QWidget* parent = nullptr);
    ~RuleInspector() override;

    /// Shows layer `layer` (1 … L), neuron `neuron`, pattern `pattern` (−1 = the latest presented)
    /// and explains synapse `synapse` (−1 = the largest |Δw_ij|). Starts the computation at once.
    void inspect(int layer, int neuron, int pattern = -1, int synapse = -1);
    /// Recomputes with the current weights in the background; inspected() follows when it is shown.
    void refresh();
    /// A computation is running (its result replaces inspection() when it arrives).
    bool isComputing() const { return m_job.isRunning(); }

    /// The last computation shown (null before the first or after a failure).
    const RuleInspection* inspection() const { return m_inspection.get(); }
    /// The synapse whose per-instant contributions the table shows.
    int explainedSynapse() const { return m_explained; }
    QCustomPlot* plot() const { return m_plot; }
    QCPBars* deltaBars() const { return m_deltaBars; }
    QTableWidget* contributionTable() const { return m_table; }
    QLabel* equations() const { return m_equations; }
    /// The message shown when the computation failed (empty otherwise).
    QString problem() const { return m_problem; }

signals:
    /// A computation's result (or its failure, see problem()) is shown.
    void inspected();

protected:
    /// Side by side when wide, plots above the equations and the table when narrow (a dock).
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuildChoices();
    void draw();
    void fillTable();
    void writeEquations();
    void explain(int synapse);
    void showInspection();
    void showFailure(const QString& message);

    ProjectDocument* m_document;
    TrainingController* m_training;
    QComboBox* m_pattern = nullptr;
    QComboBox* m_layer = nullptr;
    QSpinBox* m_neuron = nullptr;
    QSpinBox* m_synapse = nullptr;
    QCheckBox* m_follow = nullptr;
    QLabel* m_caption = nullptr;
    QLabel* m_equations = nullptr;
    QTableWidget* m_table = nullptr;
    QCustomPlot* m_plot = nullptr;
    QSplitter* m_split = nullptr;
    bool m_splitSized = false;
    QCPAxisRect* m_spikeRect = nullptr;
    QCPAxisRect* m_errorRect = nullptr;
    QCPAxisRect* m_dhatRect = nullptr;
    QCPAxisRect* m_directionRect = nullptr;
    QCPAxisRect* m_barRect = nullptr;
    QCPBars* m_deltaBars = nullptr;
    QCPBars* m_explainedBar = nullptr;
    QTimer* m_followTimer = nullptr;
    std::unique_ptr<RuleInspection> m_inspection;
    BackgroundJob<RuleInspection> m_job;
    int m_explained = -1;
    bool m_updatingControls = false;
    QString m_problem;
};

} // namespace normad::ui
