#pragma once

#include "normad/ui/ProjectDocument.h"

#include <QStringList>
#include <QWidget>

#include <cstdint>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QSpinBox;

namespace normad::ui {

class SpikeRasterEditor;

/// Designs the task: the list of patterns and, for the selected pattern, its input raster and its
/// desired-output raster, edited directly (SpikeRasterEditor), plus seeded generators and a check of
/// desired spikes against the output layer's refractory period. Every change is one undo step
/// through ProjectDocument::edit.
class TaskDesigner : public QWidget {
    Q_OBJECT

public:
    /// One application of a generator (the panel's fields).
    struct Generator {
        enum class Kind { Poisson, Regular, Jittered, Clear };
        enum class Target { SelectedInputs, AllInputs, SelectedDesired, AllDesired };
        Kind kind = Kind::Poisson;
        Target target = Target::AllInputs;
        double rateHz = 20.0;
        std::uint64_t seed = 1;
        double minInterval = 0.0; ///< seconds (Poisson dead time)
        double start = 0.0;       ///< no spike before this, seconds
        double jitter = 1e-3;     ///< σ of the jittered copy, seconds
        int sourcePattern = 0;    ///< pattern whose same-neuron trains are jittered
    };

    explicit TaskDesigner(ProjectDocument* document, QWidget* parent = nullptr);

    int currentPattern() const { return m_pattern; }
    void setCurrentPattern(int index);
    SpikeRasterEditor* inputEditor() const { return m_inputs; }
    SpikeRasterEditor* desiredEditor() const { return m_desired; }
    /// The pattern list (its item texts are the editable pattern names) and the buttons under it.
    QListWidget* patternList() const { return m_patternList; }
    enum class PatternButton { Add, Duplicate, Delete, MoveUp, MoveDown };
    QPushButton* patternButton(PatternButton button) const;

    /// Applies `generator` to the current pattern as one undo step; returns the refusal or "".
    /// Deterministic: neurons are filled in ascending order from one RNG seeded with `seed`.
    QString generate(const Generator& generator);
    /// The panel's current settings.
    Generator generatorSettings() const;

    /// Spacing warnings of every pattern (desired spikes closer than the output refractory period).
    QStringList warnings() const { return m_warningTexts; }
    /// The last refusal shown in the status line ("" after a successful edit).
    QString lastError() const { return m_lastError; }

private:
    void refresh(ProjectDocument::Changes changes);
    void refreshPatternList();
    void refreshEditors();
    void refreshWarnings();
    void updateGeneratorRows();
    void commitRaster(bool desired, const SpikeRaster& raster, const QString& text, int mergeId);
    void report(const QString& error);
    QString editTask(const QString& text, const std::function<void(Task&)>& mutate);

    void addPattern();
    void duplicatePattern();
    void deletePattern();
    void movePattern(int delta);
    void renamePattern(QListWidgetItem* item);

    ProjectDocument* m_doc;
    int m_pattern = 0;

    QListWidget* m_patternList = nullptr;
    QPushButton* m_addButton = nullptr;
    QPushButton* m_duplicateButton = nullptr;
    QPushButton* m_deleteButton = nullptr;
    QPushButton* m_upButton = nullptr;
    QPushButton* m_downButton = nullptr;
    QLabel* m_patternSummary = nullptr;

    SpikeRasterEditor* m_inputs = nullptr;
    SpikeRasterEditor* m_desired = nullptr;
    QLabel* m_status = nullptr;
    QListWidget* m_warningList = nullptr;
    QLabel* m_warningHeader = nullptr;

    // Generator panel
    QFormLayout* m_genForm = nullptr;
    QComboBox* m_genKind = nullptr;
    QComboBox* m_genTarget = nullptr;
    QDoubleSpinBox* m_genRate = nullptr;
    QSpinBox* m_genSeed = nullptr;
    QDoubleSpinBox* m_genMinInterval = nullptr;
    QDoubleSpinBox* m_genStart = nullptr;
    QDoubleSpinBox* m_genJitter = nullptr;
    QComboBox* m_genSource = nullptr;
    QPushButton* m_genApply = nullptr;

    QStringList m_warningTexts;
    QString m_lastError;
    bool m_refreshing = false;
};

} // namespace normad::ui
