// Plot rendering for the CLI, compiled only in builds with the GUI. The rest of `normad` stays
// Qt-free; Qt is started here, on the offscreen platform, only when --plots is asked for.

#include "CliPlots.h"

#include "normad/ui/HeadlessPlots.h"

#include "normad/ui/ExportActions.h"
#include "normad/ui/PlotStyle.h"

#include <QApplication>
#include <QImage>

#include <qcustomplot.h>

#include <filesystem>
#include <stdexcept>

#include <memory>

namespace normad::cli {

bool plotsAvailable()
{
    return true;
}

namespace {

/// A QApplication on the offscreen platform unless one runs already.
std::unique_ptr<QApplication> startOffscreen()
{
    if (QApplication::instance())
        return nullptr;
    // Headless by design: never try to reach a display from a command-line run.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "normad";
    static char* argv[] = {name, nullptr};
    return std::make_unique<QApplication>(argc, argv);
}

} // namespace

std::vector<std::string> writeSamplePreview(const SpikeRaster& inputs, double duration, const Dataset& data,
                                            std::size_t sample, const std::string& title, const std::string& folder)
{
    const std::unique_ptr<QApplication> app = startOffscreen();
    std::vector<std::string> written;
    const std::filesystem::path dir(folder);

    QCustomPlot plot;
    plot.resize(1000, 620);
    ui::plotstyle::applyDefaults(&plot);
    ui::plotstyle::styleAxisRect(plot.axisRect(), QStringLiteral("time (ms)"), QStringLiteral("input neuron"));
    QCPGraph* graph = plot.addGraph();
    graph->setLineStyle(QCPGraph::lsNone);
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 3));
    QVector<double> times, neurons;
    for (std::size_t n = 0; n < inputs.size(); ++n)
        for (const double t : inputs[n]) {
            times.push_back(1e3 * t);
            neurons.push_back(static_cast<double>(n));
        }
    graph->setData(times, neurons);
    plot.xAxis->setRange(0, 1e3 * duration);
    plot.yAxis->setRange(-1, static_cast<double>(inputs.size()));
    plot.plotLayout()->insertRow(0);
    plot.plotLayout()->addElement(0, 0, new QCPTextElement(&plot, QString::fromStdString(title)));
    plot.replot();
    const std::string rasterFile = (dir / "raster.png").string();
    QString error;
    if (!ui::savePlot(&plot, QString::fromStdString(rasterFile), &error))
        throw std::runtime_error(error.toStdString());
    written.push_back(rasterFile);

    if (data.isImage() && data.storage() == FeatureStorage::Bytes) {
        QImage image(data.imageWidth(), data.imageHeight(), QImage::Format_Grayscale8);
        const auto bytes = data.bytesOf(sample);
        for (int y = 0; y < data.imageHeight(); ++y)
            std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(y) * data.imageWidth(), data.imageWidth(),
                        image.scanLine(y));
        // Enlarged without smoothing: each pixel stays a visible square.
        const int scale = std::max(1, 280 / std::max(data.imageWidth(), data.imageHeight()));
        const std::string imageFile = (dir / "image.png").string();
        if (!image.scaled(data.imageWidth() * scale, data.imageHeight() * scale)
                 .save(QString::fromStdString(imageFile)))
            throw std::runtime_error("cannot write " + imageFile);
        written.push_back(imageFile);
    }
    return written;
}

std::vector<std::string> writePlots(const Project& trained, const std::vector<EpochMetrics>& history,
                                    const std::string& folder)
{
    const std::unique_ptr<QApplication> app = startOffscreen();
    return ui::writeTrainingPlots(trained, history, folder);
}

} // namespace normad::cli
