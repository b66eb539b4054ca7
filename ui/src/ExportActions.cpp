#include "normad/ui/ExportActions.h"

#include "normad/ui/ProjectDocument.h"

#include "normad/AtomicFile.h"
#include "normad/Brian2Export.h"
#include "normad/TextFormat.h"

#include <qcustomplot.h>

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

#include <filesystem>

namespace normad::ui {

namespace {

QString lowerSuffix(const QString& path)
{
    return QFileInfo(path).suffix().toLower();
}

/// Renders into `path` through a temporary file beside it, then renames over it: an interrupted
/// export never leaves a half-written picture under the final name.
bool renderAtomically(const QString& path, const std::function<bool(const QString&)>& render)
{
    const QString tmp = path + QStringLiteral(".part");
    if (!render(tmp)) {
        QFile::remove(tmp);
        return false;
    }
    std::error_code ec;
    std::filesystem::rename(tmp.toStdString(), path.toStdString(), ec);
    if (ec) {
        QFile::remove(tmp);
        return false;
    }
    return true;
}

/// "Pattern 2: inputs" … choices for spike-train exports and imports; exports also offer each kind
/// for all patterns at once (`allPatterns`, one file per pattern).
struct SpikeChoice {
    QString label;
    SpikeSource source;
    bool allPatterns = false;
};

QList<SpikeChoice> spikeChoices(const Project& p, bool recorded)
{
    QList<SpikeChoice> list;
    if (recorded && !p.task.patterns.empty()) { // exports: the whole task at once, one file per pattern
        const QString all = QObject::tr("All %1 patterns").arg(p.task.patterns.size());
        list.append({QObject::tr("%1: inputs").arg(all), SpikeSource{SpikeSource::Kind::Inputs, 0, 0}, true});
        list.append({QObject::tr("%1: desired outputs").arg(all), SpikeSource{SpikeSource::Kind::Desired, 0, 0}, true});
        for (int l = 1; l <= p.network.layerCount(); ++l)
            list.append({QObject::tr("%1: layer %2 spikes (recorded)").arg(all).arg(l),
                         SpikeSource{SpikeSource::Kind::Layer, 0, l}, true});
    }
    for (int k = 0; k < static_cast<int>(p.task.patterns.size()); ++k) {
        const QString name = QString::fromStdString(p.task.patterns[std::size_t(k)].name);
        const QString pattern =
            name.isEmpty() ? QObject::tr("Pattern %1").arg(k) : QObject::tr("Pattern %1 (%2)").arg(k).arg(name);
        list.append({QObject::tr("%1: inputs").arg(pattern), SpikeSource{SpikeSource::Kind::Inputs, k, 0}});
        list.append({QObject::tr("%1: desired outputs").arg(pattern), SpikeSource{SpikeSource::Kind::Desired, k, 0}});
        for (int l = 1; recorded && l <= p.network.layerCount(); ++l)
            list.append({QObject::tr("%1: layer %2 spikes (recorded)").arg(pattern).arg(l),
                         SpikeSource{SpikeSource::Kind::Layer, k, l}});
    }
    return list;
}

} // namespace

QString plotDataCsv(QCustomPlot* plot, const PlotSeriesData& full)
{
    // The value column only where a colour map gives it a meaning: an always-empty column read as
    // missing data in a spreadsheet.
    bool anyMap = false;
    for (int i = 0; i < plot->plottableCount(); ++i)
        anyMap = anyMap || (plot->plottable(i)->visible() && qobject_cast<QCPColorMap*>(plot->plottable(i)));
    CsvWriter csv = anyMap ? CsvWriter{"series", "x_axis", "y_axis", "x", "y", "value"}
                           : CsvWriter{"series", "x_axis", "y_axis", "x", "y"};
    // Two-line axis labels ("Inputs\nneuron") are one line in a table.
    auto oneLine = [](const QString& text) { return text.simplified().toStdString(); };
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QCPAbstractPlottable* p = plot->plottable(i);
        if (!p->visible() || !p->keyAxis() || !p->valueAxis())
            continue;
        const std::string series = oneLine(p->name().isEmpty() ? QStringLiteral("series%1").arg(i) : p->name());
        const std::string xAxis = oneLine(p->keyAxis()->label()), yAxis = oneLine(p->valueAxis()->label());
        auto row = [&](double x, double y) {
            csv.field(series).field(xAxis).field(yAxis).field(x).field(y);
            if (anyMap)
                csv.field(std::string_view());
            csv.endRow();
        };
        if (const auto it = full.find(p); it != full.end()) {
            for (int k = 0; k < std::min(it->first.size(), it->second.size()); ++k)
                row(it->first[k], it->second[k]);
        } else if (auto* g = qobject_cast<QCPGraph*>(p)) {
            for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
                row(it->key, it->value);
        } else if (auto* c = qobject_cast<QCPCurve*>(p)) {
            for (auto it = c->data()->constBegin(); it != c->data()->constEnd(); ++it)
                row(it->key, it->value);
        } else if (auto* b = qobject_cast<QCPBars*>(p)) {
            for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it)
                row(it->key, it->value);
        } else if (auto* m = qobject_cast<QCPColorMap*>(p)) {
            QCPColorMapData* d = m->data();
            for (int k = 0; k < d->keySize(); ++k)
                for (int v = 0; v < d->valueSize(); ++v) {
                    double x = 0, y = 0;
                    d->cellToCoord(k, v, &x, &y);
                    csv.field(series).field(xAxis).field(yAxis).field(x).field(y).field(d->cell(k, v)).endRow();
                }
        }
    }
    return QString::fromStdString(csv.text());
}

bool savePlot(QCustomPlot* plot, const QString& path, QString* error)
{
    return savePlot(plot, path, plotDataCsv(plot), error);
}

bool savePlot(QCustomPlot* plot, const QString& path, const QString& csv, QString* error)
{
    const QString suffix = lowerSuffix(path);
    const int w = plot->width() > 0 ? plot->width() : 800;
    const int h = plot->height() > 0 ? plot->height() : 600;
    bool ok = false;
    if (suffix == QLatin1String("png")) {
        ok = renderAtomically(path, [&](const QString& tmp) { return plot->savePng(tmp, w, h, 2.0, -1, 192); });
    } else if (suffix == QLatin1String("pdf")) {
        ok = renderAtomically(path, [&](const QString& tmp) { return plot->savePdf(tmp, w, h); });
    } else if (suffix == QLatin1String("svg")) {
        ok = renderAtomically(path, [&](const QString& tmp) {
            QSvgGenerator svg;
            svg.setFileName(tmp);
            svg.setSize(QSize(w, h));
            svg.setViewBox(QRect(0, 0, w, h));
            svg.setTitle(QStringLiteral("NormAD Workbench plot"));
            QCPPainter painter;
            if (!painter.begin(&svg))
                return false;
            plot->toPainter(&painter, w, h);
            return painter.end();
        });
    } else {
        if (error)
            *error = QObject::tr("Cannot tell the picture format of %1: use .png, .svg or .pdf").arg(path);
        return false;
    }
    if (!ok) {
        if (error)
            *error = QObject::tr("Cannot write %1").arg(path);
        return false;
    }
    const QFileInfo fi(path);
    try {
        writeFileAtomically(fi.dir().filePath(fi.completeBaseName() + QStringLiteral(".csv")).toStdString(),
                            csv.toStdString());
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

bool saveWidgetImage(QWidget* widget, const QString& path, QString* error)
{
    const QString suffix = lowerSuffix(path);
    bool ok = false;
    if (suffix == QLatin1String("png")) {
        ok = renderAtomically(path, [&](const QString& tmp) { return widget->grab().save(tmp, "PNG"); });
    } else if (suffix == QLatin1String("svg")) {
        ok = renderAtomically(path, [&](const QString& tmp) {
            QSvgGenerator svg;
            svg.setFileName(tmp);
            svg.setSize(widget->size());
            svg.setViewBox(widget->rect());
            QPainter painter;
            if (!painter.begin(&svg))
                return false;
            widget->render(&painter);
            return painter.end();
        });
    } else if (suffix == QLatin1String("pdf")) {
        ok = renderAtomically(path, [&](const QString& tmp) {
            QPdfWriter pdf(tmp);
            pdf.setResolution(96);
            pdf.setPageSize(QPageSize(widget->size(), QPageSize::Point)); // roughly one pixel a point
            pdf.setPageMargins(QMarginsF());
            QPainter painter;
            if (!painter.begin(&pdf))
                return false;
            widget->render(&painter);
            return painter.end();
        });
    } else {
        if (error)
            *error = QObject::tr("Cannot tell the picture format of %1: use .png, .svg or .pdf").arg(path);
        return false;
    }
    if (!ok && error)
        *error = QObject::tr("Cannot write %1").arg(path);
    return ok;
}

// ---------------------------------------------------------------------------------------------

ExportActions::ExportActions(WorkbenchShell& shell) : WorkbenchFeature(shell), m_window(shell.window())
{
    shell.menu(Menu::File)->addSeparator();
    QMenu* ex = shell.menu(Menu::Export); // made here, at the end of File
    addMenuAction(Menu::File, ex->menuAction());
    auto base = [this] {
        const QString f = document()->filePath();
        return QDir(folder()).filePath(f.isEmpty() ? QStringLiteral("project") : QFileInfo(f).completeBaseName());
    };
    ex->addAction(tr("&Weights…"), this, [this, base] {
        chooseAndRun(tr("Export Weights"), tr("NumPy (*.npz);;CSV (*.csv);;JSON (*.json)"),
                     base() + QStringLiteral("-weights.npz"), [this](const QString& p) { return exportWeights(p); });
    });
    ex->addAction(tr("&Spike Trains…"), this, [this, base] {
        const QList<SpikeChoice> choices = spikeChoices(document()->project(), true);
        QStringList labels;
        for (const SpikeChoice& c : choices)
            labels << c.label;
        bool ok = false;
        const QString label =
            QInputDialog::getItem(m_window, tr("Export Spike Trains"), tr("Spike trains of:"), labels, 0, false, &ok);
        if (!ok)
            return;
        const SpikeChoice choice = choices[labels.indexOf(label)];
        const SpikeSource source = choice.source;
        const QString what = QString::fromStdString(source.toString());
        if (choice.allPatterns) {
            chooseAndRun(tr("Export Spike Trains of Every Pattern"), tr("NumPy / Brian2 (*.npz);;CSV (*.csv)"),
                         base() + QStringLiteral("-%1.npz").arg(what),
                         [this, source](const QString& p) { return exportSpikesOfAllPatterns(source, p); });
            return;
        }
        chooseAndRun(tr("Export Spike Trains"), tr("NumPy / Brian2 (*.npz);;CSV (*.csv)"),
                     base() + QStringLiteral("-pattern%1-%2.npz").arg(source.pattern).arg(what),
                     [this, source](const QString& p) { return exportSpikes(source, p); });
    });
    ex->addAction(tr("&Brian2 Script…"), this, [this, base] {
        if (document()->project().dataset) {
            // A dataset task has no stored patterns: the script runs the sample being browsed.
            const auto browsed = m_browsedSample ? m_browsedSample() : std::nullopt;
            const auto [split, position] = browsed.value_or(std::pair{Split::Train, 0});
            const QString path = QFileDialog::getSaveFileName(
                m_window, tr("Export Brian2 Script"),
                base() +
                    QStringLiteral("-brian2-%1-sample%2.py").arg(QString::fromStdString(toString(split))).arg(position),
                tr("Python (*.py)"));
            if (!path.isEmpty() && !exportBrian2Script(split, position, path))
                QMessageBox::warning(m_window, tr("Export failed"), m_error);
            return;
        }
        const QList<SpikeChoice> choices = spikeChoices(document()->project(), false);
        QStringList labels;
        for (int k = 0; k < choices.size(); k += 2) // one "inputs" entry per pattern
            labels << choices[k].label.section(QLatin1Char(':'), 0, 0);
        int pattern = 0;
        if (labels.size() > 1) {
            bool ok = false;
            const QString label = QInputDialog::getItem(m_window, tr("Export Brian2 Script"),
                                                        tr("Pattern the script runs:"), labels, 0, false, &ok);
            if (!ok)
                return;
            pattern = static_cast<int>(labels.indexOf(label));
        }
        const QString path = QFileDialog::getSaveFileName(m_window, tr("Export Brian2 Script"),
                                                          base() + QStringLiteral("-brian2-pattern%1.py").arg(pattern),
                                                          tr("Python (*.py)"));
        if (!path.isEmpty() && !exportBrian2Script(pattern, path))
            QMessageBox::warning(m_window, tr("Export failed"), m_error);
    });
    ex->addAction(tr("Training &Log (CSV)…"), this, [this, base] {
        chooseAndRun(tr("Export Training Log"), tr("CSV (*.csv)"), base() + QStringLiteral("-training-log.csv"),
                     [this](const QString& p) { return exportTrainingLog(p); });
    });
    ex->addAction(tr("Run &Manifest (JSON)…"), this, [this, base] {
        chooseAndRun(tr("Export Run Manifest"), tr("JSON (*.json)"), base() + QStringLiteral("-manifest.json"),
                     [this](const QString& p) { return exportManifest(p); });
    });
    ex->addSeparator();
    const QString pictures = tr("PNG (*.png);;SVG (*.svg);;PDF (*.pdf)");
    auto plotAction = [=, this](const QString& text, const QString& name, Plot which) {
        ex->addAction(text, this, [=, this] {
            chooseAndRun(tr("Export Plot"), pictures, base() + QLatin1Char('-') + name + QStringLiteral(".png"),
                         [=, this](const QString& p) {
                             return exportPlot(this->shell().plot(which), name, p, this->shell().plotCsv(which));
                         });
        });
    };
    plotAction(tr("&Membrane Plot…"), QStringLiteral("membrane"), Plot::Membrane);
    plotAction(tr("Spike &Rasters…"), QStringLiteral("rasters"), Plot::Raster);
    plotAction(tr("Learning &Curves…"), QStringLiteral("learning-curves"), Plot::LearningCurves);
    plotAction(tr("W&eight Plot…"), QStringLiteral("weights-plot"), Plot::Weights);
    ex->addAction(tr("&Dashboard Image…"), this, [=, this] {
        chooseAndRun(tr("Export Dashboard"), pictures, base() + QStringLiteral("-dashboard.png"),
                     [this](const QString& p) { return exportDashboard(p); });
    });

    QMenu* im = shell.menu(Menu::Import);
    addMenuAction(Menu::File, im->menuAction());
    // Without a network there is nothing to export or import into (an empty .npz looked like success).
    auto enable = [this, ex, im] {
        const bool any = document()->project().network.layerCount() > 0;
        ex->setEnabled(any);
        im->setEnabled(any);
    };
    connect(document(), &ProjectDocument::changed, this, enable);
    enable();
    im->addAction(tr("&Spike Trains…"), this, [this] {
        const QList<SpikeChoice> choices = spikeChoices(document()->project(), false);
        QStringList labels;
        for (const SpikeChoice& c : choices)
            labels << c.label;
        bool ok = false;
        const QString label = QInputDialog::getItem(m_window, tr("Import Spike Trains"),
                                                    tr("Replace the spike trains of:"), labels, 0, false, &ok);
        if (!ok)
            return;
        const SpikeSource target = choices[labels.indexOf(label)].source;
        const QString path = QFileDialog::getOpenFileName(m_window, tr("Import Spike Trains"), folder(),
                                                          tr("Spike trains (*.npz *.csv);;All files (*)"));
        if (!path.isEmpty() && !importSpikes(target.pattern, target.kind == SpikeSource::Kind::Desired, path))
            QMessageBox::warning(m_window, tr("Cannot import spike trains"), m_error);
    });
}

QString ExportActions::folder() const
{
    const QString f = document()->filePath();
    return f.isEmpty() ? QDir::currentPath() : QFileInfo(f).absolutePath();
}

void ExportActions::chooseAndRun(const QString& title, const QString& filters, const QString& suggestion,
                                 const std::function<bool(const QString&)>& run)
{
    const QString path = QFileDialog::getSaveFileName(m_window, title, suggestion, filters);
    if (path.isEmpty())
        return;
    if (run(path))
        shell().showMessage(tr("Exported %1 (with its manifest and training log)").arg(path), 5000);
    else
        QMessageBox::warning(m_window, tr("Export failed"), m_error);
}

bool ExportActions::fail(const QString& message)
{
    m_error = message;
    return false;
}

bool ExportActions::sidecars(const QString& path, const QString& what)
{
    try {
        writeExportSidecars(document()->project(), path.toStdString(), what.toStdString());
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    return true;
}

bool ExportActions::exportWeights(const QString& path)
{
    try {
        normad::exportWeights(document()->project(), path.toStdString());
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    return true;
}

bool ExportActions::exportSpikes(const SpikeSource& source, const QString& path)
{
    try {
        normad::exportSpikes(document()->project(), source, path.toStdString());
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    return true;
}

bool ExportActions::exportBrian2Script(int pattern, const QString& path)
{
    try {
        normad::exportBrian2Script(document()->project(), pattern, path.toStdString());
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    shell().showMessage(tr("Exported the Brian2 script %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool ExportActions::exportBrian2Script(Split split, int position, const QString& path)
{
    const std::shared_ptr<const LoadedDataset>& data = document()->loadedDataset();
    if (!data)
        return fail(tr("The dataset is not loaded yet: wait until the Dataset panel shows it, then export again."));
    try {
        normad::exportBrian2Script(document()->project(), *data, split, position, path.toStdString());
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    shell().showMessage(tr("Exported the Brian2 script of %1 sample %2 to %3")
                            .arg(QString::fromStdString(toString(split)))
                            .arg(position)
                            .arg(QDir::toNativeSeparators(path)),
                        5000);
    return true;
}

QString ExportActions::patternFile(const QString& path, int pattern)
{
    const QFileInfo fi(path);
    return fi.dir().filePath(
        QStringLiteral("%1-pattern%2.%3").arg(fi.completeBaseName()).arg(pattern).arg(fi.suffix()));
}

bool ExportActions::exportSpikesOfAllPatterns(SpikeSource source, const QString& path)
{
    const int count = static_cast<int>(document()->project().task.patterns.size());
    for (source.pattern = 0; source.pattern < count; ++source.pattern)
        if (!exportSpikes(source, patternFile(path, source.pattern)))
            return false;
    return true;
}

bool ExportActions::exportTrainingLog(const QString& path)
{
    const Project& p = document()->project();
    try {
        writeFileAtomically(path.toStdString(), trainingLogCsv(p.history, static_cast<int>(p.task.patterns.size()),
                                                               p.network.layerCount()));
        writeFileAtomically(manifestPathFor(path.toStdString()), runManifestJson(p, "training-log"));
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    return true;
}

bool ExportActions::exportManifest(const QString& path)
{
    try {
        writeFileAtomically(path.toStdString(), runManifestJson(document()->project(), "manifest"));
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    return true;
}

bool ExportActions::exportPlot(QCustomPlot* plot, const QString& name, const QString& path, const QString& csv)
{
    QString error;
    if (!(csv.isEmpty() ? savePlot(plot, path, &error) : savePlot(plot, path, csv, &error)))
        return fail(error);
    return sidecars(path, QStringLiteral("plot:") + name);
}

void ExportActions::chooseAndExportPlot(QCustomPlot* plot, const QString& name)
{
    chooseAndExportPlotWithCsv(plot, name, {});
}

void ExportActions::chooseAndExportPlotWithCsv(QCustomPlot* plot, const QString& name, const QString& csv)
{
    const QString stem = QFileInfo(document()->filePath()).completeBaseName();
    const QString suggestion =
        (stem.isEmpty() ? QStringLiteral("project") : stem) + QLatin1Char('-') + name + QStringLiteral(".png");
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Export Plot"),
                                                      QFileInfo(document()->filePath()).dir().filePath(suggestion),
                                                      tr("Images (*.png *.svg *.pdf)"));
    if (path.isEmpty())
        return;
    if (!exportPlot(plot, name, path, csv))
        QMessageBox::warning(m_window, tr("Export failed"), lastError());
    else
        shell().showMessage(tr("Exported %1").arg(path), 5000);
}

bool ExportActions::exportDashboard(const QString& path)
{
    QString error;
    if (!saveWidgetImage(m_window, path, &error))
        return fail(error);
    return sidecars(path, QStringLiteral("dashboard"));
}

bool ExportActions::importSpikes(int pattern, bool desired, const QString& path)
{
    const Project& p = document()->project();
    if (pattern < 0 || pattern >= static_cast<int>(p.task.patterns.size()))
        return fail(tr("Pattern %1 does not exist").arg(pattern));
    SpikeRaster raster;
    try {
        raster = normad::importSpikes(path.toStdString(), desired ? p.network.outputCount() : p.network.inputCount());
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    const QString text = desired ? tr("Import desired spikes of pattern %1").arg(pattern)
                                 : tr("Import input spikes of pattern %1").arg(pattern);
    // The document validates the result (spikes inside the trial, one desired spike per step).
    const QString error = document()->edit(text, ProjectDocument::TaskChanged, [&](Project& q) {
        Pattern& target = q.task.patterns[std::size_t(pattern)];
        (desired ? target.desired : target.inputs) = raster;
    });
    if (!error.isEmpty())
        return fail(tr("%1 cannot be used: %2").arg(QDir::toNativeSeparators(path), error));
    return true;
}

} // namespace normad::ui
