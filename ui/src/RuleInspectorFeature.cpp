#include "normad/ui/RuleInspectorFeature.h"

#include "normad/ui/RuleInspector.h"
#include "normad/ui/WeightPlot.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>

#include <algorithm>

namespace normad::ui {

RuleInspectorFeature::RuleInspectorFeature(WorkbenchShell& shell) : WorkbenchFeature(shell)
{
    m_inspector = new RuleInspector(shell.document(), shell.training(), shell.window());
    // Below the live view and the lessons (it needs width: its time plots and the table of
    // contributions sit side by side); shown on request.
    shell.window()->setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
    QDockWidget* dock = addDock(Dock::Inspector, m_inspector, tr("Inside the rule"), Qt::BottomDockWidgetArea, false);
    connect(dock, &QDockWidget::visibilityChanged, m_inspector, [this](bool visible) {
        if (visible)
            m_inspector->refresh();
    });
    addMenuAction(Menu::Help, dock->toggleViewAction());
    // "Why did this weight change?": a click on a synapse of the weight map explains it.
    connect(shell.weightPlot(), &WeightPlot::synapseClicked, this,
            [this](int layer, int post, int pre) { inspect(layer, post, -1, pre); });
}

void RuleInspectorFeature::inspect(int layer, int neuron, int pattern, int synapse)
{
    shell().showDock(Dock::Inspector);
    m_inspector->inspect(layer, neuron, pattern, synapse);
}

void RuleInspectorFeature::placeDock(Dock which)
{
    // With the lessons open, the live view, the left column and an inspector docked below them do
    // not fit a 1280×800 window: it grew past 800 px and squashed the inspector's plots. Below
    // ~1000 px the inspector therefore joins the live plot docks of the left column as a tab (run
    // settings, history, learning curves, weights: one tab group), and the column widens to give
    // its time plots and table room; the live view keeps the centre, the lessons the right.
    QMainWindow* window = shell().window();
    QDockWidget* inspector = shell().dock(which);
    QDockWidget* lessons = shell().dock(Dock::Lessons);
    if (which != Dock::Inspector || inspector->isFloating() || !lessons || !lessons->isVisible() ||
        window->height() >= 1000)
        return;
    QDockWidget* curves = shell().dock(Dock::LearningCurves);
    if (!curves || window->dockWidgetArea(curves) != Qt::LeftDockWidgetArea)
        return;
    for (Dock other : {Dock::RunSettings, Dock::History, Dock::Weights})
        if (QDockWidget* d = shell().dock(other); d && window->dockWidgetArea(d) == Qt::LeftDockWidgetArea)
            window->tabifyDockWidget(curves, d);
    window->tabifyDockWidget(curves, inspector);
    inspector->show();
    inspector->raise();
    window->resizeDocks({inspector}, {std::max(480, window->width() - lessons->width() - 340)}, Qt::Horizontal);
}

} // namespace normad::ui
