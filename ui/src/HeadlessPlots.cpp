#include "normad/ui/HeadlessPlots.h"

#include "normad/Simulator.h"
#include "normad/ui/ExportActions.h"
#include "normad/ui/LearningCurvePlot.h"
#include "normad/ui/MembranePlot.h"
#include "normad/ui/RasterPlot.h"
#include "normad/ui/TrainingSnapshot.h"

#include <QDir>

#include <qcustomplot.h>

#include <stdexcept>

namespace normad::ui {

namespace {

// Publication size: readable when placed at a column's width.
constexpr int plotWidth = 1000, plotHeight = 620;

void save(QCustomPlot* plot, const QDir& dir, const QString& stem, std::vector<std::string>& written)
{
    for (const char* suffix : {".png", ".pdf"}) {
        const QString path = dir.filePath(stem + QLatin1String(suffix));
        QString error;
        if (!savePlot(plot, path, &error))
            throw std::runtime_error(error.toStdString());
        written.push_back(path.toStdString());
    }
    written.push_back(dir.filePath(stem + QStringLiteral(".csv")).toStdString());
}

// A widget laid out at the export size, so decimation and tick density match the picture.
template <typename Plot> void prepare(Plot& widget)
{
    widget.resize(plotWidth, plotHeight);
    widget.setAttribute(Qt::WA_DontShowOnScreen);
    widget.show();
    widget.plot()->replot();
}

} // namespace

std::vector<std::string> writeTrainingPlots(const Project& trained, const std::vector<EpochMetrics>& history,
                                            const std::string& folder)
{
    const QDir dir(QString::fromStdString(folder));
    if (!dir.exists() && !QDir().mkpath(dir.path()))
        throw std::runtime_error("cannot create the plot folder " + folder);
    std::vector<std::string> written;

    TrainingSnapshot snapshot;
    snapshot.dt = trained.simulation.dt;
    snapshot.duration = trained.simulation.duration;
    snapshot.completedEpochs = static_cast<int>(history.size());
    snapshot.history = std::make_shared<const std::vector<EpochMetrics>>(history);
    snapshot.weights = trained.network.allWeights();

    LearningCurvePlot curves;
    prepare(curves);
    curves.showSnapshot(snapshot);
    curves.plot()->replot();
    save(curves.plot(), dir, QStringLiteral("learning-curves"), written);

    RasterPlot raster;
    raster.setProject(trained);
    prepare(raster);
    MembranePlot membrane;
    membrane.setProject(trained);
    prepare(membrane);
    const RecordRequest probes = membrane.probes();
    const Simulator simulator(trained.network, trained.simulation);
    for (std::size_t k = 0; k < trained.task.patterns.size(); ++k) {
        const Pattern& pattern = trained.task.patterns[k];
        const SimulationRecord rec = simulator.run(pattern.inputs, probes);
        if (rec.status != SimulationStatus::Completed)
            throw std::runtime_error("pattern " + std::to_string(k) + ": " + rec.message);
        auto view = std::make_shared<PatternView>();
        view->patternIndex = static_cast<int>(k);
        view->epoch = snapshot.completedEpochs;
        for (const LayerActivity& layer : rec.layers)
            view->spikes.push_back(layer.spikes);
        for (const SpikeTrain& t : pattern.desired)
            view->desired.push_back(toSteps(t, trained.simulation.dt));
        view->membranes = rec.membranes;
        snapshot.view = view;
        snapshot.lastPattern = static_cast<int>(k);
        raster.showSnapshot(snapshot);
        raster.plot()->replot();
        save(raster.plot(), dir, QStringLiteral("raster-pattern%1").arg(k), written);
        membrane.showSnapshot(snapshot);
        membrane.plot()->replot();
        save(membrane.plot(), dir, QStringLiteral("membrane-pattern%1").arg(k), written);
    }
    return written;
}

} // namespace normad::ui
