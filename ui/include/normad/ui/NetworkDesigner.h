#pragma once

#include "normad/ui/NetworkReshape.h"
#include "normad/ui/ProjectDocument.h"

#include "normad/RunMemory.h"

#include <QHash>
#include <QWidget>

#include <functional>
#include <map>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressDialog;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace normad {
struct FieldInfo;
}

namespace normad::ui {

template <typename Result> class BackgroundJob;
class TopologyView;

/// Designs the network: the layer stack (inputs, hidden LIF layers, output), each layer's size,
/// neuron parameters in the user's units (pF, nS, mV, ms; SI in the project), learning rate (nA),
/// trainable switch and weight initialisation, the synapse kernel, the time grid and the seed.
///
/// Every commit is one named undo step through ProjectDocument::edit. A refused value shows the
/// engine's reason in red under its field and the field reverts. Topology changes rebuild the
/// network through its validating constructor (a network too large for memory is refused with the
/// GiB estimate) and resize every pattern's input/desired rasters in the same step (see
/// reshape::apply for what happens to weights: unchanged layers keep theirs, changed layers are
/// redrawn from their initialisation with the project seed; a changed shape starts a new training
/// history and historyEnded() hands the old one over, to be kept as a past run).
class NetworkDesigner : public QWidget {
    Q_OBJECT

public:
    /// The designer's value fields. Each edits one setting; those a struct's schema describes take
    /// their label, display unit, scale and tooltip from it (fieldInfo()).
    enum class Field {
        InputCount,       ///< network.inputs
        LayerSize,        ///< LayerSpec "size"
        Capacitance,      ///< LifParams "capacitance_F"
        LeakConductance,  ///< LifParams "leakConductance_S"
        RestPotential,    ///< LifParams "restPotential_V"
        Threshold,        ///< LifParams "threshold_V"
        RefractoryPeriod, ///< LifParams "refractoryPeriod_s"
        ClampAtRest,      ///< LifParams "clampAtRest"
        LearningRate,     ///< LayerSpec "learningRate_A"
        Trainable,        ///< LayerSpec "trainable"
        InitKind,         ///< WeightInit "kind"
        InitMean,         ///< WeightInit "mean_A"
        InitStd,          ///< WeightInit "stddev_A"
        InitLow,          ///< WeightInit "low_A"
        InitHigh,         ///< WeightInit "high_A"
        TauDecay,         ///< SynapseParams "tauDecay_s"
        TauRise,          ///< SynapseParams "tauRise_s"
        TimeStep,         ///< SimulationParams "dt_s"
        Duration,         ///< SimulationParams "duration_s"
        Seed,             ///< the project's seed
    };
    Q_ENUM(Field)

    /// The schema description of a field, or nullptr for the two no struct describes (InputCount, Seed).
    static const FieldInfo* fieldInfo(Field field);

    explicit NetworkDesigner(ProjectDocument* document, QWidget* parent = nullptr);

    /// Asked before an edit deletes spikes (shrinking inputs/outputs, shortening the trial).
    /// Default: a QMessageBox question. Tests install an answer.
    void setConfirmHandler(std::function<bool(const QString& question)> handler);

    /// Population shown in the detail panel: 0 = inputs, 1 … L = LIF layers.
    int currentLayer() const { return m_layer; }
    void setCurrentLayer(int layer);

    // Programmatic edits: the same commits the fields make (one undo step each); return the refusal or "".
    QString setInputCount(int inputs);
    QString setLayerSize(int layer, int size);
    QString setNeuron(int layer, const LifParams& neuron, const QString& text = {});
    QString setSynapse(const SynapseParams& synapse);
    QString addHiddenLayer();
    QString removeLayer(int layer);
    QString moveLayer(int layer, int delta);
    /// Fills layer `layer`'s init with generators::activeInit for its fan-in and `inputRateHz`.
    QString keepActive(int layer, double inputRateHz);

    /// The widget that edits `field` (a QSpinBox, QDoubleSpinBox, QCheckBox, QComboBox or QLineEdit).
    QWidget* field(Field field) const;
    /// The refusal shown under a field, in the form's words; "" when none.
    QString fieldError(Field field) const;
    /// The engine's refusal behind fieldError() (the file's path, SI units: its tooltip); "" when none.
    QString fieldErrorSource(Field field) const;
    QPushButton* resetNeuronButton() const { return m_resetNeuron; }

    /// A topology change whose weights take at least this many bytes is built off the GUI thread,
    /// with a progress dialog that can cancel it; smaller ones are built at once.
    static constexpr double backgroundBuildBytes = 16.0 * 1024 * 1024;
    /// Whole copies of the weights the workbench holds during a run besides the project's own (the
    /// training session's network, the snapshot being shown and the one being published, the weight
    /// plot's): what the run-memory estimate counts for the GUI (estimateRunMemory()).
    static constexpr int guiWeightCopies = 4;
    /// A large network is being built in the background (the edit lands when it is done).
    bool isBuilding() const;
    /// The largest run-memory estimate accepted, bytes; default (≤ 0): runMemoryLimitBytes(), a share
    /// of the memory the machine has available now. Tests set a fixed one.
    void setMemoryLimit(double bytes) { m_memoryLimit = bytes; }
    /// The limit in force now, bytes (0 = unknown: no limit).
    double memoryLimit() const;
    /// What a run of this topology would need, as the workbench runs it (estimateRunMemory()).
    RunMemoryEstimate runMemory(int inputs, const std::vector<LayerSpec>& layers) const;

signals:
    /// The topology changed under a trained project: its training history was ended (it belonged to
    /// the old network); `before` is the project as it was, to keep as a past run.
    void historyEnded(const normad::Project& before);

private:
    struct FieldError {
        QFormLayout* form = nullptr;
        QLabel* label = nullptr;
    };

    void buildUi();
    void refresh();
    void refreshLayerList();
    void refreshDetails();
    QString commit(QWidget* field, const QString& text, ProjectDocument::Changes changes,
                   const std::function<void(Project&)>& mutate);
    QString commitTopology(QWidget* field, const QString& text, int inputs, std::vector<LayerSpec> layers,
                           const reshape::LayerOrigin& origin);
    /// The refusal of a topology whose run would not fit in memory ("" when it fits), worded like the
    /// engine's so that `field` shows it in the form's words with the value entered.
    QString memoryRefusal(QWidget* field, int inputs, const std::vector<LayerSpec>& layers) const;
    /// Builds the reshaped project on a background job; the edit is committed when it is done.
    void buildInBackground(QWidget* field, const QString& text, int inputs, std::vector<LayerSpec> layers,
                           const reshape::LayerOrigin& origin);
    /// Shows `error` (an engine refusal, or "" to clear) under `field`, in the form's words:
    /// formMessage(). Call it after refresh() so the reverted value can be named.
    void showError(QWidget* field, const QString& error);
    void clearErrors();
    /// "network.layers[0].neuron.capacitance_F: must be greater than 0 (got 0)" as the form says it:
    /// "Capacitance: must be greater than 0 (you entered 0 pF); set back to 300 pF". The field is
    /// named by its label in the form, the value in the field's unit, and the reverted value given.
    QString formMessage(QWidget* field, const QString& error) const;
    bool confirm(const QString& question);
    /// Adds `widget` as the row of `field` (label and tooltip from its schema, else `label`) with
    /// an error line under it.
    void addField(QFormLayout* form, Field field, QWidget* widget, const QString& label = {});
    /// Shows the refusal `error` under the field whose schema key it names ("….threshold_V: …"),
    /// among `candidates`; under `fallback` when it names none of them. Clears the others.
    void showErrorAmong(const QString& error, std::initializer_list<Field> candidates, Field fallback);
    QString layerName(int layer) const;
    /// Mean input rate of the task's patterns (Hz), the default rate estimate for layer 1.
    double measuredInputRate() const;

    // Field commits (editingFinished handlers)
    void commitNeuronField(Field field, double LifParams::*member, const QString& what);
    void commitInit();
    void commitSimulation();

    ProjectDocument* m_doc;
    int m_layer = 1;
    std::function<bool(const QString&)> m_confirm;
    QHash<QWidget*, FieldError> m_errors;
    std::map<Field, QWidget*> m_fields;
    bool m_refreshing = false;
    double m_memoryLimit = 0;
    BackgroundJob<Project>* m_buildJob = nullptr;
    QProgressDialog* m_buildProgress = nullptr;
    QWidget* m_buildField = nullptr; // the field whose edit is being built

    TopologyView* m_topology = nullptr;
    QLabel* m_summary = nullptr;
    QListWidget* m_layerList = nullptr;
    QPushButton* m_addLayer = nullptr;
    QPushButton* m_removeLayer = nullptr;
    QPushButton* m_moveUp = nullptr;
    QPushButton* m_moveDown = nullptr;
    QStackedWidget* m_pages = nullptr;
    QLabel* m_layerTitle = nullptr;

    // Inputs page
    QSpinBox* m_inputCount = nullptr;

    // LIF page
    QSpinBox* m_size = nullptr;
    QDoubleSpinBox* m_capacitance = nullptr;
    QDoubleSpinBox* m_leak = nullptr;
    QDoubleSpinBox* m_rest = nullptr;
    QDoubleSpinBox* m_threshold = nullptr;
    QDoubleSpinBox* m_refractory = nullptr;
    QCheckBox* m_clamp = nullptr;
    QLabel* m_derived = nullptr;
    QPushButton* m_resetNeuron = nullptr;
    QDoubleSpinBox* m_learningRate = nullptr;
    QCheckBox* m_trainable = nullptr;
    QComboBox* m_initKind = nullptr;
    QDoubleSpinBox* m_initMean = nullptr;
    QDoubleSpinBox* m_initStd = nullptr;
    QDoubleSpinBox* m_initLow = nullptr;
    QDoubleSpinBox* m_initHigh = nullptr;
    QDoubleSpinBox* m_rateEstimate = nullptr;
    QPushButton* m_keepActive = nullptr;
    QFormLayout* m_initForm = nullptr;

    // Synapse, grid, seed
    QDoubleSpinBox* m_tauDecay = nullptr;
    QDoubleSpinBox* m_tauRise = nullptr;
    QDoubleSpinBox* m_dt = nullptr;
    QDoubleSpinBox* m_duration = nullptr;
    QLineEdit* m_seed = nullptr;
    QPushButton* m_redraw = nullptr;
};

} // namespace normad::ui
