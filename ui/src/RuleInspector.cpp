#include "normad/ui/RuleInspector.h"

#include "normad/ui/PlotStyle.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/RuleText.h"
#include "normad/ui/TrainingController.h"

#include "normad/RuleRegistry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace normad::ui {

namespace {
constexpr double toMs = 1e3;
constexpr double toNanoAmp = 1e9;
constexpr double toMvPerNa = 1e-6; // d̂ is in V/A (s/F); 1 V/A = 1e-6 mV/nA
constexpr int followIntervalMs = 300;

QCPGraph* stems(QCPAxis* key, QCPAxis* value, const QColor& color,
                QCPScatterStyle::ScatterShape shape = QCPScatterStyle::ssDisc)
{
    auto* g = new QCPGraph(key, value);
    g->setLineStyle(QCPGraph::lsImpulse);
    g->setPen(QPen(color, 1.6));
    g->setScatterStyle(QCPScatterStyle(shape, color, color, 6));
    return g;
}

QString nA(double amperes, int precision = 4)
{
    return QString::number(amperes * toNanoAmp, 'g', precision) + QStringLiteral(" nA");
}

// The layer chooser's items carry their layer number l = 1 … L (Layers.h) as data, so no index
// arithmetic maps between the list and the network.
int chosenLayer(const QComboBox* chooser)
{
    return chooser->currentData().isValid() ? chooser->currentData().toInt() : 0;
}
} // namespace

RuleInspector::RuleInspector(ProjectDocument* document, TrainingController* training, QWidget* parent)
    : QWidget(parent), m_document(document), m_training(training)
{
    m_pattern = new QComboBox(this);
    m_layer = new QComboBox(this);
    m_pattern->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_pattern->setMinimumContentsLength(12);
    m_neuron = new QSpinBox(this);
    m_synapse = new QSpinBox(this);
    m_synapse->setMinimum(-1);
    m_synapse->setSpecialValueText(tr("largest |Δw|"));
    m_synapse->setToolTip(tr("Presynaptic neuron j whose Δw_ij is explained instant by instant (click a bar)"));
    m_follow = new QCheckBox(tr("Follow training"), this);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Recompute with the running session's weights a few times per second"));
    auto* recompute = new QPushButton(tr("Recompute"), this);
    // Two rows, so the inspector fits a dock a third of a 1280 px window wide.
    auto* controls = new QGridLayout;
    controls->setHorizontalSpacing(6);
    controls->setVerticalSpacing(2);
    controls->addWidget(new QLabel(tr("Pattern"), this), 0, 0);
    controls->addWidget(m_pattern, 0, 1);
    controls->addWidget(new QLabel(tr("Layer"), this), 0, 2);
    controls->addWidget(m_layer, 0, 3);
    controls->addWidget(new QLabel(tr("Neuron i"), this), 0, 4);
    controls->addWidget(m_neuron, 0, 5);
    controls->addWidget(new QLabel(tr("Synapse j"), this), 1, 0);
    controls->addWidget(m_synapse, 1, 1);
    controls->addWidget(m_follow, 1, 2, 1, 2);
    controls->addWidget(recompute, 1, 4, 1, 2);
    controls->setColumnStretch(6, 1);

    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::RichText);

    m_plot = new QCustomPlot(this);
    plotstyle::applyDefaults(m_plot);
    // Five stacked plots: below ~80 px of axis each their tick labels collide. They keep that and
    // scroll inside a short dock (1280×800) rather than being squashed.
    m_plot->setMinimumSize(300, 720);
    m_plot->plotLayout()->clear();
    auto* margins = new QCPMarginGroup(m_plot);
    const QString timeLabel = tr("Time (ms)");
    int row = 0;
    for (QCPAxisRect** rect : {&m_spikeRect, &m_errorRect, &m_dhatRect, &m_directionRect, &m_barRect}) {
        *rect = new QCPAxisRect(m_plot);
        m_plot->plotLayout()->addElement(row++, 0, *rect);
        (*rect)->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
        for (QCPAxis* axis : (*rect)->axes())
            axis->setLayer(QStringLiteral("axes"));
    }
    plotstyle::styleAxisRect(m_spikeRect, QString(), tr("V (mV)"));
    plotstyle::styleAxisRect(m_errorRect, QString(), tr("e(t)"));
    plotstyle::styleAxisRect(m_dhatRect, QString(), tr("d̂ (mV/nA)"));
    plotstyle::styleAxisRect(m_directionRect, timeLabel, tr("d̂ⱼ/‖d̂‖"));
    plotstyle::styleAxisRect(m_barRect, tr("Presynaptic neuron j"), tr("Δwᵢⱼ (nA)"));
    m_errorRect->axis(QCPAxis::atRight)->setVisible(true);
    m_errorRect->axis(QCPAxis::atRight)->setLabel(tr("w·E above (nA)"));
    m_plot->plotLayout()->setRowStretchFactors({1.0, 0.8, 1.0, 0.8, 1.1});
    // Three value ticks per plot, kept to (the readable default strategy gave five in 60 px).
    std::vector<QCPAxis*> valueAxes{m_errorRect->axis(QCPAxis::atRight)};
    for (QCPAxisRect* rect : {m_spikeRect, m_errorRect, m_dhatRect, m_directionRect, m_barRect})
        valueAxes.push_back(rect->axis(QCPAxis::atLeft));
    for (QCPAxis* axis : valueAxes) {
        axis->ticker()->setTickCount(3);
        axis->ticker()->setTickStepStrategy(QCPAxisTicker::tssMeetTickCount);
    }
    for (QCPAxisRect* rect : {m_spikeRect, m_errorRect, m_dhatRect})
        rect->axis(QCPAxis::atBottom)->setTickLabels(false);
    // The four time plots move together.
    for (QCPAxisRect* a : {m_spikeRect, m_errorRect, m_dhatRect, m_directionRect})
        for (QCPAxisRect* b : {m_spikeRect, m_errorRect, m_dhatRect, m_directionRect})
            if (a != b)
                connect(a->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged),
                        b->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::setRange));
    m_deltaBars = new QCPBars(m_barRect->axis(QCPAxis::atBottom), m_barRect->axis(QCPAxis::atLeft));
    m_deltaBars->setPen(Qt::NoPen);
    m_deltaBars->setBrush(plotstyle::skyBlue);
    m_deltaBars->setWidth(0.8);
    m_explainedBar = new QCPBars(m_barRect->axis(QCPAxis::atBottom), m_barRect->axis(QCPAxis::atLeft));
    m_explainedBar->setPen(Qt::NoPen);
    m_explainedBar->setBrush(plotstyle::orange);
    m_explainedBar->setWidth(0.8);

    m_equations = new QLabel(this);
    m_equations->setWordWrap(true);
    m_equations->setTextFormat(Qt::RichText);
    m_equations->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_equations->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table = new QTableWidget(this);
    m_table->setColumnCount(6);
    m_table->setHorizontalHeaderLabels(
        {tr("t (ms)"), tr("E"), tr("d̂ⱼ (mV/nA)"), tr("‖d̂‖ (mV/nA)"), tr("d̂ⱼ/‖d̂‖"), tr("r·E·d̂ⱼ/‖d̂‖ (nA)")});
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setMinimumSize(160, 80);
    m_equations->setMinimumWidth(160);

    auto* side = new QWidget(this);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(4, 0, 0, 0);
    sideLayout->addWidget(m_equations);
    sideLayout->addWidget(m_table, 1);
    auto* split = m_split = new QSplitter(Qt::Horizontal, this);
    auto* plotScroll = new QScrollArea(this);
    plotScroll->setWidgetResizable(true);
    plotScroll->setFrameShape(QFrame::NoFrame);
    plotScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    plotScroll->setWidget(m_plot);
    split->addWidget(plotScroll);
    // The equations wrap tall in a narrow column: they scroll too, so a short dock never makes the
    // window grow past the screen (it did, by ~30 px at 1280×800).
    auto* sideScroll = new QScrollArea(this);
    sideScroll->setWidgetResizable(true);
    sideScroll->setFrameShape(QFrame::NoFrame);
    sideScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    sideScroll->setWidget(side);
    split->addWidget(sideScroll);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(m_caption);
    layout->addWidget(split, 1);

    // What the background computation could not do reaches the user in the caption.
    connect(&m_job, &BackgroundJobBase::failed, this, &RuleInspector::showFailure);

    m_followTimer = new QTimer(this);
    m_followTimer->setSingleShot(true);
    m_followTimer->setInterval(followIntervalMs);
    connect(m_followTimer, &QTimer::timeout, this, &RuleInspector::refresh);
    if (m_training)
        connect(m_training, &TrainingController::snapshotReady, this, [this] {
            if (m_follow->isChecked() && isVisible() && !m_followTimer->isActive())
                m_followTimer->start();
        });
    connect(m_document, &ProjectDocument::changed, this, [this] {
        rebuildChoices();
        if (isVisible())
            m_followTimer->start();
    });
    connect(recompute, &QPushButton::clicked, this, &RuleInspector::refresh);
    auto changed = [this] {
        if (!m_updatingControls)
            refresh();
    };
    connect(m_pattern, &QComboBox::currentIndexChanged, this, changed);
    connect(m_layer, &QComboBox::currentIndexChanged, this, [this, changed] {
        if (m_updatingControls)
            return;
        const Network& net = m_document->project().network;
        const int l = chosenLayer(m_layer);
        if (net.layerNumbers().contains(l)) {
            m_neuron->setMaximum(net.populationSize(l) - 1);
            m_synapse->setMaximum(net.populationSize(l - 1) - 1);
        }
        changed();
    });
    connect(m_neuron, &QSpinBox::valueChanged, this, changed);
    connect(m_synapse, &QSpinBox::valueChanged, this, changed);
    // Clicking a Δw bar explains that synapse.
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (event->button() != Qt::LeftButton || m_plot->axisRectAt(event->position()) != m_barRect || !m_inspection)
            return;
        const int j = qRound(m_barRect->axis(QCPAxis::atBottom)->pixelToCoord(event->position().x()));
        if (j >= 0 && j < m_inspection->delta.size())
            m_synapse->setValue(j);
    });
    plotstyle::installHover(m_plot, [this](QCPAxisRect* rect, double key, double) {
        if (rect != m_barRect || !m_inspection)
            return QString();
        const int j = qRound(key);
        if (j < 0 || j >= m_inspection->delta.size())
            return QString();
        return tr("synapse %1 → %2\nΔw = %3\nclick: why?")
            .arg(j)
            .arg(m_inspection->request.neuron)
            .arg(nA(m_inspection->delta(j)));
    });
    rebuildChoices();
}

RuleInspector::~RuleInspector() = default;

void RuleInspector::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    const Qt::Orientation wanted = width() >= 700 ? Qt::Horizontal : Qt::Vertical;
    if (m_split->orientation() != wanted || !m_splitSized) {
        // Plots get three fifths, the equations and the table the rest.
        m_split->setOrientation(wanted);
        const int total = wanted == Qt::Horizontal ? m_split->width() : m_split->height();
        m_split->setSizes({total * 3 / 5, total - total * 3 / 5});
        m_splitSized = total > 0;
    }
}

void RuleInspector::rebuildChoices()
{
    const Project& p = m_document->project();
    m_updatingControls = true;
    const int pattern = m_pattern->currentIndex(), layer = chosenLayer(m_layer);
    m_pattern->clear();
    m_pattern->addItem(tr("latest presented"));
    for (std::size_t i = 0; i < p.task.patterns.size(); ++i) {
        const QString name = QString::fromStdString(p.task.patterns[i].name);
        m_pattern->addItem(name.isEmpty() ? tr("pattern %1").arg(i) : tr("%1: %2").arg(i).arg(name));
    }
    m_pattern->setCurrentIndex(pattern >= 0 && pattern < m_pattern->count() ? pattern : 0);
    m_layer->clear();
    const int L = p.network.layerCount();
    for (int l : p.network.layerNumbers())
        m_layer->addItem(l == L ? tr("output (%1)").arg(l) : tr("hidden %1").arg(l), l);
    const int kept = m_layer->findData(layer);
    m_layer->setCurrentIndex(kept >= 0 ? kept : m_layer->count() - 1); // else the output layer
    const int l = chosenLayer(m_layer);
    if (p.network.layerNumbers().contains(l)) {
        m_neuron->setMaximum(p.network.populationSize(l) - 1);
        m_synapse->setMaximum(p.network.populationSize(l - 1) - 1);
    }
    m_updatingControls = false;
}

void RuleInspector::inspect(int layer, int neuron, int pattern, int synapse)
{
    rebuildChoices();
    m_updatingControls = true;
    m_layer->setCurrentIndex(m_layer->findData(layer));
    const Network& net = m_document->project().network;
    if (net.layerNumbers().contains(layer)) {
        m_neuron->setMaximum(net.populationSize(layer) - 1);
        m_synapse->setMaximum(net.populationSize(layer - 1) - 1);
    }
    m_neuron->setValue(neuron);
    m_synapse->setValue(synapse);
    m_pattern->setCurrentIndex(pattern + 1);
    m_updatingControls = false;
    refresh();
}

void RuleInspector::refresh()
{
    const Project& p = m_document->project();
    m_problem.clear();
    if (p.network.layerCount() == 0 || p.task.patterns.empty()) {
        m_job.cancel();
        m_inspection.reset();
        m_problem = tr("Load or build a project to look inside the rule.");
        m_caption->setText(m_problem);
        draw();
        return;
    }
    const SnapshotPtr snapshot = m_training ? m_training->latestSnapshot() : SnapshotPtr();
    const bool live = m_training && m_training->isActive() && snapshot && !snapshot->weights.empty();
    RuleInspectionRequest request;
    request.layer = chosenLayer(m_layer);
    request.neuron = m_neuron->value();
    int pattern = m_pattern->currentIndex() - 1;
    if (pattern < 0)
        pattern = snapshot && snapshot->lastPattern >= 0 ? snapshot->lastPattern : 0;
    request.pattern = std::min(pattern, static_cast<int>(p.task.patterns.size()) - 1);
    const int explained = m_synapse->value();
    if (explained >= 0)
        request.synapses.push_back(explained); // traced beside the two largest other updates
    const QString pname = QString::fromStdString(p.task.patterns[static_cast<std::size_t>(request.pattern)].name);
    const QString weightsUsed = live ? tr("the running session's weights (epoch %1)").arg(snapshot->completedEpochs)
                                     : tr("the project's weights");
    // The simulation and the update run in the background, once per refresh; a newer refresh
    // supersedes a running one. The plots keep the last result until the new one arrives.
    m_job.start(
        [project = p, weights = live ? snapshot->weights : std::vector<Eigen::MatrixXd>{}, request,
         epochs = live ? snapshot->completedEpochs : static_cast<int>(p.history.size())](const CancelFlag& cancel) {
            return inspectRule(project, weights, request, epochs, &cancel);
        },
        [this, request, explained, pname, weightsUsed](RuleInspection result) {
            const Project& p = m_document->project();
            m_inspection = std::make_unique<RuleInspection>(std::move(result));
            m_explained =
                explained >= 0 ? explained : (m_inspection->synapses.empty() ? -1 : m_inspection->synapses.front());
            QString caption = tr("Pattern <b>%1</b>%2, layer %3, neuron %4, re-simulated with %5 · %6")
                                  .arg(request.pattern)
                                  .arg(pname.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(pname.toHtmlEscaped()))
                                  .arg(request.layer)
                                  .arg(request.neuron)
                                  .arg(weightsUsed)
                                  .arg(QString::fromStdString(m_inspection->variant).toHtmlEscaped());
            // The inspector explains NormAD's update; a project training with another rule is told so.
            if (p.training.rule != "normad")
                caption += tr("<br><i>The project trains with %1; this is the update NormAD would make.</i>")
                               .arg(QString::fromStdString(findRule(p.training.rule).name));
            m_caption->setText(caption);
            showInspection();
        });
}

void RuleInspector::showFailure(const QString& message)
{
    m_inspection.reset();
    m_problem = message;
    m_caption->setText(tr("<span style='color:#d55e00'>%1</span>").arg(m_problem.toHtmlEscaped()));
    showInspection();
}

void RuleInspector::showInspection()
{
    draw();
    fillTable();
    writeEquations();
    emit inspected();
}

void RuleInspector::explain(int synapse)
{
    m_synapse->setValue(synapse);
}

void RuleInspector::draw()
{
    m_plot->clearGraphs();
    m_deltaBars->data()->clear();
    m_explainedBar->data()->clear();
    const RuleInspection* r = m_inspection.get();
    if (!r) {
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const double dtMs = r->dt * toMs;
    const double T = r->steps * dtMs;
    const bool hidden = !r->errorsAbove.empty() || r->request.layer < static_cast<int>(r->gradient.deltas.size());
    const Project& p = m_document->project();
    const LifParams& lif = p.network.layer(std::min(r->request.layer, p.network.layerCount())).neuron;

    // 1. Membrane potential with actual (discs) and desired (triangles) spikes at the threshold.
    {
        QCPAxis* x = m_spikeRect->axis(QCPAxis::atBottom);
        QCPAxis* y = m_spikeRect->axis(QCPAxis::atLeft);
        auto* v = new QCPGraph(x, y);
        v->setPen(QPen(plotstyle::black, 1));
        v->setName(tr("V(t)"));
        QVector<double> keys, values;
        plotstyle::decimateMinMax(r->membrane, dtMs, 1e3, std::max(200, m_plot->width()), keys, values);
        v->setData(keys, values, true);
        const double vt = lif.threshold * 1e3;
        auto marks = [&](const StepTrain& train, const QColor& c, QCPScatterStyle::ScatterShape shape, double level) {
            auto* g = new QCPGraph(x, y);
            g->setLineStyle(QCPGraph::lsNone);
            g->setScatterStyle(QCPScatterStyle(shape, c, c, 8));
            QVector<double> k, val;
            for (std::int64_t n : train) {
                k << n * dtMs;
                val << level;
            }
            g->setData(k, val, true);
        };
        marks(r->actual, plotstyle::actualColor, QCPScatterStyle::ssDisc, vt + 8);
        marks(r->desired, plotstyle::desiredColor, QCPScatterStyle::ssTriangleInverted, vt + 18);
        y->setRange(lif.restPotential * 1e3 - 40, vt + 26);
    }
    // 2. The error train of this layer; for a hidden neuron also the error arriving from above.
    {
        QCPAxis* x = m_errorRect->axis(QCPAxis::atBottom);
        QCPAxis* y = m_errorRect->axis(QCPAxis::atLeft);
        QCPAxis* y2 = m_errorRect->axis(QCPAxis::atRight);
        y->setLabel(hidden ? tr("δ at spikes") : tr("e(t) = D − Y"));
        y2->setVisible(hidden);
        QVector<double> kp, vp, kn, vn;
        double extreme = 1;
        for (const ErrorEntry& e : r->errors) {
            (e.value >= 0 ? kp : kn) << e.step * dtMs;
            (e.value >= 0 ? vp : vn) << e.value;
            extreme = std::max(extreme, std::abs(e.value));
        }
        stems(x, y, hidden ? plotstyle::bluishGreen : plotstyle::desiredColor)->setData(kp, vp, true);
        stems(x, y, hidden ? plotstyle::bluishGreen : plotstyle::actualColor, QCPScatterStyle::ssSquare)
            ->setData(kn, vn, true);
        if (!hidden) {
            y->setRange(-1.4, 1.4);
        } else {
            y->setRange(-1.15 * extreme, 1.15 * extreme);
            QVector<double> ka, va;
            double extremeAbove = 1e-12;
            for (const ErrorEntry& e : r->errorsAbove) {
                const double w = r->weightsAbove[static_cast<std::size_t>(e.neuron)];
                ka << e.step * dtMs;
                va << w * e.value * toNanoAmp;
                extremeAbove = std::max(extremeAbove, std::abs(va.back()));
            }
            auto* above = stems(x, y2, plotstyle::reddishPurple, QCPScatterStyle::ssCross);
            above->setPen(QPen(QColor(204, 121, 167, 150), 1.2));
            above->setData(ka, va, true);
            y2->setRange(-1.15 * extremeAbove, 1.15 * extremeAbove);
        }
    }
    // 3. d̂_j(t) of the traced synapses and ‖d̂(t)‖; 4. the unit direction at the error instants.
    {
        QCPAxis* x = m_dhatRect->axis(QCPAxis::atBottom);
        QCPAxis* y = m_dhatRect->axis(QCPAxis::atLeft);
        QVector<double> keys;
        for (std::int64_t n : r->traceSteps)
            keys << n * dtMs;
        auto* norm = new QCPGraph(x, y);
        norm->setPen(QPen(plotstyle::black, 1, Qt::DashLine));
        QVector<double> nv;
        double top = 1e-9;
        for (double v : r->normTrace) {
            nv << v * toMvPerNa;
            top = std::max(top, nv.back());
        }
        norm->setData(keys, nv, true);
        QCPAxis* dx = m_directionRect->axis(QCPAxis::atBottom);
        QCPAxis* dy = m_directionRect->axis(QCPAxis::atLeft);
        for (std::size_t s = 0; s < r->synapses.size(); ++s) {
            const QColor c = plotstyle::cycle()[s % 6];
            auto* g = new QCPGraph(x, y);
            g->setPen(QPen(c, s == 0 ? 1.8 : 1.1));
            QVector<double> v;
            for (double d : r->dhatTraces[s])
                v << d * toMvPerNa;
            g->setData(keys, v, true);
            const int j = r->synapses[s];
            QVector<double> ek, ev;
            for (std::size_t n = 0; n < r->errors.size(); ++n) {
                const double nrm = r->normAtErrors(static_cast<Eigen::Index>(n));
                if (nrm == 0)
                    continue;
                ek << r->errors[n].step * dtMs + (static_cast<double>(s) - 1.0) * 0.25 * dtMs * 10;
                ev << r->dhatAtErrors(static_cast<Eigen::Index>(n), j) / nrm;
            }
            stems(dx, dy, c)->setData(ek, ev, true);
        }
        y->setRange(-0.05 * top, 1.08 * top);
        dy->setRange(-1.05, 1.05);
        for (QCPAxisRect* rect : {m_spikeRect, m_errorRect, m_dhatRect, m_directionRect})
            rect->axis(QCPAxis::atBottom)->setRange(0, T);
    }
    // 5. Δw per synapse; the explained synapse in orange.
    {
        const int n = static_cast<int>(r->delta.size());
        QVector<double> keys(n), values(n);
        double extreme = 1e-9;
        for (int j = 0; j < n; ++j) {
            keys[j] = j;
            values[j] = r->delta(j) * toNanoAmp;
            extreme = std::max(extreme, std::abs(values[j]));
        }
        m_deltaBars->setData(keys, values, true);
        if (m_explained >= 0 && m_explained < n)
            m_explainedBar->setData({static_cast<double>(m_explained)}, {values[m_explained]}, true);
        m_barRect->axis(QCPAxis::atBottom)->setRange(-0.7, n - 0.3);
        m_barRect->axis(QCPAxis::atLeft)->setRange(-1.1 * extreme, 1.1 * extreme);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void RuleInspector::fillTable()
{
    m_table->setRowCount(0);
    const RuleInspection* r = m_inspection.get();
    if (!r || m_explained < 0 || m_explained >= r->delta.size())
        return;
    const int j = m_explained;
    const int rows = static_cast<int>(r->errors.size());
    m_table->setRowCount(rows + 2);
    auto cell = [&](int row, int col, const QString& text, bool bold = false) {
        auto* item = new QTableWidgetItem(text);
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (bold) {
            QFont f = item->font();
            f.setBold(true);
            item->setFont(f);
        }
        m_table->setItem(row, col, item);
    };
    double sum = 0;
    for (int n = 0; n < rows; ++n) {
        const ErrorEntry& e = r->errors[static_cast<std::size_t>(n)];
        const double nrm = r->normAtErrors(n);
        const double d = r->dhatAtErrors(n, j);
        const double c = r->contributions(n, j);
        sum += c;
        cell(n, 0, QString::number(e.step * r->dt * toMs, 'f', 1));
        cell(n, 1, QString::number(e.value, 'g', 4));
        cell(n, 2, QString::number(d * toMvPerNa, 'g', 4));
        cell(n, 3, QString::number(nrm * toMvPerNa, 'g', 4));
        cell(n, 4, nrm == 0 ? tr("– (‖d̂‖ = 0)") : QString::number(d / nrm, 'g', 4));
        cell(n, 5, QString::number(c * toNanoAmp, 'g', 5));
    }
    cell(rows, 0, tr("Σ"), true);
    cell(rows, 5, QString::number(sum * toNanoAmp, 'g', 6), true);
    cell(rows + 1, 0, tr("engine"), true);
    m_table->setItem(rows + 1, 1, new QTableWidgetItem(tr("Δwᵢⱼ from NormadRule::compute")));
    m_table->setSpan(rows + 1, 1, 1, 4);
    cell(rows + 1, 5, QString::number(r->delta(j) * toNanoAmp, 'g', 6), true);
}

void RuleInspector::writeEquations()
{
    const RuleInspection* r = m_inspection.get();
    if (!r) {
        m_equations->setText(m_problem.toHtmlEscaped());
        return;
    }
    const bool hidden = r->request.layer < static_cast<int>(r->gradient.deltas.size());
    int plus = 0, minus = 0;
    for (const ErrorEntry& e : r->errors)
        (e.value > 0 ? plus : minus) += e.value != 0 ? 1 : 0;
    QString html = QStringLiteral("<style>td{padding:1px 6px;} .eq{font-size:large;}</style>");
    if (!hidden) {
        html += tr("<p class='eq'><b>Δw<sub>ij</sub> = r Σ<sub>n</sub> e[n] · d̂<sub>j</sub>[n] / ‖d̂[n]‖</b> "
                   "<small>(spec §2.4)</small></p>"
                   "<p>e[n] = D[n] − Y[n]: <b>+1</b> at a desired spike the neuron missed (%1 here), "
                   "<b>−1</b> at a spike it should not have fired (%2 here). Each error instant moves w_i by the "
                   "fixed length r along the unit vector d̂/‖d̂‖ — the inputs that were recently active, "
                   "filtered with ĥ(t) = e<sup>−t/τL′</sup>/C.</p>")
                    .arg(plus)
                    .arg(minus);
    } else {
        html +=
            tr("<p class='eq'><b>δ<sup>s</sup><sub>i</sub> = (1/V̇<sub>i</sub>) Σ<sub>k</sub> w<sub>ki</sub> "
               "Σ<sub>q≥s</sub> E<sub>k</sub>[q] ε′[q − s]</b><br>"
               "<b>Δw<sub>ij</sub> = r Σ<sub>s</sub> δ<sup>s</sup><sub>i</sub> · "
               "d̂<sub>j</sub>[s] / ‖d̂[s]‖</b> <small>(spec §3.5)</small></p>"
               "<p>The output errors travel back <i>in space</i> through the weights w<sub>ki</sub> (purple crosses: "
               "w·E of the layer above) and <i>in time</i> through ε′: only errors within a few τ after a hidden "
               "spike reach it. δ is sampled at this neuron's own %1 spike(s) (green stems); a silent hidden "
               "neuron gets no update.</p>")
                .arg(r->actual.size());
    }
    const QString j = m_explained >= 0 ? QString::number(m_explained) : QStringLiteral("j");
    html += QStringLiteral("<table>");
    auto row = [&](const QString& name, const QString& value) {
        html += QStringLiteral("<tr><td>%1</td><td><b>%2</b></td></tr>").arg(name, value);
    };
    row(tr("r (layer %1)").arg(r->request.layer),
        nA(r->rate) + (r->rateScale != 1 ? tr(" (decayed ×%1)").arg(r->rateScale, 0, 'g', 3) : QString()));
    // NormAD's settings as its description words them (label, display unit).
    {
        const TrainingParams& training = m_document->project().training;
        const RuleInfo& normad = findRule("normad");
        const FieldValues values = training.settings(normad.key);
        for (const FieldInfo& field : normad.parameters)
            if (field.key == "effectiveTimeConstant_s") {
                const QString text = settingText(field, values.at(field.key));
                row(QString::fromStdString(field.label), text.mid(text.indexOf(QStringLiteral(" = ")) + 3));
            }
    }
    row(hidden ? tr("spikes carrying δ") : tr("error instants"), QString::number(r->errors.size()));
    if (r->zeroNormInstants > 0)
        row(tr("instants with ‖d̂‖ = 0 (skipped)"), QString::number(r->zeroNormInstants));
    row(tr("‖Δw<sub>i</sub>‖"), nA(r->deltaNorm));
    if (m_explained >= 0 && m_explained < r->delta.size())
        row(tr("Δw<sub>i%1</sub> (orange bar)").arg(j), nA(r->delta(m_explained)));
    html += QStringLiteral("</table>");
    if (!r->perInstantSplit)
        html += tr("<p><i>Joint normalisation: the norm runs over all layers' gradients, so the per-instant "
                   "split in the table is the per-layer one and need not sum to the engine's Δw.</i></p>");
    else
        html += tr("<p>Why did w<sub>i%1</sub> change? The table lists each instant's share "
                   "r·E·d̂<sub>%1</sub>/‖d̂‖; they sum to the bar.</p>")
                    .arg(j);
    m_equations->setText(html);
}

} // namespace normad::ui
