#include "normad/ui/ImageRaster.h"

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

namespace normad::ui {

QImage rasterImage(const QImage& image, int neuronCount, std::int64_t steps)
{
    if (image.isNull() || neuronCount < 1 || steps < 1)
        return {};
    // Transparent pixels are background: composite over white before reading luminance.
    QImage opaque(image.size(), QImage::Format_RGB32);
    opaque.fill(Qt::white);
    {
        QPainter painter(&opaque);
        painter.drawImage(0, 0, image);
    }
    const int columns = static_cast<int>(std::min<std::int64_t>(image.width(), steps));
    if (opaque.height() != neuronCount || opaque.width() != columns)
        opaque = opaque.scaled(columns, neuronCount, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    QImage grey(opaque.size(), QImage::Format_Grayscale8);
    for (int y = 0; y < opaque.height(); ++y) {
        const auto* in = reinterpret_cast<const QRgb*>(opaque.constScanLine(y));
        uchar* out = grey.scanLine(y);
        for (int x = 0; x < opaque.width(); ++x)
            out[x] = static_cast<uchar>(qGray(in[x]));
    }
    return grey;
}

ImageRasterResult imageToRaster(const QImage& image, const ImageRasterOptions& o)
{
    if (image.isNull())
        throw std::invalid_argument("image: cannot be read (empty or not an image)");
    if (o.neuronCount < 1)
        throw std::invalid_argument("image.neuronCount: must be at least 1, is " + std::to_string(o.neuronCount));
    if (!(o.dt > 0) || !(o.duration >= o.dt))
        throw std::invalid_argument("image.duration: the trial must hold at least one step of dt");
    if (o.threshold < 0 || o.threshold > 255)
        throw std::invalid_argument("image.threshold: must lie in 0 … 255, is " + std::to_string(o.threshold));
    if (!(o.jitter >= 0) || !std::isfinite(o.jitter))
        throw std::invalid_argument("image.jitter: must be ≥ 0 s");
    if (!(o.minInterval >= 0) || !std::isfinite(o.minInterval))
        throw std::invalid_argument("image.minInterval: must be ≥ 0 s");

    const std::int64_t steps = std::llround(o.duration / o.dt);
    const QImage grey = rasterImage(image, o.neuronCount, steps);
    ImageRasterResult result;
    result.columns = grey.width();
    result.raster.resize(static_cast<std::size_t>(o.neuronCount));
    const std::int64_t minSteps = std::llround(o.minInterval / o.dt);
    std::mt19937_64 rng(o.seed);
    std::normal_distribution<double> noise(0.0, o.jitter > 0 ? o.jitter : 1.0);
    for (int row = 0; row < grey.height(); ++row) {
        const uchar* line = grey.constScanLine(row);
        StepTrain train;
        for (int c = 0; c < grey.width(); ++c) {
            const int luminance = o.invert ? 255 - line[c] : line[c];
            if (luminance >= o.threshold)
                continue;
            ++result.pixelsOn;
            // The column's bin starts at floor(c·steps/W): the left edge is t = 0, the right edge T.
            std::int64_t step = static_cast<std::int64_t>(c) * steps / grey.width();
            if (o.jitter > 0)
                step =
                    std::clamp<std::int64_t>(std::llround(static_cast<double>(step) + noise(rng) / o.dt), 0, steps - 1);
            train.push_back(step);
        }
        std::sort(train.begin(), train.end());
        const auto unique = std::unique(train.begin(), train.end());
        result.mergedSpikes += std::distance(unique, train.end());
        train.erase(unique, train.end());
        StepTrain kept;
        for (std::int64_t s : train) {
            if (minSteps > 0 && !kept.empty() && s - kept.back() < minSteps) {
                ++result.droppedSpikes;
                continue;
            }
            kept.push_back(s);
        }
        result.raster[static_cast<std::size_t>(row)] = toTimes(kept, o.dt);
    }
    return result;
}

QString applyImageRaster(ProjectDocument& document, const ImageRasterTarget& target, const SpikeRaster& raster)
{
    const Project& p = document.project();
    const int patterns = static_cast<int>(p.task.patterns.size());
    if (target.pattern < -1 || target.pattern >= patterns)
        return QObject::tr("pattern %1 does not exist").arg(target.pattern);
    const QString trains = target.desired ? QObject::tr("desired trains") : QObject::tr("inputs");
    const QString text = target.pattern < 0
                             ? QObject::tr("Import image as a new pattern's %1").arg(trains)
                             : QObject::tr("Import image as %1 of pattern %2").arg(trains).arg(target.pattern);
    // The document validates the result: trains per neuron, spikes inside [0, T), one desired spike per step.
    return document.edit(text, ProjectDocument::TaskChanged, [&](Project& q) {
        if (target.pattern < 0) {
            Pattern pattern;
            pattern.name = target.newPatternName.isEmpty()
                               ? QObject::tr("Image %1").arg(q.task.patterns.size() + 1).toStdString()
                               : target.newPatternName.toStdString();
            pattern.inputs.resize(static_cast<std::size_t>(q.network.inputCount()));
            pattern.desired.resize(static_cast<std::size_t>(q.network.outputCount()));
            (target.desired ? pattern.desired : pattern.inputs) = raster;
            q.task.patterns.push_back(std::move(pattern));
        } else {
            Pattern& pattern = q.task.patterns.at(static_cast<std::size_t>(target.pattern));
            (target.desired ? pattern.desired : pattern.inputs) = raster;
        }
    });
}

} // namespace normad::ui
