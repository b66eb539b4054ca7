#include "normad/ui/ReproducibilityReport.h"

#include "normad/ui/LearningCurvePlot.h"
#include "normad/ui/RasterPlot.h"
#include "normad/ui/TrainingSnapshot.h"
#include "normad/ui/WeightPlot.h"

#include "normad/ProjectIo.h"
#include "normad/RuleRegistry.h"
#include "normad/Simulator.h"
#include "normad/TrainingParams.h"
#include "normad/Version.h"

#include <QBuffer>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPageLayout>
#include <QPageSize>
#include <QPrinter>
#include <QSaveFile>
#include <QTextDocument>

#include <qcustomplot.h>

#include <cmath>
#include <stdexcept>

namespace normad::ui {

namespace {

// Plots are rendered at the export size and shown at a page's text width (A4 with 18 mm margins
// is ~660 px at the document's 96 dpi).
constexpr int plotWidth = 1000, plotHeight = 620, shownWidth = 640;
constexpr int longArray = 12; // scalar arrays longer than this are summarised

QString esc(const QString& s)
{
    return s.toHtmlEscaped();
}

QString number(double v)
{
    return QString::number(v, 'g', 6);
}

QString scalarText(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', 10);
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Null:
        return QStringLiteral("null");
    default:
        return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    }
}

void flatten(const QJsonValue& value, const QString& path, QList<QPair<QString, QString>>& rows)
{
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString key = path.isEmpty() ? it.key() : path + u'.' + it.key();
            // Spike times, weights and the history are data, not parameters: summarised elsewhere.
            if (it.key() == QLatin1String("history") && path.isEmpty())
                rows.append({key, QStringLiteral("%1 epochs (summarised below)").arg(it.value().toArray().size())});
            else if (it.key() == QLatin1String("weights"))
                rows.append(
                    {key, QStringLiteral("%1 layer matrices (heat maps below)").arg(it.value().toArray().size())});
            else if (it.key() == QLatin1String("patterns") && path == QLatin1String("task"))
                rows.append({key, QStringLiteral("%1 patterns (spike counts below)").arg(it.value().toArray().size())});
            else
                flatten(it.value(), key, rows);
        }
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        bool scalars = true;
        for (const QJsonValue& v : a)
            scalars = scalars && !v.isObject() && !v.isArray();
        if (scalars) {
            QStringList items;
            for (int i = 0; i < std::min<int>(a.size(), longArray); ++i)
                items << scalarText(a[i]);
            rows.append({path, a.size() > longArray ? QStringLiteral("[%1 values]").arg(a.size())
                                                    : u'[' + items.join(QStringLiteral(", ")) + u']'});
        } else {
            for (int i = 0; i < a.size(); ++i)
                flatten(a[i], QStringLiteral("%1[%2]").arg(path).arg(i), rows);
        }
    } else {
        rows.append({path, scalarText(value)});
    }
}

template <typename Plot> void prepare(Plot& widget)
{
    widget.resize(plotWidth, plotHeight);
    widget.setAttribute(Qt::WA_DontShowOnScreen);
    widget.show();
}

/// A rendered plot and the HTML that shows it; `src` is filled in per output (data URI or resource).
struct Figure {
    QImage image;
    QString caption;
};

QImage render(QCustomPlot* plot)
{
    plot->replot();
    return plot->toPixmap(plotWidth, plotHeight).toImage();
}

QString dataUri(const QImage& image)
{
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
}

QString topology(const Project& p)
{
    QStringList sizes{QString::number(p.network.inputCount())};
    for (int l : p.network.layerNumbers())
        sizes << QString::number(p.network.populationSize(l));
    return sizes.join(QStringLiteral(" → "));
}

QString inferredStop(const Project& p, const QString& known)
{
    if (!known.isEmpty())
        return known;
    if (p.history.empty())
        return QStringLiteral("not trained yet");
    if (p.history.back().converged)
        return QStringLiteral("converged (the last epoch met the target)");
    if (static_cast<int>(p.history.size()) >= p.training.maxEpochs)
        return QStringLiteral("reached the maximum number of epochs");
    return QStringLiteral("not recorded in the project (stopped by the user, a guard or still paused)");
}

QString row(const QString& key, const QString& value, bool code = false)
{
    return QStringLiteral("<tr><td>%1</td><td>%2</td></tr>")
        .arg(code ? QStringLiteral("<code>%1</code>").arg(esc(key)) : esc(key), esc(value));
}

void write(const QString& path, const QByteArray& bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        throw std::runtime_error("cannot write " + QDir::toNativeSeparators(path).toStdString() + ": " +
                                 file.errorString().toStdString());
}

} // namespace

std::vector<ReportPass> simulateReportPasses(const Project& original, int maxPatterns, const CancelFlag* cancel)
{
    Project p = original;
    p.ensureWeights();
    const int count = std::min<int>(static_cast<int>(p.task.patterns.size()), std::max(0, maxPatterns));
    const Simulator simulator(p.network, p.simulation);
    std::vector<ReportPass> passes;
    for (int k = 0; k < count && !cancelled(cancel); ++k) {
        const Pattern& pattern = p.task.patterns[static_cast<std::size_t>(k)];
        const SimulationRecord rec = simulator.run(pattern.inputs, RecordRequest{}, cancel);
        auto view = std::make_shared<PatternView>();
        view->patternIndex = k;
        view->epoch = static_cast<int>(p.history.size());
        for (int l : p.network.populationNumbers())
            view->spikes.push_back(rec.activity(l).spikes);
        for (const SpikeTrain& t : pattern.desired)
            view->desired.push_back(toSteps(t, p.simulation.dt));
        passes.push_back({std::move(view), rec.status == SimulationStatus::Completed ? std::string() : rec.message});
    }
    return passes;
}

QList<QPair<QString, QString>> reportParameterRows(const Project& project)
{
    QList<QPair<QString, QString>> rows;
    const QJsonDocument json = QJsonDocument::fromJson(QByteArray::fromStdString(projectToJson(project)));
    flatten(json.object(), QString(), rows);
    return rows;
}

ReportFiles writeReproducibilityReport(const Project& original, const QString& folder, const ReportContext& context,
                                       const std::vector<ReportPass>& passes)
{
    const QDir dir(folder);
    if (!dir.exists() && !QDir().mkpath(dir.path()))
        throw std::runtime_error("cannot create the report folder " + folder.toStdString());
    Project p = original;
    p.ensureWeights();
    ReportFiles files{dir.filePath(QStringLiteral("REPORT.html")), dir.filePath(QStringLiteral("REPORT.pdf")),
                      dir.filePath(QStringLiteral("REPORT-project.json"))};

    // ---- Figures, rendered with the workbench's own plot widgets offscreen ----------------------
    std::vector<Figure> figures;
    TrainingSnapshot snapshot;
    snapshot.dt = p.simulation.dt;
    snapshot.duration = p.simulation.duration;
    snapshot.completedEpochs = static_cast<int>(p.history.size());
    snapshot.history = std::make_shared<const std::vector<EpochMetrics>>(p.history);
    snapshot.weights = p.network.allWeights();
    int curvesFigure = -1;
    if (!p.history.empty()) {
        LearningCurvePlot curves;
        prepare(curves);
        curves.showSnapshot(snapshot);
        curvesFigure = static_cast<int>(figures.size());
        figures.push_back({render(curves.plot()),
                           QStringLiteral("Learning curves over %1 epochs: correlation C (worst pattern, mean) "
                                          "and the error measures.")
                               .arg(p.history.size())});
    }
    const int firstRaster = static_cast<int>(figures.size());
    const int patternCount = std::min<int>(static_cast<int>(passes.size()), static_cast<int>(p.task.patterns.size()));
    if (patternCount > 0) {
        RasterPlot raster;
        raster.setProject(p);
        prepare(raster);
        for (int k = 0; k < patternCount; ++k) {
            const ReportPass& pass = passes[static_cast<std::size_t>(k)];
            const Pattern& pattern = p.task.patterns[static_cast<std::size_t>(k)];
            snapshot.view = pass.view;
            snapshot.lastPattern = k;
            raster.showSnapshot(snapshot);
            QString caption = QStringLiteral("Pattern %1 “%2”: spikes of every population with the final weights; "
                                             "desired output spikes as triangles.")
                                  .arg(k)
                                  .arg(QString::fromStdString(pattern.name));
            if (!pass.problem.empty())
                caption += QStringLiteral(" The pass stopped: %1").arg(QString::fromStdString(pass.problem));
            figures.push_back({render(raster.plot()), caption});
        }
    }
    const int firstWeights = static_cast<int>(figures.size());
    {
        WeightPlot weights;
        weights.setDrawInBackground(false); // rendered right away
        weights.setProject(p);
        weights.showWeights(snapshot.weights);
        prepare(weights);
        for (int l : p.network.layerNumbers()) {
            weights.selectLayer(l);
            const Eigen::MatrixXd& w = p.network.weights(l);
            figures.push_back(
                {render(weights.plot()), QStringLiteral("Weights onto layer %1 (%2 × %3, nA): mean %4, min %5, max %6.")
                                             .arg(l)
                                             .arg(w.rows())
                                             .arg(w.cols())
                                             .arg(number(w.size() ? w.mean() * 1e9 : 0.0))
                                             .arg(number(w.size() ? w.minCoeff() * 1e9 : 0.0))
                                             .arg(number(w.size() ? w.maxCoeff() * 1e9 : 0.0))});
        }
    }

    // ---- The document: placeholders {{IMG n}} become data URIs (HTML) or resources (PDF) --------
    const QString version = QString::fromLatin1(versionString());
    const QString name = QString::fromStdString(p.name);
    const QString now = QDateTime::currentDateTime().toString(Qt::ISODate);
    auto figureHtml = [&](int i) {
        return QStringLiteral("<p align=\"center\"><img src=\"{{IMG %1}}\" width=\"%2\"><br><i>Figure %3. %4</i></p>")
            .arg(i)
            .arg(shownWidth)
            .arg(i + 1)
            .arg(esc(figures[static_cast<std::size_t>(i)].caption));
    };
    const QString projectFile = QStringLiteral("REPORT-project.json");
    QString h;
    h += QStringLiteral("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Reproducibility report — %1</title>"
                        "<style>body{font-family:sans-serif;font-size:10pt;max-width:900px;margin:auto;}"
                        "table{border-collapse:collapse;}td,th{border:1px solid #bbb;padding:2px 6px;text-align:left;}"
                        "th{background:#eee;}code,pre{font-family:monospace;}h1{font-size:18pt;}h2{font-size:13pt;}"
                        "</style></head><body>")
             .arg(esc(name));
    h += QStringLiteral("<h1>Reproducibility report — %1</h1>").arg(esc(name));
    h += QStringLiteral("<p>Written %1 by NormAD Workbench <b>%2</b>.</p>").arg(esc(now), esc(version));
    if (!p.description.empty())
        h += QStringLiteral("<p>%1</p>").arg(esc(QString::fromStdString(p.description)));

    h += QStringLiteral("<h2>Run</h2><table>");
    h += row(QStringLiteral("Program version"), version);
    h += row(QStringLiteral("Project"),
             context.projectPath.isEmpty() ? name + QStringLiteral(" (unsaved)") : context.projectPath);
    h += row(QStringLiteral("Seed"), QString::number(p.seed));
    h += row(QStringLiteral("dt"), QStringLiteral("%1 ms").arg(number(p.simulation.dt * 1e3)));
    h += row(QStringLiteral("Trial length T"), QStringLiteral("%1 ms").arg(number(p.simulation.duration * 1e3)));
    h += row(QStringLiteral("Topology"), topology(p) + QStringLiteral(" (inputs → … → output)"));
    h += row(QStringLiteral("Synapses"), QString::number(p.network.synapseCount()));
    h += row(QStringLiteral("Patterns"), QString::number(p.task.patterns.size()));
    const RuleInfo& rule = findRule(p.training.rule);
    h += row(QStringLiteral("Learning rule"), QString::fromStdString(rule.name + " (" + rule.citation + ")"));
    h += row(QStringLiteral("Training variant"), QString::fromStdString(describeVariant(p.training)));
    h += QStringLiteral("</table>");

    h += QStringLiteral(
             "<h2>Reproduce headless</h2><p><code>normad train %1 --seed %2 --epochs %3 --plots plots</code></p>")
             .arg(esc(projectFile))
             .arg(p.seed)
             .arg(std::max<std::size_t>(p.history.size(), 1));
    h += QStringLiteral("<p><code>REPORT-project.json</code> beside this report is the project without its trained "
                        "weights and history: its weights are drawn from the seed, as at the start of a session "
                        "begun after <i>Reset weights</i>. Same build and seed give the same spikes.</p>");

    h += QStringLiteral("<h2>Training history</h2>");
    if (p.history.empty()) {
        h += QStringLiteral("<p>Not trained yet: the figures show the initial weights.</p>");
    } else {
        const EpochMetrics& m = p.history.back();
        double seconds = 0;
        for (const EpochMetrics& e : p.history)
            seconds += e.seconds;
        QStringList rates;
        for (double r : m.layerRates)
            rates << number(r);
        h += QStringLiteral("<table>");
        h += row(QStringLiteral("Epochs trained"), QString::number(p.history.size()));
        h += row(QStringLiteral("Stop reason"), inferredStop(p, context.stopReason));
        h += row(QStringLiteral("Training time"), QStringLiteral("%1 s").arg(number(seconds)));
        h += row(QStringLiteral("Final mean C"), number(m.meanCorrelation));
        h += row(QStringLiteral("Final worst-pattern C"), number(m.minCorrelation));
        if (!std::isnan(m.evaluatedMinCorrelation))
            h += row(QStringLiteral("Epoch-end evaluation: worst / mean C"),
                     number(m.evaluatedMinCorrelation) + QStringLiteral(" / ") + number(m.evaluatedMeanCorrelation));
        h += row(QStringLiteral("van Rossum distance (mean)"), number(m.vanRossum));
        h += row(QStringLiteral("Spike-count error (mean)"), number(m.spikeCountError));
        h += row(QStringLiteral("Missing / extra spikes"), QStringLiteral("%1 / %2").arg(m.missing).arg(m.extra));
        h += row(QStringLiteral("Cost J"), number(m.cost));
        h += row(QStringLiteral("Patterns classified"),
                 QStringLiteral("%1 of %2").arg(m.classified).arg(m.patterns.size()));
        h += row(QStringLiteral("Converged"), m.converged ? QStringLiteral("yes") : QStringLiteral("no"));
        h += row(QStringLiteral("Layer rates (Hz)"), rates.join(QStringLiteral(", ")));
        h += QStringLiteral("</table>");
    }
    if (curvesFigure >= 0)
        h += figureHtml(curvesFigure);

    h += QStringLiteral("<h2 style=\"page-break-before: always\">Parameters</h2>"
                        "<p>Every key of the project file except spike times, weights and history.</p>"
                        "<table><tr><th>Key</th><th>Value</th></tr>");
    for (const auto& [key, value] : reportParameterRows(p))
        h += row(key, value, true);
    h += QStringLiteral("</table>");

    h += QStringLiteral(
        "<h2>Task</h2><table><tr><th>#</th><th>Pattern</th><th>Input spikes</th><th>Desired spikes</th>");
    if (!p.history.empty())
        h += QStringLiteral("<th>Final C</th>");
    h += QStringLiteral("</tr>");
    for (std::size_t k = 0; k < p.task.patterns.size(); ++k) {
        const Pattern& pattern = p.task.patterns[k];
        h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td>")
                 .arg(k)
                 .arg(esc(QString::fromStdString(pattern.name)))
                 .arg(spikeCount(pattern.inputs))
                 .arg(spikeCount(pattern.desired));
        if (!p.history.empty())
            h += QStringLiteral("<td>%1</td>")
                     .arg(k < p.history.back().patterns.size() ? number(p.history.back().patterns[k].correlation)
                                                               : QString());
        h += QStringLiteral("</tr>");
    }
    h += QStringLiteral("</table>");

    if (patternCount > 0) {
        h += QStringLiteral("<h2 style=\"page-break-before: always\">Final rasters</h2>");
        if (patternCount < static_cast<int>(p.task.patterns.size()))
            h += QStringLiteral("<p>The first %1 of %2 patterns.</p>").arg(patternCount).arg(p.task.patterns.size());
        for (int i = firstRaster; i < firstWeights; ++i)
            h += figureHtml(i);
    }
    h += QStringLiteral("<h2 style=\"page-break-before: always\">Weights</h2>");
    for (int i = firstWeights; i < static_cast<int>(figures.size()); ++i)
        h += figureHtml(i);
    h += QStringLiteral("<hr><p><small>NormAD Workbench %1 · seed %2 · dt %3 ms · %4</small></p></body></html>")
             .arg(esc(version))
             .arg(p.seed)
             .arg(number(p.simulation.dt * 1e3))
             .arg(esc(now));

    // ---- HTML: self-contained ------------------------------------------------------------------
    QString html = h;
    for (int i = static_cast<int>(figures.size()) - 1; i >= 0; --i)
        html.replace(QStringLiteral("{{IMG %1}}").arg(i), dataUri(figures[static_cast<std::size_t>(i)].image));
    write(files.html, html.toUtf8());

    // ---- PDF: the same HTML through QTextDocument and the printer --------------------------------
    QTextDocument document;
    QString printed = h;
    for (int i = static_cast<int>(figures.size()) - 1; i >= 0; --i) {
        const QString resource = QStringLiteral("report-figure-%1.png").arg(i);
        printed.replace(QStringLiteral("{{IMG %1}}").arg(i), resource);
        document.addResource(QTextDocument::ImageResource, QUrl(resource), figures[static_cast<std::size_t>(i)].image);
    }
    QFont font = document.defaultFont();
    font.setPointSizeF(9);
    document.setDefaultFont(font);
    document.setHtml(printed);
    const QString partial = files.pdf + QStringLiteral(".part");
    {
        QPrinter printer(QPrinter::HighResolution);
        printer.setOutputFormat(QPrinter::PdfFormat);
        printer.setOutputFileName(partial);
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(18, 18, 18, 18),
                                          QPageLayout::Millimeter));
        printer.setDocName(QStringLiteral("Reproducibility report — %1").arg(name));
        printer.setCreator(QStringLiteral("NormAD Workbench %1").arg(version));
        document.print(&printer);
    }
    QFile::remove(files.pdf);
    if (!QFileInfo(partial).exists() || !QFile::rename(partial, files.pdf))
        throw std::runtime_error("cannot write " + QDir::toNativeSeparators(files.pdf).toStdString());

    // ---- The project to retrain from: weights drawn from the seed, no history --------------------
    Project fresh = original;
    fresh.history.clear();
    fresh.hasWeights = false; // projectToJson then leaves the weights out: they are drawn from the seed
    write(files.project, QByteArray::fromStdString(projectToJson(fresh)));
    return files;
}

} // namespace normad::ui
