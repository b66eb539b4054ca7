// The live plots' drawing shortcuts (issue 10, point 10: live plots must not slow training). A
// raster's spikes are stamped from one pre-rendered symbol on screen and drawn as true shapes in
// exports; every plot draws its lines with QCustomPlot's fast polylines. The speed itself is
// measured by tests/bench/bench_gui (docs/benchmarks.md), never by a timed test.

#include "normad/ui/PlotStyle.h"
#include "normad/ui/RasterPlot.h"
#include "normad/ui/StampedScatterGraph.h"

#include "normad/TaskGenerators.h"

#include <QtTest>

#include <qcustomplot.h>

#include <random>

using namespace normad::ui;

namespace {

struct Ink {
    double amount = 0; ///< Σ darkness (0 white … 1 black) in the window
    QPointF centre;    ///< darkness-weighted centre, pixels
};

/// The ink of `image` within `radius` pixels of `at`: where a symbol is drawn, and how much of it.
Ink inkAround(const QImage& image, QPointF at, int radius)
{
    const QImage gray = image.convertToFormat(QImage::Format_Grayscale8);
    Ink ink;
    double x = 0, y = 0;
    for (int py = qRound(at.y()) - radius; py <= qRound(at.y()) + radius; ++py)
        for (int px = qRound(at.x()) - radius; px <= qRound(at.x()) + radius; ++px) {
            if (px < 0 || py < 0 || px >= gray.width() || py >= gray.height())
                continue;
            const double dark = (255 - gray.constScanLine(py)[px]) / 255.0;
            ink.amount += dark;
            x += dark * (px + 0.5);
            y += dark * (py + 0.5);
        }
    if (ink.amount > 0)
        ink.centre = QPointF(x / ink.amount, y / ink.amount);
    return ink;
}

} // namespace

class TestLivePlots : public QObject {
    Q_OBJECT

private slots:
    void stampLooksLikeTheShapes_data();
    void stampLooksLikeTheShapes();
    void rasterSpikesAreStamped();
    void linesUseFastPolylines();
};

void TestLivePlots::stampLooksLikeTheShapes_data()
{
    QTest::addColumn<int>("shape");
    QTest::addColumn<double>("size");
    QTest::newRow("raster disc") << int(QCPScatterStyle::ssDisc) << 3.5;
    QTest::newRow("output disc") << int(QCPScatterStyle::ssDisc) << 6.0;
    QTest::newRow("open triangle") << int(QCPScatterStyle::ssTriangleInverted) << 10.0;
}

void TestLivePlots::stampLooksLikeTheShapes()
{
    QFETCH(int, shape);
    QFETCH(double, size);
    QCustomPlot plot;
    plotstyle::applyDefaults(&plot);
    plot.resize(480, 240);
    auto* graph = new StampedScatterGraph(plot.xAxis, plot.yAxis);
    graph->setLineStyle(QCPGraph::lsNone);
    graph->setScatterStyle(QCPScatterStyle(static_cast<QCPScatterStyle::ScatterShape>(shape),
                                           QPen(plotstyle::blue, 1.5), QBrush(plotstyle::blue), size));
    // Far enough apart that every symbol has its own tiles: a misplaced stamp cannot hide in a crowd.
    std::mt19937 random(7);
    std::uniform_real_distribution<double> jitter(-0.3, 0.3);
    QVector<double> keys, values;
    for (int i = 0; i < 12; ++i)
        for (int j = 0; j < 5; ++j) {
            keys << i + 0.5 + jitter(random);
            values << j + 0.5 + jitter(random);
        }
    graph->setData(keys, values);
    plot.xAxis->setRange(0, 12);
    plot.yAxis->setRange(0, 5);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));

    const int before = graph->stampedDraws();
    plot.replot(QCustomPlot::rpImmediateRefresh);
    QCOMPARE(graph->stampedDraws(), before + 1); // the screen takes the stamp …
    const QImage onScreen = plot.grab().toImage();
    const QImage exported = plot.toPixmap(plot.width(), plot.height()).toImage();
    QCOMPARE(graph->stampedDraws(), before + 1); // … an export the true shapes
    QTemporaryDir folder;
    QVERIFY(plot.savePdf(folder.filePath(QStringLiteral("plot.pdf")), 480, 240));
    QCOMPARE(graph->stampedDraws(), before + 1);

    QCOMPARE(onScreen.size(), exported.size());
    // Each symbol where the true shape is (rounded to the pixel: within half a pixel in x and y),
    // with as much ink. A stamp centred wrongly moves by a quarter of its size or more.
    const int radius = static_cast<int>(size) + 3;
    double worstShift = 0, worstInk = 0;
    for (int i = 0; i < keys.size(); ++i) {
        const QPointF at(plot.xAxis->coordToPixel(keys[i]), plot.yAxis->coordToPixel(values[i]));
        const Ink stamped = inkAround(onScreen, at, radius), shape = inkAround(exported, at, radius);
        QVERIFY(shape.amount > 1);
        const QPointF shift = stamped.centre - shape.centre;
        worstShift = std::max({worstShift, std::abs(shift.x()), std::abs(shift.y())});
        worstInk = std::max(worstInk, std::abs(stamped.amount - shape.amount) / shape.amount);
    }
    qInfo("largest shift %.2f px, largest ink difference %.1f %%", worstShift, 100 * worstInk);
    QVERIFY2(worstShift <= 0.6, qPrintable(QStringLiteral("a symbol moved by %1 px").arg(worstShift)));
    QVERIFY2(worstInk <= 0.15, qPrintable(QStringLiteral("a symbol's ink differs by %1").arg(worstInk)));
}

void TestLivePlots::rasterSpikesAreStamped()
{
    normad::Project project = normad::generators::xorTask(1);
    RasterPlot raster;
    raster.setProject(project);
    int stamped = 0;
    for (int i = 0; i < raster.plot()->graphCount(); ++i)
        stamped += dynamic_cast<StampedScatterGraph*>(raster.plot()->graph(i)) != nullptr;
    // One per population (inputs, hidden, output); the few desired spikes are drawn as shapes.
    QCOMPARE(stamped, project.network.layerCount() + 1);
}

void TestLivePlots::linesUseFastPolylines()
{
    // Wide antialiased lines joined as polylines cost ~10× more to stroke: a 1000-epoch learning
    // curve took 30–55 ms per replot, the live page's largest cost.
    QCustomPlot plot;
    plotstyle::applyDefaults(&plot);
    QVERIFY(plot.plottingHints().testFlag(QCP::phFastPolylines));
}

QTEST_MAIN(TestLivePlots)
#include "tst_liveplots.moc"
