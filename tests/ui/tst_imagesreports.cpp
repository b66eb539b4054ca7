// Images and reports: an image converts to exactly the expected spikes (threshold, invert, seeded
// jitter, minimum interval), importing is one undoable edit; the reproducibility report is written
// (HTML with the version, the seed and every parameter key; a multi-page PDF).

#include "normad/ProjectIo.h"
#include "normad/Simulator.h"
#include "normad/TaskGenerators.h"
#include "normad/Version.h"
#include "normad/ui/ImageImportDialog.h"
#include "normad/ui/ImageImportFeature.h"
#include "normad/ui/ImageRaster.h"
#include "normad/ui/MainWindow.h"
#include "normad/ui/ProjectDocument.h"
#include "normad/ui/ReportFeature.h"
#include "normad/ui/ReproducibilityReport.h"
#include "normad/ui/SpikeRasterEditor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <limits>

using namespace normad;

Q_DECLARE_METATYPE(normad::ui::ImageRasterOptions)

namespace {

QImage blank(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::white);
    return image;
}

ui::ImageRasterOptions grid(int neurons, std::int64_t steps, double dt = 1e-3)
{
    ui::ImageRasterOptions o;
    o.neuronCount = neurons;
    o.dt = dt;
    o.duration = static_cast<double>(steps) * dt;
    return o;
}

SpikeTrain at(std::initializer_list<std::int64_t> steps, double dt = 1e-3)
{
    return toTimes(StepTrain(steps), dt);
}

void leafKeys(const QJsonValue& v, QSet<QString>& keys)
{
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.key() == QLatin1String("weights") || it.key() == QLatin1String("history") ||
                it.key() == QLatin1String("patterns"))
                continue;
            if (!it.value().isObject() && !it.value().isArray())
                keys.insert(it.key());
            leafKeys(it.value(), keys);
        }
    } else if (v.isArray()) {
        for (const QJsonValue& x : v.toArray())
            leafKeys(x, keys);
    }
}

} // namespace

class TestImagesReports : public QObject {
    Q_OBJECT

private slots:
    void diagonalLine();
    void checkerboard();
    void rowsScaleToNeurons();
    void columnsSpanTheTrial();
    void thresholdAndInvert();
    void transparentIsBackground();
    void jitterIsSeeded();
    void minimumInterval();
    void badOptionsAreRefused_data();
    void badOptionsAreRefused();
    void importIsOneUndoableEdit();
    void dialogDefaultsAndApply();
    void mainWindowEntries();
    void reportIsWritten();
    void reportSimulatesOffTheGuiThreadLatestRequestWins();
    void reportFailureReachesTheSignal();
};

void TestImagesReports::diagonalLine()
{
    QImage image = blank(10, 10);
    for (int i = 0; i < 10; ++i)
        image.setPixel(i, i, qRgb(0, 0, 0));
    const ui::ImageRasterResult r = ui::imageToRaster(image, grid(10, 10));
    QCOMPARE(r.raster.size(), std::size_t(10));
    for (int i = 0; i < 10; ++i)
        QCOMPARE(r.raster[std::size_t(i)], at({i}));
    QCOMPARE(r.pixelsOn, 10LL);
    QCOMPARE(r.droppedSpikes + r.mergedSpikes, 0LL);
}

void TestImagesReports::checkerboard()
{
    QImage image = blank(8, 6);
    for (int y = 0; y < 6; ++y)
        for (int x = 0; x < 8; ++x)
            if ((x + y) % 2 == 0)
                image.setPixel(x, y, qRgb(0, 0, 0));
    // 80 steps of 0.1 ms: column c starts at step 10c.
    const ui::ImageRasterResult r = ui::imageToRaster(image, grid(6, 80, 1e-4));
    for (int n = 0; n < 6; ++n) {
        StepTrain expected;
        for (int c = n % 2; c < 8; c += 2)
            expected.push_back(10 * c);
        QCOMPARE(r.raster[std::size_t(n)], toTimes(expected, 1e-4));
    }
    QCOMPARE(spikeCount(r.raster), std::size_t(24));
}

void TestImagesReports::rowsScaleToNeurons()
{
    // Every row doubled: scaled to half the rows, row i of the scaled image is neuron i.
    QImage tall = blank(10, 20), small = blank(10, 10);
    for (int i = 0; i < 10; ++i) {
        small.setPixel(i, i, qRgb(0, 0, 0));
        tall.setPixel(i, 2 * i, qRgb(0, 0, 0));
        tall.setPixel(i, 2 * i + 1, qRgb(0, 0, 0));
    }
    QCOMPARE(ui::imageToRaster(tall, grid(10, 10)).raster, ui::imageToRaster(small, grid(10, 10)).raster);
    QCOMPARE(ui::rasterImage(tall, 10, 10).height(), 10);
}

void TestImagesReports::columnsSpanTheTrial()
{
    // Wider than the grid: scaled to one column per step; the last column is the last step.
    QImage image = blank(40, 1);
    image.setPixel(0, 0, qRgb(0, 0, 0));
    image.setPixel(1, 0, qRgb(0, 0, 0));
    image.setPixel(38, 0, qRgb(0, 0, 0));
    image.setPixel(39, 0, qRgb(0, 0, 0));
    const ui::ImageRasterResult r = ui::imageToRaster(image, grid(1, 20));
    QCOMPARE(r.columns, 20);
    QCOMPARE(r.raster[0], at({0, 19}));
    for (double t : r.raster[0])
        QVERIFY(t >= 0 && t < 20e-3);
}

void TestImagesReports::thresholdAndInvert()
{
    QImage image = blank(4, 1);
    image.setPixel(0, 0, qRgb(0, 0, 0));       // black
    image.setPixel(1, 0, qRgb(100, 100, 100)); // dark grey
    image.setPixel(2, 0, qRgb(200, 200, 200)); // light grey
    // column 3 white
    ui::ImageRasterOptions o = grid(1, 4);
    QCOMPARE(ui::imageToRaster(image, o).raster[0], at({0, 1})); // default 128
    o.threshold = 100;                                           // strictly darker than 100
    QCOMPARE(ui::imageToRaster(image, o).raster[0], at({0}));
    o.threshold = 201;
    QCOMPARE(ui::imageToRaster(image, o).raster[0], at({0, 1, 2}));
    o.threshold = 0;
    QVERIFY(ui::imageToRaster(image, o).raster[0].empty());
    o.threshold = 128;
    o.invert = true; // light pixels: 255 − luminance < 128
    QCOMPARE(ui::imageToRaster(image, o).raster[0], at({2, 3}));
}

void TestImagesReports::transparentIsBackground()
{
    QImage image(3, 1, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    image.setPixel(1, 0, qRgba(0, 0, 0, 255));
    QCOMPARE(ui::imageToRaster(image, grid(1, 3)).raster[0], at({1}));
}

void TestImagesReports::jitterIsSeeded()
{
    QImage image = blank(50, 5);
    for (int y = 0; y < 5; ++y)
        for (int x = 0; x < 50; x += 10)
            image.setPixel(x + y, y, qRgb(0, 0, 0));
    ui::ImageRasterOptions o = grid(5, 500, 1e-4); // 50 ms, columns 1 ms apart
    const SpikeRaster plain = ui::imageToRaster(image, o).raster;
    o.jitter = 1e-3;
    o.seed = 7;
    const ui::ImageRasterResult a = ui::imageToRaster(image, o), b = ui::imageToRaster(image, o);
    QCOMPARE(a.raster, b.raster); // same seed, same raster
    QVERIFY(a.raster != plain);
    QCOMPARE(a.mergedSpikes, 0LL);
    o.seed = 8;
    QVERIFY(ui::imageToRaster(image, o).raster != a.raster);
    std::size_t moved = 0;
    for (std::size_t n = 0; n < a.raster.size(); ++n) {
        QCOMPARE(a.raster[n].size(), plain[n].size()); // 10σ apart: none merge or swap
        for (std::size_t k = 0; k < a.raster[n].size(); ++k) {
            const double t = a.raster[n][k];
            QVERIFY(t >= 0 && t < o.duration);
            QCOMPARE(toTimes({std::llround(t / o.dt)}, o.dt)[0], t); // on the grid
            QVERIFY(std::abs(t - plain[n][k]) < 5 * o.jitter);
            moved += t != plain[n][k];
        }
    }
    QVERIFY(moved > spikeCount(plain) / 2);
    validateSpikeTrain(a.raster[0], o.duration, o.dt, true, "jittered");
}

void TestImagesReports::minimumInterval()
{
    QImage image = blank(10, 1);
    for (int x = 0; x < 10; ++x)
        image.setPixel(x, 0, qRgb(0, 0, 0));
    ui::ImageRasterOptions o = grid(1, 10);
    QCOMPARE(ui::imageToRaster(image, o).raster[0].size(), std::size_t(10));
    o.minInterval = 3e-3;
    ui::ImageRasterResult r = ui::imageToRaster(image, o);
    QCOMPARE(r.raster[0], at({0, 3, 6, 9}));
    QCOMPARE(r.droppedSpikes, 6LL);
    // Desired trains: Rp + dt leaves no spacing warning.
    const double rp = 3e-3;
    o.minInterval = rp + o.dt;
    r = ui::imageToRaster(image, o);
    QCOMPARE(r.raster[0], at({0, 4, 8}));
    QVERIFY(ui::SpikeRasterEditor::spacingViolations(r.raster, rp, o.dt).empty());
}

void TestImagesReports::badOptionsAreRefused_data()
{
    QTest::addColumn<QImage>("image");
    QTest::addColumn<ui::ImageRasterOptions>("options");
    QTest::addColumn<QStringList>("expected"); // parts of the message: the field, the value
    const auto with = [](auto change) {
        ui::ImageRasterOptions o = grid(1, 10);
        change(o);
        return o;
    };
    QTest::newRow("no image") << QImage() << grid(1, 10) << QStringList{"image", "cannot be read"};
    QTest::newRow("no neurons") << blank(2, 2) << grid(0, 10) << QStringList{"image.neuronCount", "is 0"};
    QTest::newRow("trial shorter than dt")
        << blank(2, 2) << with([](auto& o) { o.duration = o.dt / 2; }) << QStringList{"image.duration", "dt"};
    QTest::newRow("threshold above 255") << blank(2, 2) << with([](auto& o) { o.threshold = 300; })
                                         << QStringList{"image.threshold", "is 300"};
    QTest::newRow("negative threshold") << blank(2, 2) << with([](auto& o) { o.threshold = -1; })
                                        << QStringList{"image.threshold", "is -1"};
    QTest::newRow("negative jitter") << blank(2, 2) << with([](auto& o) { o.jitter = -1; })
                                     << QStringList{"image.jitter", "≥ 0"};
    QTest::newRow("jitter not a number") << blank(2, 2)
                                         << with([](auto& o) { o.jitter = std::numeric_limits<double>::quiet_NaN(); })
                                         << QStringList{"image.jitter"};
    QTest::newRow("negative minimum interval")
        << blank(2, 2) << with([](auto& o) { o.minInterval = -1e-3; }) << QStringList{"image.minInterval", "≥ 0"};
}

void TestImagesReports::badOptionsAreRefused()
{
    QFETCH(QImage, image);
    QFETCH(ui::ImageRasterOptions, options);
    QFETCH(QStringList, expected);
    try {
        ui::imageToRaster(image, options);
        QFAIL("the options were accepted");
    } catch (const std::invalid_argument& e) {
        const QString message = QString::fromUtf8(e.what());
        for (const QString& part : expected)
            QVERIFY2(message.contains(part), qPrintable(QStringLiteral("\"%1\" not in: %2").arg(part, message)));
    }
}

void TestImagesReports::importIsOneUndoableEdit()
{
    ui::ProjectDocument doc;
    const Project original = generators::singleNeuron(1);
    doc.reset(original);
    const Project& p = doc.project();
    QImage image = blank(100, p.network.inputCount());
    for (int n = 0; n < p.network.inputCount(); ++n)
        image.setPixel((n * 7) % 100, n, qRgb(0, 0, 0));
    ui::ImageRasterOptions o = grid(p.network.inputCount(), p.simulation.steps(), p.simulation.dt);
    const SpikeRaster raster = ui::imageToRaster(image, o).raster;
    QCOMPARE(spikeCount(raster), std::size_t(p.network.inputCount()));

    QCOMPARE(ui::applyImageRaster(doc, {0, false, {}}, raster), QString());
    QCOMPARE(doc.undoStack()->count(), 1);
    QCOMPARE(doc.project().task.patterns[0].inputs, raster);
    QVERIFY(doc.isModified());
    doc.undoStack()->undo();
    QCOMPARE(doc.project().task.patterns[0].inputs, original.task.patterns[0].inputs);
    doc.undoStack()->redo();
    QCOMPARE(doc.project().task.patterns[0].inputs, raster);

    // A new pattern: one step that appends it; undo removes it.
    const std::size_t before = doc.project().task.patterns.size();
    QCOMPARE(ui::applyImageRaster(doc, {-1, false, QStringLiteral("smiley")}, raster), QString());
    QCOMPARE(doc.undoStack()->count(), 2);
    QCOMPARE(doc.project().task.patterns.size(), before + 1);
    QCOMPARE(doc.project().task.patterns.back().name, std::string("smiley"));
    QCOMPARE(doc.project().task.patterns.back().desired.size(), std::size_t(doc.project().network.outputCount()));
    doc.undoStack()->undo();
    QCOMPARE(doc.project().task.patterns.size(), before);

    // The document validates: a raster of the wrong size is refused and changes nothing.
    QVERIFY(!ui::applyImageRaster(doc, {0, true, {}}, SpikeRaster(3)).isEmpty());
    QCOMPARE(doc.undoStack()->count(), 2);
}

void TestImagesReports::dialogDefaultsAndApply()
{
    ui::ProjectDocument doc;
    doc.reset(generators::singleNeuron(1));
    const Project& p = doc.project();
    ui::ImageImportDialog dialog(&doc, 0);
    QVERIFY(!dialog.apply().isEmpty()); // no image yet
    QImage image = blank(200, 1);
    for (int x = 0; x < 200; ++x)
        image.setPixel(x, 0, qRgb(0, 0, 0)); // a spike every column (2.5 ms): denser than Rp + dt
    dialog.setImage(image);
    dialog.setTarget(0, true);
    const double rp = p.network.layer(p.network.layerCount()).neuron.refractoryPeriod;
    QCOMPARE(dialog.options().neuronCount, p.network.outputCount());
    QVERIFY(std::abs(dialog.options().minInterval - (rp + p.simulation.dt)) < 1e-9);
    QVERIFY2(dialog.result().droppedSpikes > 0, qPrintable(QStringLiteral("%1 %2 %3 %4")
                                                               .arg(dialog.options().minInterval)
                                                               .arg(dialog.options().duration)
                                                               .arg(dialog.result().columns)
                                                               .arg(spikeCount(dialog.result().raster))));
    QVERIFY(dialog.summary().contains(QStringLiteral("dropped")));
    QCOMPARE(dialog.apply(), QString());
    QCOMPARE(doc.undoStack()->count(), 1);
    QCOMPARE(doc.project().task.patterns[0].desired, dialog.result().raster);
    QVERIFY(
        ui::SpikeRasterEditor::spacingViolations(doc.project().task.patterns[0].desired, rp, p.simulation.dt).empty());
    // Inputs: no minimum interval, rows = input neurons.
    dialog.setTarget(0, false);
    QCOMPARE(dialog.options().minInterval, 0.0);
    QCOMPARE(dialog.options().neuronCount, p.network.inputCount());
}

void TestImagesReports::mainWindowEntries()
{
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    auto* image = w.feature<ui::ImageImportFeature>();
    auto* entries = w.feature<ui::ReportFeature>();
    QVERIFY(image && entries);
    QVERIFY(w.menu(ui::Menu::Import)->actions().contains(image->importAction()));
    int reportMenus = 0;
    for (QAction* m : w.menuBar()->actions())
        if (m->menu())
            reportMenus += m->menu()->actions().count(entries->reportAction());
    QCOMPARE(reportMenus, 2); // File and Help
    QVERIFY(w.menu(ui::Menu::File)->actions().contains(entries->reportAction()));
    QVERIFY(w.menu(ui::Menu::Help)->actions().contains(entries->reportAction()));
    w.openExample(QStringLiteral("xor"));
    QTemporaryDir dir;
    QSignalSpy written(entries, &ui::ReportFeature::reportWritten);
    entries->writeReport(dir.path());
    QVERIFY(written.wait(60000));
    QVERIFY2(entries->lastError().isEmpty(), qPrintable(entries->lastError()));
    QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("REPORT.html"))));
    QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("REPORT.pdf"))));
}

void TestImagesReports::reportSimulatesOffTheGuiThreadLatestRequestWins()
{
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.openExample(QStringLiteral("xor"));
    auto* report = w.feature<ui::ReportFeature>();
    QTemporaryDir first, second;
    QSignalSpy written(report, &ui::ReportFeature::reportWritten);
    QSignalSpy failed(report, &ui::ReportFeature::reportFailed);
    report->writeReport(first.path());
    // The call returns before anything is simulated: the passes run on the pool and the files are
    // written only when they arrive, in the event loop, so nothing can exist yet.
    QVERIFY(report->isWriting());
    QVERIFY(!QFileInfo::exists(first.filePath(QStringLiteral("REPORT.html"))));
    report->writeReport(second.path()); // supersedes the first request
    QVERIFY(written.wait(60000));
    QCOMPARE(written.size(), 1);
    QCOMPARE(written.first().first().toString(), second.path());
    QVERIFY(!report->isWriting());
    QVERIFY(QFileInfo::exists(second.filePath(QStringLiteral("REPORT.html"))));
    QVERIFY(!QFileInfo::exists(first.filePath(QStringLiteral("REPORT.html")))); // its result was dropped
    QCOMPARE(failed.size(), 0);
}

void TestImagesReports::reportFailureReachesTheSignal()
{
    ui::MainWindow w;
    w.setConfirmUnsavedChanges(false);
    w.openExample(QStringLiteral("xor"));
    auto* report = w.feature<ui::ReportFeature>();
    QTemporaryDir dir;
    QFile blocker(dir.filePath(QStringLiteral("not-a-folder")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString folder = blocker.fileName() + QStringLiteral("/report"); // below a file: cannot be created
    QSignalSpy failed(report, &ui::ReportFeature::reportFailed);
    QSignalSpy written(report, &ui::ReportFeature::reportWritten);
    report->writeReport(folder);
    QVERIFY(failed.wait(60000));
    QVERIFY2(failed.first().first().toString().contains(folder), qPrintable(failed.first().first().toString()));
    QCOMPARE(report->lastError(), failed.first().first().toString());
    QCOMPARE(written.size(), 0);
}

void TestImagesReports::reportIsWritten()
{
    Project p = generators::multilayer(1);
    p.seed = 424242;
    p.ensureWeights();
    for (int e = 1; e <= 3; ++e) {
        EpochMetrics m;
        m.epoch = e;
        for (std::size_t k = 0; k < p.task.patterns.size(); ++k) {
            PatternMetrics pm;
            pm.correlation = pm.minCorrelation = 0.3 + 0.2 * e;
            m.patterns.push_back(pm);
        }
        m.layerRates.assign(std::size_t(p.network.layerCount()), 12.5);
        m.summarize();
        p.history.push_back(m);
    }
    const QString keep = qEnvironmentVariable("NORMAD_REPORT_DIR");
    QTemporaryDir tmp;
    const QString folder = keep.isEmpty() ? tmp.path() : keep;
    ui::ReportContext context;
    context.stopReason = QStringLiteral("stopped by the test");
    const std::vector<ui::ReportPass> passes = ui::simulateReportPasses(p, context.maxPatterns);
    QCOMPARE(static_cast<int>(passes.size()), std::min<int>(context.maxPatterns, int(p.task.patterns.size())));
    QVERIFY(!passes.empty());
    // The passes are the project's forward passes with its weights, every population.
    const std::size_t last = passes.size() - 1;
    const SimulationRecord direct = Simulator(p.network, p.simulation).run(p.task.patterns[last].inputs);
    QCOMPARE(passes[last].view->patternIndex, static_cast<int>(last));
    QCOMPARE(static_cast<int>(passes[last].view->spikes.size()), p.network.layerCount() + 1);
    for (int l : p.network.populationNumbers())
        QVERIFY(passes[last].view->spikes[static_cast<std::size_t>(l)] == direct.activity(l).spikes);
    QVERIFY(direct.activity(p.network.layerCount()).totalSpikes() > 0); // a comparison of something
    QVERIFY(passes[last].problem.empty());
    const ui::ReportFiles files = ui::writeReproducibilityReport(p, folder, context, passes);

    QFile html(files.html);
    QVERIFY(html.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(html.readAll());
    QVERIFY(text.contains(QString::fromLatin1(versionString())));
    QVERIFY(text.contains(QStringLiteral("424242")));
    QVERIFY(text.contains(QStringLiteral("normad train REPORT-project.json --seed 424242")));
    QVERIFY(text.contains(QStringLiteral("stopped by the test")));
    QVERIFY(text.contains(QString::fromStdString(describeVariant(p.training)).toHtmlEscaped()));
    // Self-contained: every image is a data URI; learning curves + rasters + one map per layer.
    const int images = static_cast<int>(text.count(QStringLiteral("<img ")));
    QCOMPARE(static_cast<int>(text.count(QStringLiteral("src=\"data:image/png;base64,"))), images);
    QCOMPARE(images, 1 + std::min<int>(8, int(p.task.patterns.size())) + p.network.layerCount());
    // Every parameter key of the project file (independently of the report's own flattening).
    QSet<QString> keys;
    leafKeys(QJsonDocument::fromJson(QByteArray::fromStdString(projectToJson(p))).object(), keys);
    QVERIFY(keys.size() > 20);
    for (const QString& key : keys)
        QVERIFY2(text.contains(key), qPrintable(key));
    for (const auto& [key, value] : ui::reportParameterRows(p))
        QVERIFY2(text.contains(key.toHtmlEscaped()), qPrintable(key));

    QFile pdf(files.pdf);
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    const QByteArray bytes = pdf.readAll();
    QVERIFY(bytes.startsWith("%PDF"));
    const auto pages = QString::fromLatin1(bytes).count(QRegularExpression(QStringLiteral("/Type\\s*/Page[^s]")));
    QVERIFY2(pages >= 2, qPrintable(QString::number(pages)));

    // The project to retrain from: same parameters and seed, no trained weights, no history.
    const Project fresh = loadProject(files.project.toStdString());
    QCOMPARE(fresh.seed, p.seed);
    QVERIFY(!fresh.hasWeights);
    QVERIFY(fresh.history.empty());
}

QTEST_MAIN(TestImagesReports)
#include "tst_imagesreports.moc"
