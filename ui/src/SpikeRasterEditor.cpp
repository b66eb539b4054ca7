#include "normad/ui/SpikeRasterEditor.h"

#include "normad/TextFormat.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace normad::ui {

namespace {

constexpr int kLeftMargin = 56;   // neuron labels
constexpr int kTopMargin = 24;    // title and hover read-out
constexpr int kBottomMargin = 22; // time tick labels
constexpr int kHitPixels = 5;     // how close a click must be to grab a spike
constexpr int kDragThreshold = 4;
constexpr double kMinRowHeight = 3.0;

// Each drag gets its own merge id: its moves merge into one "Move spike" step, and two drags in a
// row stay two steps (QUndoStack merges any consecutive commands with the same id).
int nextMergeId()
{
    static int id = 0x52000000;
    return ++id;
}

const QColor kInputColor(31, 78, 156);
const QColor kDesiredColor(214, 84, 16);
const QColor kSelectedColor(250, 176, 5);
const QColor kWarningColor(224, 49, 49);

QString formatMs(double seconds)
{
    const double ms = seconds * 1e3;
    // Enough digits for the grid: dt = 0.1 ms shows one decimal, 0.01 ms two.
    return QString::number(ms, 'f', std::abs(ms - std::round(ms * 10) / 10) < 1e-9 ? 1 : 2);
}

} // namespace

SpikeRasterEditor::SpikeRasterEditor(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_hScroll = new QScrollBar(Qt::Horizontal, this);
    m_vScroll = new QScrollBar(Qt::Vertical, this);
    m_hScroll->setFocusPolicy(Qt::NoFocus);
    m_vScroll->setFocusPolicy(Qt::NoFocus);
    connect(m_hScroll, &QScrollBar::valueChanged, this, [this](int v) {
        if (!m_syncing)
            setTimeWindow(static_cast<double>(v) * m_dt, m_span);
    });
    connect(m_vScroll, &QScrollBar::valueChanged, this, [this](int v) {
        if (!m_syncing)
            setNeuronWindow(v, visibleNeurons());
    });
    layoutScrollBars();
}

SpikeRasterEditor::~SpikeRasterEditor() = default;

void SpikeRasterEditor::setKind(Kind kind)
{
    m_kind = kind;
    update();
}

void SpikeRasterEditor::setTitle(const QString& title)
{
    m_title = title;
    update();
}

void SpikeRasterEditor::setNeuronNoun(const QString& noun)
{
    m_noun = noun;
}

void SpikeRasterEditor::setGrid(double dt, double duration)
{
    const bool changed = dt != m_dt || duration != m_duration;
    m_dt = dt > 0 ? dt : 1e-4;
    m_duration = duration > 0 ? duration : m_dt;
    if (changed)
        setTimeWindow(0.0, m_duration);
    syncScrollBars();
    update();
}

std::int64_t SpikeRasterEditor::steps() const
{
    return std::max<std::int64_t>(1, std::llround(m_duration / m_dt));
}

std::int64_t SpikeRasterEditor::stepOf(double t) const
{
    return std::llround(t / m_dt);
}

void SpikeRasterEditor::setRaster(const SpikeRaster& raster)
{
    const bool sizeChanged = raster.size() != m_raster.size();
    m_raster = raster;
    if (sizeChanged) {
        m_rows = 0;
        m_firstRow = 0;
    }
    pruneSelection();
    syncScrollBars();
    update();
}

void SpikeRasterEditor::pruneSelection()
{
    const auto before = m_selection.size();
    for (auto it = m_selection.begin(); it != m_selection.end();) {
        const bool exists = it->neuron < neuronCount() &&
                            std::binary_search(m_raster[static_cast<std::size_t>(it->neuron)].begin(),
                                               m_raster[static_cast<std::size_t>(it->neuron)].end(), it->time);
        it = exists ? std::next(it) : m_selection.erase(it);
    }
    const auto rowsBefore = m_selectedRows.size();
    m_selectedRows.erase(m_selectedRows.lower_bound(neuronCount()), m_selectedRows.end());
    if (before != m_selection.size() || rowsBefore != m_selectedRows.size())
        emit selectionChanged();
}

void SpikeRasterEditor::setMinimumSpacing(double seconds)
{
    m_minSpacing = std::max(0.0, seconds);
    update();
}

std::vector<SpikeRasterEditor::SpacingViolation> SpikeRasterEditor::spacingViolations() const
{
    return spacingViolations(m_raster, m_minSpacing, m_dt);
}

std::vector<SpikeRasterEditor::SpacingViolation> SpikeRasterEditor::spacingViolations(const SpikeRaster& raster,
                                                                                      double minSpacing, double dt)
{
    std::vector<SpacingViolation> out;
    if (!(minSpacing > 0) || !(dt > 0))
        return out;
    // The simulator holds V at rest for round(Rp/dt) steps after a spike, so the next spike can come
    // round(Rp/dt) + 1 steps later at the earliest.
    const std::int64_t held = std::llround(minSpacing / dt);
    for (std::size_t n = 0; n < raster.size(); ++n) {
        const SpikeTrain& train = raster[n];
        for (std::size_t k = 1; k < train.size(); ++k)
            if (std::llround(train[k] / dt) - std::llround(train[k - 1] / dt) <= held)
                out.push_back({static_cast<int>(n), train[k - 1], train[k]});
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------
// Selection

void SpikeRasterEditor::selectAll()
{
    m_selection.clear();
    m_selectedRows.clear();
    for (int n = 0; n < neuronCount(); ++n) {
        m_selectedRows.insert(n);
        for (double t : m_raster[static_cast<std::size_t>(n)])
            m_selection.insert({n, t});
    }
    emit selectionChanged();
    update();
}

void SpikeRasterEditor::clearSelection()
{
    if (m_selection.empty() && m_selectedRows.empty())
        return;
    m_selection.clear();
    m_selectedRows.clear();
    emit selectionChanged();
    update();
}

void SpikeRasterEditor::setSelectedNeurons(const std::vector<int>& neurons)
{
    m_selectedRows.clear();
    for (int n : neurons)
        if (n >= 0 && n < neuronCount())
            m_selectedRows.insert(n);
    emit selectionChanged();
    update();
}

void SpikeRasterEditor::deleteSelected()
{
    if (m_selection.empty())
        return;
    SpikeRaster next = m_raster;
    for (const Spike& s : m_selection) {
        SpikeTrain& train = next[static_cast<std::size_t>(s.neuron)];
        const auto it = std::lower_bound(train.begin(), train.end(), s.time);
        if (it != train.end() && *it == s.time)
            train.erase(it);
    }
    const auto count = m_selection.size();
    m_selection.clear();
    emit selectionChanged();
    emitEdit(next, count == 1 ? tr("Delete spike") : tr("Delete %1 spikes").arg(count));
}

void SpikeRasterEditor::emitEdit(const SpikeRaster& raster, const QString& text, int mergeId)
{
    emit rasterEdited(raster, text, mergeId);
}

// ---------------------------------------------------------------------------------------------------
// Geometry

QSize SpikeRasterEditor::sizeHint() const
{
    return {640, 260};
}

QSize SpikeRasterEditor::minimumSizeHint() const
{
    return {240, 110};
}

QRect SpikeRasterEditor::plotRect() const
{
    const int sb = m_hScroll->sizeHint().height();
    const int sv = m_vScroll->sizeHint().width();
    return QRect(kLeftMargin, kTopMargin, std::max(10, width() - kLeftMargin - sv - 4),
                 std::max(10, height() - kTopMargin - kBottomMargin - sb));
}

void SpikeRasterEditor::layoutScrollBars()
{
    const QRect plot = plotRect();
    const int sb = m_hScroll->sizeHint().height();
    const int sv = m_vScroll->sizeHint().width();
    m_hScroll->setGeometry(plot.left(), height() - sb, plot.width(), sb);
    m_vScroll->setGeometry(width() - sv, plot.top(), sv, plot.height());
}

int SpikeRasterEditor::visibleNeurons() const
{
    const int n = std::max(1, neuronCount());
    if (m_rows > 0)
        return std::min(m_rows, n);
    const int fit = std::max(1, static_cast<int>(plotRect().height() / kMinRowHeight));
    return std::min(n, fit);
}

double SpikeRasterEditor::rowHeight() const
{
    return plotRect().height() / static_cast<double>(visibleNeurons());
}

double SpikeRasterEditor::pixelsPerSecond() const
{
    return plotRect().width() / m_span;
}

QPoint SpikeRasterEditor::positionOf(int neuron, double time) const
{
    const QRect plot = plotRect();
    const double x = plot.left() + (time - m_t0) * pixelsPerSecond();
    const double y = plot.top() + (neuron - m_firstRow + 0.5) * rowHeight();
    return QPoint(static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)));
}

double SpikeRasterEditor::timeAt(double x) const
{
    return m_t0 + (x - plotRect().left()) / pixelsPerSecond();
}

int SpikeRasterEditor::neuronAt(double y) const
{
    const double r = (y - plotRect().top()) / rowHeight();
    if (r < 0)
        return -1;
    const int n = m_firstRow + static_cast<int>(std::floor(r));
    return n < m_firstRow + visibleNeurons() && n < neuronCount() ? n : -1;
}

void SpikeRasterEditor::setTimeWindow(double start, double span)
{
    span = std::clamp(span, std::min(m_duration, 20 * m_dt), m_duration);
    start = std::clamp(start, 0.0, m_duration - span);
    if (start == m_t0 && span == m_span)
        return;
    m_t0 = start;
    m_span = span;
    syncScrollBars();
    update();
    emit timeWindowChanged(m_t0, m_span);
}

void SpikeRasterEditor::setNeuronWindow(int first, int rows)
{
    const int n = std::max(1, neuronCount());
    const int fit = std::max(1, static_cast<int>(plotRect().height() / kMinRowHeight));
    rows = std::clamp(rows, 1, std::min(n, fit));
    m_rows = rows >= std::min(n, fit) ? 0 : rows;
    m_firstRow = std::clamp(first, 0, n - visibleNeurons());
    syncScrollBars();
    update();
}

void SpikeRasterEditor::resetView()
{
    m_rows = 0;
    m_firstRow = 0;
    setTimeWindow(0.0, m_duration);
    syncScrollBars();
    update();
}

void SpikeRasterEditor::syncScrollBars()
{
    m_syncing = true;
    const auto total = static_cast<int>(steps());
    const auto page = static_cast<int>(std::llround(m_span / m_dt));
    m_hScroll->setRange(0, std::max(0, total - page));
    m_hScroll->setPageStep(std::max(1, page));
    m_hScroll->setSingleStep(std::max(1, page / 20));
    m_hScroll->setValue(static_cast<int>(std::llround(m_t0 / m_dt)));
    m_hScroll->setEnabled(total > page);
    const int rows = visibleNeurons();
    m_firstRow = std::clamp(m_firstRow, 0, std::max(0, neuronCount() - rows));
    m_vScroll->setRange(0, std::max(0, neuronCount() - rows));
    m_vScroll->setPageStep(rows);
    m_vScroll->setValue(m_firstRow);
    m_vScroll->setEnabled(neuronCount() > rows);
    m_syncing = false;
}

void SpikeRasterEditor::zoomTime(double factor, double anchorX)
{
    const double anchor = timeAt(anchorX);
    const double span = std::clamp(m_span * factor, std::min(m_duration, 20 * m_dt), m_duration);
    const double frac = (anchorX - plotRect().left()) / plotRect().width();
    setTimeWindow(anchor - frac * span, span);
}

void SpikeRasterEditor::zoomNeurons(double factor, double anchorY)
{
    const int anchor = std::max(0, neuronAt(anchorY));
    const int rows = std::max(1, static_cast<int>(std::lround(visibleNeurons() * factor)));
    const double frac = (anchorY - plotRect().top()) / plotRect().height();
    setNeuronWindow(anchor - static_cast<int>(frac * rows), rows);
}

// ---------------------------------------------------------------------------------------------------
// Editing helpers

bool SpikeRasterEditor::spikeAt(QPointF pos, Spike* hit) const
{
    const int n = neuronAt(pos.y());
    if (n < 0 || !plotRect().adjusted(-kHitPixels, 0, kHitPixels, 0).contains(pos.toPoint()))
        return false;
    const SpikeTrain& train = m_raster[static_cast<std::size_t>(n)];
    const double t = timeAt(pos.x());
    const double tol = kHitPixels / pixelsPerSecond();
    auto it = std::lower_bound(train.begin(), train.end(), t - tol);
    double best = tol;
    bool found = false;
    for (; it != train.end() && *it <= t + tol; ++it) {
        const double d = std::abs(*it - t);
        if (d <= best) {
            best = d;
            *hit = {n, *it};
            found = true;
        }
    }
    return found;
}

bool SpikeRasterEditor::stepOccupied(const SpikeTrain& train, std::int64_t step) const
{
    // Any spike that rounds to `step` occupies it (an input spike off the grid included).
    const auto it = std::lower_bound(train.begin(), train.end(), (static_cast<double>(step) - 0.5) * m_dt);
    return it != train.end() && stepOf(*it) == step;
}

std::int64_t SpikeRasterEditor::nearestFreeStep(const SpikeTrain& train, std::int64_t step) const
{
    const std::int64_t last = steps() - 1;
    for (std::int64_t d = 0; d <= last; ++d) {
        if (step + d <= last && step + d >= 0 && !stepOccupied(train, step + d))
            return step + d;
        if (d > 0 && step - d >= 0 && step - d <= last && !stepOccupied(train, step - d))
            return step - d;
        if (step + d > last && step - d < 0)
            break;
    }
    return -1;
}

void SpikeRasterEditor::updateDragMove(QPointF pos)
{
    const std::int64_t pointerStep = stepOf(timeAt(pos.x()));
    const std::int64_t anchorStep = stepOf(m_pressSpike.time);
    std::int64_t dStep = pointerStep - anchorStep;
    int dRow = 0;
    const int row = neuronAt(std::clamp(pos.y(), plotRect().top() + 0.0, plotRect().bottom() + 0.0));
    if (row >= 0)
        dRow = row - m_pressSpike.neuron;
    // Keep the whole group inside the trial and the population.
    for (const Spike& s : m_dragSpikes) {
        const std::int64_t st = stepOf(s.time);
        dStep = std::clamp<std::int64_t>(dStep, -st, steps() - 1 - st);
        dRow = std::clamp(dRow, -s.neuron, neuronCount() - 1 - s.neuron);
    }
    if (dStep == m_dragStepOffset && dRow == m_dragRowOffset)
        return;
    m_dragStepOffset = dStep;
    m_dragRowOffset = dRow;

    SpikeRaster next = m_dragBase;
    for (const Spike& s : m_dragSpikes) {
        SpikeTrain& train = next[static_cast<std::size_t>(s.neuron)];
        const auto it = std::lower_bound(train.begin(), train.end(), s.time);
        if (it != train.end() && *it == s.time)
            train.erase(it);
    }
    // Place the moved spikes in the direction of travel so a group keeps its order; a spike whose
    // target step is taken goes to the nearest free step instead (one spike per step).
    std::vector<Spike> order = m_dragSpikes;
    std::sort(order.begin(), order.end(),
              [dStep](const Spike& a, const Spike& b) { return dStep > 0 ? a.time > b.time : a.time < b.time; });
    std::set<Spike> moved;
    for (const Spike& s : order) {
        const int n = s.neuron + dRow;
        SpikeTrain& train = next[static_cast<std::size_t>(n)];
        std::int64_t target = stepOf(s.time) + dStep;
        if (stepOccupied(train, target))
            target = nearestFreeStep(train, target);
        if (target < 0)
            continue; // the train is full: the spike is dropped rather than doubled
        const double t = static_cast<double>(target) * m_dt;
        train.insert(std::lower_bound(train.begin(), train.end(), t), t);
        moved.insert({n, t});
    }
    m_selection = moved;
    emit selectionChanged();
    const QString text = m_dragSpikes.size() == 1 ? tr("Move spike") : tr("Move %1 spikes").arg(m_dragSpikes.size());
    emitEdit(next, text, m_dragMergeId);
}

void SpikeRasterEditor::finishRubberBand(bool extend)
{
    if (!extend) {
        m_selection.clear();
        m_selectedRows.clear();
    }
    const QRectF band = m_band.normalized();
    const double t0 = timeAt(band.left()), t1 = timeAt(band.right());
    const int r0 = std::max(0, neuronAt(std::max(band.top(), plotRect().top() + 0.0)));
    int r1 = neuronAt(std::min(band.bottom(), plotRect().bottom() + 0.0));
    if (r1 < 0)
        r1 = std::min(neuronCount(), m_firstRow + visibleNeurons()) - 1;
    for (int n = r0; n <= r1 && n < neuronCount(); ++n) {
        m_selectedRows.insert(n);
        const SpikeTrain& train = m_raster[static_cast<std::size_t>(n)];
        for (auto it = std::lower_bound(train.begin(), train.end(), t0); it != train.end() && *it <= t1; ++it)
            m_selection.insert({n, *it});
    }
    emit selectionChanged();
}

// ---------------------------------------------------------------------------------------------------
// Events

void SpikeRasterEditor::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    layoutScrollBars();
    syncScrollBars();
}

bool SpikeRasterEditor::event(QEvent* event)
{
    // Claim Delete and Ctrl+A while focused, before a window-wide shortcut (Edit ▸ Select All) does.
    if (event->type() == QEvent::ShortcutOverride) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->matches(QKeySequence::SelectAll) || key->matches(QKeySequence::Delete) ||
            key->key() == Qt::Key_Backspace || key->key() == Qt::Key_Escape) {
            event->accept();
            return true;
        }
    }
    return QWidget::event(event);
}

void SpikeRasterEditor::mousePressEvent(QMouseEvent* event)
{
    const QPointF pos = event->position();
    m_pressPos = m_lastPos = pos;
    const QRect plot = plotRect();
    if (event->button() == Qt::MiddleButton) {
        m_drag = Drag::Pan;
        m_panT0 = m_t0;
        m_panRow = m_firstRow;
        setCursor(Qt::ClosedHandCursor);
        return;
    }
    if (event->button() == Qt::RightButton) {
        Spike hit;
        if (spikeAt(pos, &hit)) {
            m_selection = {hit};
            deleteSelected();
        }
        return;
    }
    if (event->button() != Qt::LeftButton)
        return;

    // Row labels: click selects a neuron (Ctrl toggles, Shift extends) with all its spikes.
    if (pos.x() < plot.left() && pos.y() >= plot.top() && pos.y() <= plot.bottom()) {
        const int n = neuronAt(pos.y());
        if (n < 0)
            return;
        const bool ctrl = event->modifiers() & Qt::ControlModifier;
        const bool shift = event->modifiers() & Qt::ShiftModifier;
        if (!ctrl && !shift) {
            m_selectedRows.clear();
            m_selection.clear();
        }
        const int from = shift && m_rowAnchor >= 0 ? std::min(m_rowAnchor, n) : n;
        const int to = shift && m_rowAnchor >= 0 ? std::max(m_rowAnchor, n) : n;
        for (int r = from; r <= to; ++r) {
            const bool remove = ctrl && !shift && m_selectedRows.count(r);
            const SpikeTrain& train = m_raster[static_cast<std::size_t>(r)];
            if (remove) {
                m_selectedRows.erase(r);
                for (double t : train)
                    m_selection.erase({r, t});
            } else {
                m_selectedRows.insert(r);
                for (double t : train)
                    m_selection.insert({r, t});
            }
        }
        if (!shift)
            m_rowAnchor = n;
        m_drag = Drag::RowSelect;
        emit selectionChanged();
        update();
        return;
    }
    if (!plot.adjusted(-kHitPixels, 0, kHitPixels, 0).contains(pos.toPoint()))
        return;

    m_pressOnSpike = spikeAt(pos, &m_pressSpike);
    if (m_pressOnSpike) {
        if (event->modifiers() & Qt::ControlModifier) {
            // Ctrl+click toggles a spike in the selection; no drag.
            if (!m_selection.erase(m_pressSpike))
                m_selection.insert(m_pressSpike);
            emit selectionChanged();
            update();
            m_drag = Drag::None;
            return;
        }
        if (!m_selection.count(m_pressSpike)) {
            m_selection = {m_pressSpike};
            m_selectedRows = {m_pressSpike.neuron};
            emit selectionChanged();
        }
    }
    m_drag = Drag::Pending;
    update();
}

void SpikeRasterEditor::mouseMoveEvent(QMouseEvent* event)
{
    const QPointF pos = event->position();
    // Hover read-out: neuron and the time a click would put a spike at.
    const int n = neuronAt(pos.y());
    const bool inside = plotRect().contains(pos.toPoint());
    const int hoverNeuron = inside ? n : -1;
    const double hoverTime =
        inside ? static_cast<double>(std::clamp<std::int64_t>(stepOf(timeAt(pos.x())), 0, steps() - 1)) * m_dt : -1.0;
    if (hoverNeuron != m_hoverNeuron || hoverTime != m_hoverTime) {
        m_hoverNeuron = hoverNeuron;
        m_hoverTime = hoverTime;
        emit hovered(m_hoverNeuron, m_hoverTime);
        update();
    }

    switch (m_drag) {
    case Drag::None:
    case Drag::RowSelect: {
        Spike hit;
        setCursor(spikeAt(pos, &hit) ? Qt::SizeHorCursor : Qt::CrossCursor);
        break;
    }
    case Drag::Pending:
        if ((pos - m_pressPos).manhattanLength() >= kDragThreshold) {
            if (m_pressOnSpike) {
                m_drag = Drag::MoveSpikes;
                m_dragBase = m_raster;
                m_dragSpikes = selectedSpikes();
                m_dragStepOffset = 0;
                m_dragRowOffset = 0;
                m_dragMergeId = nextMergeId();
                setCursor(Qt::ClosedHandCursor);
                updateDragMove(pos);
            } else {
                m_drag = Drag::RubberBand;
                m_band = QRectF(m_pressPos, pos);
                update();
            }
        }
        break;
    case Drag::MoveSpikes:
        updateDragMove(pos);
        break;
    case Drag::RubberBand:
        m_band = QRectF(m_pressPos, pos);
        update();
        break;
    case Drag::Pan: {
        const QPointF d = pos - m_pressPos;
        setTimeWindow(m_panT0 - d.x() / pixelsPerSecond(), m_span);
        setNeuronWindow(m_panRow - static_cast<int>(std::lround(d.y() / rowHeight())), visibleNeurons());
        break;
    }
    }
    m_lastPos = pos;
}

void SpikeRasterEditor::mouseReleaseEvent(QMouseEvent* event)
{
    const QPointF pos = event->position();
    const Drag drag = m_drag;
    m_drag = Drag::None;
    unsetCursor();
    switch (drag) {
    case Drag::Pending:
        if (event->button() != Qt::LeftButton)
            break;
        if (m_pressOnSpike) {
            // A plain click on a spike of a larger selection narrows the selection to it.
            if (m_selection.size() > 1) {
                m_selection = {m_pressSpike};
                m_selectedRows = {m_pressSpike.neuron};
                emit selectionChanged();
            }
        } else {
            // A click on empty space adds a spike on the grid step under the cursor.
            const int n = neuronAt(pos.y());
            if (n < 0 || !plotRect().contains(pos.toPoint()))
                break;
            const std::int64_t step = std::clamp<std::int64_t>(stepOf(timeAt(pos.x())), 0, steps() - 1);
            const SpikeTrain& train = m_raster[static_cast<std::size_t>(n)];
            if (stepOccupied(train, step))
                break;
            SpikeRaster next = m_raster;
            const double t = static_cast<double>(step) * m_dt;
            SpikeTrain& target = next[static_cast<std::size_t>(n)];
            target.insert(std::lower_bound(target.begin(), target.end(), t), t);
            m_selection = {{n, t}};
            m_selectedRows = {n};
            emit selectionChanged();
            emitEdit(next, tr("Add spike"));
        }
        break;
    case Drag::RubberBand:
        finishRubberBand(event->modifiers() & (Qt::ShiftModifier | Qt::ControlModifier));
        break;
    case Drag::MoveSpikes:
        m_dragBase.clear();
        m_dragSpikes.clear();
        m_dragMergeId = 0;
        break;
    default:
        break;
    }
    m_band = {};
    update();
}

void SpikeRasterEditor::wheelEvent(QWheelEvent* event)
{
    const QPoint delta = event->angleDelta();
    const QPointF pos = event->position();
    if (delta.x() != 0 && delta.y() == 0) {
        setTimeWindow(m_t0 - delta.x() / 120.0 * 0.1 * m_span, m_span);
    } else if (event->modifiers() & Qt::ShiftModifier) {
        setTimeWindow(m_t0 - delta.y() / 120.0 * 0.1 * m_span, m_span);
    } else if (event->modifiers() & Qt::ControlModifier) {
        zoomNeurons(std::pow(0.8, delta.y() / 120.0), pos.y());
    } else if (event->modifiers() & Qt::AltModifier) {
        setNeuronWindow(m_firstRow - static_cast<int>(delta.y() / 120.0 * std::max(1, visibleNeurons() / 10)),
                        visibleNeurons());
    } else {
        zoomTime(std::pow(0.8, delta.y() / 120.0), pos.x());
    }
    event->accept();
}

void SpikeRasterEditor::keyPressEvent(QKeyEvent* event)
{
    if (event->matches(QKeySequence::SelectAll)) {
        selectAll();
    } else if (event->matches(QKeySequence::Delete) || event->key() == Qt::Key_Backspace ||
               event->key() == Qt::Key_Delete) {
        deleteSelected();
    } else if (event->key() == Qt::Key_Escape) {
        clearSelection();
    } else if (event->key() == Qt::Key_Home) {
        resetView();
    } else if (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal) {
        zoomTime(0.8, plotRect().center().x());
    } else if (event->key() == Qt::Key_Minus) {
        zoomTime(1.25, plotRect().center().x());
    } else {
        QWidget::keyPressEvent(event);
    }
}

void SpikeRasterEditor::leaveEvent(QEvent* event)
{
    QWidget::leaveEvent(event);
    if (m_hoverNeuron != -1) {
        m_hoverNeuron = -1;
        m_hoverTime = -1;
        emit hovered(-1, -1);
        update();
    }
}

// ---------------------------------------------------------------------------------------------------
// Painting

double SpikeRasterEditor::niceTimeTick() const
{
    // At least ~80 px between labelled ticks; steps of 1, 2, 5 × 10^k seconds.
    const double minTick = 80.0 / pixelsPerSecond();
    double base = std::pow(10.0, std::floor(std::log10(minTick)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (base * m >= minTick)
            return base * m;
    return base * 10;
}

void SpikeRasterEditor::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QRect plot = plotRect();
    paintAxes(p, plot);
    p.save();
    p.setClipRect(plot.adjusted(-3, 0, 3, 1));
    paintSpikes(p, plot);
    p.restore();

    // Rubber band.
    if (m_drag == Drag::RubberBand) {
        p.setPen(QPen(palette().highlight().color(), 1, Qt::DashLine));
        QColor fill = palette().highlight().color();
        fill.setAlpha(40);
        p.setBrush(fill);
        p.drawRect(m_band.normalized());
    }

    // Frame and focus cue.
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(hasFocus() ? palette().highlight().color() : QColor(190, 190, 190), 1));
    p.drawRect(plot.adjusted(0, 0, -1, -1));

    // Title (left) and hover read-out (right) above the plot.
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    const QColor accent = m_kind == Kind::Desired ? kDesiredColor : kInputColor;
    p.setPen(accent);
    const QRect titleRect(plot.left(), 0, plot.width(), kTopMargin - 4);
    const QString info = titleInfo();
    // The read-out keeps its room on the right; the title is elided before the two could overlap.
    const int infoWidth = info.isEmpty() ? 0 : QFontMetrics(font()).horizontalAdvance(info) + 12;
    p.drawText(titleRect.adjusted(0, 0, -infoWidth, 0), Qt::AlignLeft | Qt::AlignVCenter, shownTitle());
    p.setFont(font());
    p.setPen(palette().text().color());
    p.drawText(titleRect, Qt::AlignRight | Qt::AlignVCenter, info);
}

QString SpikeRasterEditor::titleInfo() const
{
    if (m_hoverNeuron >= 0)
        return tr("%1 %2 · %3 ms").arg(m_noun).arg(m_hoverNeuron).arg(formatMs(m_hoverTime));
    if (!m_selection.empty())
        return QString::fromStdString(plural(static_cast<long long>(m_selection.size()), "spike") + " selected");
    if (!m_selectedRows.empty())
        return QString::fromStdString(plural(static_cast<long long>(m_selectedRows.size()), "neuron") + " selected");
    return {};
}

QString SpikeRasterEditor::shownTitle() const
{
    QFont bold = font();
    bold.setBold(true);
    const QString info = titleInfo();
    const int infoWidth = info.isEmpty() ? 0 : QFontMetrics(font()).horizontalAdvance(info) + 12;
    return QFontMetrics(bold).elidedText(m_title, Qt::ElideRight, std::max(0, plotRect().width() - infoWidth));
}

void SpikeRasterEditor::paintAxes(QPainter& p, const QRect& plot) const
{
    const double rh = rowHeight();
    const int rows = visibleNeurons();
    // Row shading: alternate rows when they are tall enough to tell apart, selected rows tinted.
    for (int r = 0; r < rows && m_firstRow + r < neuronCount(); ++r) {
        const int n = m_firstRow + r;
        const QRectF row(plot.left(), plot.top() + r * rh, plot.width(), rh);
        if (m_selectedRows.count(n)) {
            QColor c = palette().highlight().color();
            c.setAlpha(35);
            p.fillRect(row, c);
        } else if (rh >= 6 && n % 2 == 1) {
            p.fillRect(row, QColor(246, 247, 250));
        }
        if (n == m_hoverNeuron)
            p.fillRect(row, QColor(0, 0, 0, 14));
    }

    // Time-step grid when a step is wide enough to aim at.
    const double pxPerStep = m_dt * pixelsPerSecond();
    if (pxPerStep >= 8) {
        p.setPen(QColor(238, 238, 238));
        for (std::int64_t s = stepOf(m_t0); static_cast<double>(s) * m_dt <= m_t0 + m_span; ++s) {
            const double x = plot.left() + (static_cast<double>(s) * m_dt - m_t0) * pixelsPerSecond();
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        }
    }

    // Time ticks, grid lines and labels in ms.
    const double tick = niceTimeTick();
    const QFontMetrics fm(font());
    for (double t = std::ceil(m_t0 / tick - 1e-9) * tick; t <= m_t0 + m_span + 1e-12; t += tick) {
        const double x = plot.left() + (t - m_t0) * pixelsPerSecond();
        p.setPen(QColor(222, 222, 222));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(palette().text().color());
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4));
        const double ms = t * 1e3;
        const QString label = QString::number(ms, 'g', 6);
        const int w = fm.horizontalAdvance(label);
        p.drawText(QPointF(std::clamp(x - w / 2.0, plot.left() - 4.0, plot.right() - w + 4.0),
                           plot.bottom() + 5 + fm.ascent()),
                   label);
    }
    p.setPen(palette().placeholderText().color());
    p.drawText(QRect(0, plot.bottom() + 3, plot.left() - 6, fm.height() + 2), Qt::AlignRight | Qt::AlignVCenter,
               tr("t (ms)"));

    // Neuron labels: every k-th row so labels do not collide.
    const int every = std::max(1, static_cast<int>(std::ceil((fm.height() + 2) / rh)));
    const int nice[] = {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000};
    int labelEvery = every;
    for (int k : nice)
        if (k >= every) {
            labelEvery = k;
            break;
        }
    for (int r = 0; r < rows && m_firstRow + r < neuronCount(); ++r) {
        const int n = m_firstRow + r;
        if (n % labelEvery != 0 && !m_selectedRows.count(n) && n != m_hoverNeuron)
            continue;
        if (n % labelEvery != 0 && rh < fm.height())
            continue;
        const QRectF label(0, plot.top() + r * rh + rh / 2 - fm.height() / 2.0, plot.left() - 6, fm.height());
        p.setPen(m_selectedRows.count(n) ? palette().highlight().color() : palette().text().color());
        p.drawText(label, Qt::AlignRight | Qt::AlignVCenter, QString::number(n));
    }
    if (neuronCount() == 0) {
        p.setPen(palette().placeholderText().color());
        p.drawText(plot, Qt::AlignCenter, tr("No neurons"));
    }
}

void SpikeRasterEditor::paintSpikes(QPainter& p, const QRect& plot) const
{
    const double rh = rowHeight();
    const double pps = pixelsPerSecond();
    const int rows = visibleNeurons();
    const bool desired = m_kind == Kind::Desired;
    const QColor base = desired ? kDesiredColor : kInputColor;
    const double tickH = std::max(2.0, std::min(rh * 0.78, 28.0));
    const double tickW = desired ? std::clamp(m_dt * pps, 2.5, 4.0) : std::clamp(m_dt * pps, 2.0, 3.0);

    // Spacing violations: a red bracket joining the pair and red halos.
    std::set<Spike> flagged;
    for (const SpacingViolation& v : spacingViolations()) {
        if (v.neuron < m_firstRow || v.neuron >= m_firstRow + rows)
            continue;
        flagged.insert({v.neuron, v.first});
        flagged.insert({v.neuron, v.second});
        const double y = plot.top() + (v.neuron - m_firstRow + 0.5) * rh;
        const double x0 = plot.left() + (v.first - m_t0) * pps, x1 = plot.left() + (v.second - m_t0) * pps;
        QColor fill = kWarningColor;
        fill.setAlpha(45);
        p.fillRect(QRectF(x0 - 4, y - tickH / 2 - 3, x1 - x0 + 8, tickH + 6), fill);
        p.setPen(QPen(kWarningColor, 1.5));
        p.drawLine(QPointF(x0, y - tickH / 2 - 3), QPointF(x1, y - tickH / 2 - 3));
    }

    // Hover ghost: where a click would add a spike.
    if (m_drag == Drag::None && m_hoverNeuron >= 0) {
        Spike hit;
        const QPoint at = positionOf(m_hoverNeuron, m_hoverTime);
        if (!spikeAt(at, &hit)) {
            QColor ghost = base;
            ghost.setAlpha(70);
            p.fillRect(QRectF(at.x() - tickW / 2, at.y() - tickH / 2, tickW, tickH), ghost);
        }
    }

    for (int r = 0; r < rows && m_firstRow + r < neuronCount(); ++r) {
        const int n = m_firstRow + r;
        const SpikeTrain& train = m_raster[static_cast<std::size_t>(n)];
        const double y = plot.top() + (r + 0.5) * rh;
        const double tMin = m_t0 - 4 / pps, tMax = m_t0 + m_span + 4 / pps;
        for (auto it = std::lower_bound(train.begin(), train.end(), tMin); it != train.end() && *it <= tMax; ++it) {
            const double x = plot.left() + (*it - m_t0) * pps;
            const bool selected = m_selection.count({n, *it}) > 0;
            const bool warn = flagged.count({n, *it}) > 0;
            if (selected) {
                QColor halo = kSelectedColor;
                halo.setAlpha(150);
                p.fillRect(QRectF(x - tickW / 2 - 2, y - tickH / 2 - 2, tickW + 4, tickH + 4), halo);
            }
            const QColor c = warn ? kWarningColor : base;
            p.fillRect(QRectF(x - tickW / 2, y - tickH / 2, tickW, tickH), c);
            if (desired && rh >= 9) {
                // Desired spikes carry a diamond head: "the spike wanted here".
                const double d = std::min(5.0, rh * 0.3);
                QPainterPath diamond;
                diamond.moveTo(x, y - tickH / 2 - d);
                diamond.lineTo(x + d, y - tickH / 2);
                diamond.lineTo(x, y - tickH / 2 + d);
                diamond.lineTo(x - d, y - tickH / 2);
                diamond.closeSubpath();
                p.setRenderHint(QPainter::Antialiasing, true);
                p.fillPath(diamond, c);
                p.setRenderHint(QPainter::Antialiasing, false);
            }
        }
    }

    // Hover cursor line.
    if (m_hoverTime >= 0 && m_hoverNeuron >= 0) {
        const double x = plot.left() + (m_hoverTime - m_t0) * pps;
        p.setPen(QPen(QColor(0, 0, 0, 60), 1, Qt::DashLine));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }
}

} // namespace normad::ui
