#pragma once

#include "normad/SpikeTrain.h"

#include <QColor>
#include <QPointF>
#include <QRect>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

class QScrollBar;

namespace normad::ui {

/// A custom-painted, directly editable spike raster: one row per neuron (neuron 0 at the top), time
/// in ms along x. Click on empty space adds a spike snapped to the dt grid, drag moves the selected
/// spikes (snapped, never onto an occupied step), drag on empty space selects with a rubber band,
/// Delete removes the selection, Ctrl+A selects everything, right-click deletes the spike under the
/// cursor. Wheel zooms time around the cursor, Ctrl+wheel zooms the neuron axis, Shift+wheel pans
/// time, middle-drag pans; scroll bars pan too. Hover shows the neuron and the snapped time.
///
/// The editor never changes its raster itself: it emits rasterEdited() with the raster it wants and
/// its owner commits it (ProjectDocument::edit) and calls setRaster() with the result, so the
/// project stays the single source of truth and a refused edit simply does not appear.
class SpikeRasterEditor : public QWidget {
    Q_OBJECT

public:
    /// Input trains may carry any times; desired trains live on the binary grid (one spike per step)
    /// and are drawn in a distinct style.
    enum class Kind { Input, Desired };

    /// One spike: neuron (row) and time, seconds.
    struct Spike {
        int neuron = 0;
        double time = 0.0;
        auto operator<=>(const Spike&) const = default;
    };
    /// Two consecutive spikes of one train closer than the minimum spacing.
    struct SpacingViolation {
        int neuron = 0;
        double first = 0.0;  ///< seconds
        double second = 0.0; ///< seconds
    };

    explicit SpikeRasterEditor(QWidget* parent = nullptr);
    ~SpikeRasterEditor() override;

    void setKind(Kind kind);
    Kind kind() const { return m_kind; }
    /// Painted above the plot ("Input spikes").
    void setTitle(const QString& title);
    /// Row label prefix in hover text ("input", "output").
    void setNeuronNoun(const QString& noun);

    /// Time grid: dt (seconds) and the trial length T (seconds). Spikes live in [0, T).
    void setGrid(double dt, double duration);
    double dt() const { return m_dt; }
    double duration() const { return m_duration; }
    std::int64_t steps() const;

    /// Shows `raster`; keeps the view and whatever of the selection still exists.
    void setRaster(const SpikeRaster& raster);
    const SpikeRaster& raster() const { return m_raster; }
    int neuronCount() const { return static_cast<int>(m_raster.size()); }

    /// Consecutive spikes of a train at most `seconds` apart are flagged (desired trains: the output
    /// layer's refractory period, since after a spike the neuron is held for round(Rp/dt) steps).
    /// 0 turns the check off.
    void setMinimumSpacing(double seconds);
    double minimumSpacing() const { return m_minSpacing; }
    std::vector<SpacingViolation> spacingViolations() const;
    /// The check itself, for a train, so the task designer can list violations of every pattern.
    static std::vector<SpacingViolation> spacingViolations(const SpikeRaster& raster, double minSpacing, double dt);

    // Selection
    std::vector<Spike> selectedSpikes() const { return {m_selection.begin(), m_selection.end()}; }
    /// Neurons chosen by the last rubber band, row-label clicks or Ctrl+A (generators apply to them).
    std::vector<int> selectedNeurons() const { return {m_selectedRows.begin(), m_selectedRows.end()}; }
    void selectAll();
    void clearSelection();
    void setSelectedNeurons(const std::vector<int>& neurons);
    /// Emits rasterEdited() without the selected spikes.
    void deleteSelected();

    // View
    /// Shows [start, start + span) seconds, clamped to the trial.
    void setTimeWindow(double start, double span);
    double timeStart() const { return m_t0; }
    double timeSpan() const { return m_span; }
    /// Shows `rows` neurons starting at `first`.
    void setNeuronWindow(int first, int rows);
    int firstNeuron() const { return m_firstRow; }
    int visibleNeurons() const;
    /// Shows the whole trial and every neuron.
    void resetView();

    /// The plotting area in widget coordinates.
    QRect plotRect() const;
    /// Pixel at the centre of neuron `neuron`'s row at time `time` (seconds).
    QPoint positionOf(int neuron, double time) const;
    /// Time (seconds, not snapped) and neuron under a pixel; neuron −1 outside the rows.
    double timeAt(double x) const;
    int neuronAt(double y) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    /// The title as drawn above the plot: elided where it would run into the hover read-out or the
    /// selection count on the right (at 1280×800 the two overlapped).
    QString shownTitle() const;

signals:
    /// The raster the user wants; one undo step named `text`. Edits of one drag share `mergeId`.
    void rasterEdited(const normad::SpikeRaster& raster, const QString& text, int mergeId);
    /// Time window changed (zoom, pan) so sibling rasters can follow.
    void timeWindowChanged(double start, double span);
    /// Hover moved: neuron −1 when the cursor left the rows; time snapped to the grid, seconds.
    void hovered(int neuron, double time);
    void selectionChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool event(QEvent* event) override;

private:
    enum class Drag { None, Pending, MoveSpikes, RubberBand, Pan, RowSelect };

    std::int64_t stepOf(double t) const;
    double rowHeight() const;
    double pixelsPerSecond() const;
    /// The spike nearest to `pos` within a few pixels, if any.
    bool spikeAt(QPointF pos, Spike* hit) const;
    bool stepOccupied(const SpikeTrain& train, std::int64_t step) const;
    /// Nearest step to `step` that is free in `train`, or −1.
    std::int64_t nearestFreeStep(const SpikeTrain& train, std::int64_t step) const;
    void updateDragMove(QPointF pos);
    void finishRubberBand(bool extend);
    void pruneSelection();
    void syncScrollBars();
    void layoutScrollBars();
    void zoomTime(double factor, double anchorX);
    void zoomNeurons(double factor, double anchorY);
    void emitEdit(const SpikeRaster& raster, const QString& text, int mergeId = 0);

    // Painting helpers
    /// The read-out right of the title: the hovered neuron and time, or what is selected; "" if none.
    QString titleInfo() const;
    void paintAxes(QPainter& p, const QRect& plot) const;
    void paintSpikes(QPainter& p, const QRect& plot) const;
    double niceTimeTick() const;

    Kind m_kind = Kind::Input;
    QString m_title;
    QString m_noun = QStringLiteral("neuron");
    SpikeRaster m_raster;
    double m_dt = 1e-4;
    double m_duration = 0.5;
    double m_minSpacing = 0.0;

    std::set<Spike> m_selection;
    std::set<int> m_selectedRows;

    // View: time window in seconds, neuron window in rows. m_rows == 0: fit every neuron.
    double m_t0 = 0.0;
    double m_span = 0.5;
    int m_firstRow = 0;
    int m_rows = 0;

    // Interaction
    Drag m_drag = Drag::None;
    QPointF m_pressPos;
    QPointF m_lastPos;
    bool m_pressOnSpike = false;
    Spike m_pressSpike;
    SpikeRaster m_dragBase;
    std::vector<Spike> m_dragSpikes;
    std::int64_t m_dragStepOffset = 0;
    int m_dragRowOffset = 0;
    int m_dragMergeId = 0;
    int m_rowAnchor = -1;
    QRectF m_band;
    double m_panT0 = 0.0;
    int m_panRow = 0;
    int m_hoverNeuron = -1;
    double m_hoverTime = -1.0;

    QScrollBar* m_hScroll = nullptr;
    QScrollBar* m_vScroll = nullptr;
    bool m_syncing = false;
};

} // namespace normad::ui
