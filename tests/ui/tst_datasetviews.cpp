// Dataset views (issue 16): the confusion-matrix heat map (counts in the cells, a click names its
// cell, the export writes the picture and ConfusionMatrix::toCsv), the accuracy curves, and the
// dataset panel (class counts per split, the sample as image or feature bars, its input raster
// encoded off the GUI thread), offscreen on datasets built here.

#include "normad/ClassTargets.h"
#include "normad/EncodedDataset.h"
#include "normad/ui/AccuracyCurvePlot.h"
#include "normad/ui/ConfusionMatrixPlot.h"
#include "normad/ui/DatasetPanel.h"
#include "normad/ui/ExportActions.h"

#include <QFile>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <qcustomplot.h>

#include <cmath>
#include <limits>

using namespace normad;

namespace {

const std::vector<std::string> threeNames{"cat", "dog", "bird"};

/// 3 classes, 12 samples; counts chosen so that no two cells are equal (a swapped cell shows).
ConfusionMatrix knownMatrix()
{
    ConfusionMatrix m(3);
    const int counts[3][4] = {{5, 1, 0, 2}, {3, 7, 4, 0}, {0, 6, 9, 8}};
    for (int t = 0; t < 3; ++t)
        for (int p = 0; p < 4; ++p)
            for (int i = 0; i < counts[t][p]; ++i)
                m.add(t, p == 3 ? undecidedClass : p);
    return m;
}

SimulationParams shortTrial()
{
    SimulationParams s;
    s.dt = 1e-4;
    s.duration = 0.05;
    return s;
}

/// Latency coding: one spike per feature at or above the threshold, none below (exact counts).
EncodingParams latency()
{
    EncodingParams e;
    e.kind = EncodingKind::Latency;
    e.earliest = 0.0;
    e.latest = 0.04;
    e.latencyThreshold = 0.1;
    return e;
}

std::shared_ptr<const EncodedDataset> encode(Dataset data, ScalingMode mode)
{
    auto shared = std::make_shared<const Dataset>(std::move(data));
    std::vector<std::size_t> all(shared->sampleCount());
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = i;
    const SimulationParams sim = shortTrial();
    return std::make_shared<const EncodedDataset>(shared, FeatureScaler::fit(*shared, all, mode), latency(),
                                                  classTargets(shared->classCount(), {}, sim), sim, 1 << 20);
}

/// A table of 10 samples, 2 features, 3 classes with 3, 5 and 2 samples.
Dataset smallTable()
{
    std::vector<double> values;
    std::vector<int> labels{0, 1, 1, 2, 0, 1, 1, 0, 2, 1};
    for (std::size_t i = 0; i < labels.size(); ++i) {
        values.push_back(static_cast<double>(i));
        values.push_back(static_cast<double>(labels[i]) * 2.5);
    }
    return Dataset::fromValues(values, labels, {"setosa", "versicolor", "virginica"}, {"length", "width"},
                               {"csv", {"iris.csv"}, "species"});
}

/// Four 4 × 3 images of two classes; pixel p of image i is (40·i + 17·p) mod 256.
Dataset smallImages()
{
    std::vector<std::uint8_t> pixels;
    for (int i = 0; i < 4; ++i)
        for (int p = 0; p < 12; ++p)
            pixels.push_back(static_cast<std::uint8_t>((40 * i + 17 * p) % 256));
    return Dataset::fromBytes(pixels, {0, 1, 1, 0}, {"zero", "one"}, 4, 3, {"idx", {"images.idx", "labels.idx"}, ""});
}

int spikesOf(const Pattern& pattern)
{
    int n = 0;
    for (const SpikeTrain& train : pattern.inputs)
        n += static_cast<int>(train.size());
    return n;
}

} // namespace

class TestDatasetViews : public QObject {
    Q_OBJECT

private slots:
    void confusionCellsShowTheirCounts();
    void confusionColoursFillTheirCells();
    void clickingACellNamesIt_data();
    void clickingACellNamesIt();
    void confusionExportWritesPictureAndMatrixCsv();
    void confusionCountsFitTheirCells_data();
    void confusionCountsFitTheirCells();
    void accuracyCurvesArePercentWithGaps();
    void panelCountsClassesPerSplit_data();
    void panelCountsClassesPerSplit();
    void panelShowsImageAndItsRaster();
    void panelShowsFeatureBarsOfATable();
};

void TestDatasetViews::confusionCellsShowTheirCounts()
{
    ui::ConfusionMatrixPlot plot;
    const ConfusionMatrix m = knownMatrix();
    plot.setMatrix(m, threeNames, QStringLiteral("test split"));
    QCOMPARE(plot.caption(), QStringLiteral("test split"));
    for (int t = 0; t < 3; ++t) {
        for (int p = 0; p < 3; ++p)
            QCOMPARE(plot.cellText(t, p), QString::number(m.count(t, p)));
        QCOMPARE(plot.cellText(t, undecidedClass), QString::number(m.undecided(t)));
    }
    QCOMPARE(plot.cellText(1, 2), QStringLiteral("4"));
    QCOMPARE(plot.cellText(2, undecidedClass), QStringLiteral("8"));
    QVERIFY(plot.cellText(3, 0).isEmpty());
    // The axes name the classes and the undecided column.
    auto ticker = plot.plot()->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
    QVERIFY(ticker);
    QCOMPARE(ticker->ticks().value(0), QStringLiteral("cat"));
    QCOMPARE(ticker->ticks().value(3), QStringLiteral("undecided"));
}

void TestDatasetViews::confusionColoursFillTheirCells()
{
    // The first column used to be half hidden: the colours were squeezed between the first and the
    // last cell's centre, so each colour sat off its count and column 0 began at its centre.
    ui::ConfusionMatrixPlot plot;
    plot.resize(640, 480);
    const ConfusionMatrix m = knownMatrix();
    plot.setMatrix(m, threeNames);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.plot()->replot();
    const QImage image = plot.plot()->toPixmap().toImage();
    const double width = plot.plot()->xAxis->coordToPixel(1) - plot.plot()->xAxis->coordToPixel(0);
    const double height = plot.plot()->yAxis->coordToPixel(1) - plot.plot()->yAxis->coordToPixel(0);
    // Near the corners of a cell (away from its count) the colour is the cell's, on both sides.
    auto colourAt = [&](int trueClass, int predicted, double dx, double dy) {
        const QPointF c = plot.cellCentre(trueClass, predicted);
        return image.pixelColor(static_cast<int>(c.x() + dx * width), static_cast<int>(c.y() + dy * height));
    };
    for (int t = 0; t < 3; ++t)
        for (int p : {0, 1, 2, undecidedClass}) {
            const QColor topLeft = colourAt(t, p, -0.35, -0.35), bottomRight = colourAt(t, p, 0.35, 0.35);
            QVERIFY2(
                topLeft == bottomRight,
                qPrintable(
                    QStringLiteral("cell %1 → %2: %3 vs %4").arg(t).arg(p).arg(topLeft.name(), bottomRight.name())));
        }
    // Column 0 of class 0 (5 of 8) is coloured, not background.
    QVERIFY(colourAt(0, 0, -0.35, -0.35) != QColor(Qt::white));
    QCOMPARE(colourAt(0, 2, -0.35, -0.35), QColor(Qt::white)); // 0 of 8
}

void TestDatasetViews::clickingACellNamesIt_data()
{
    QTest::addColumn<int>("trueClass");
    QTest::addColumn<int>("predicted");
    for (int t = 0; t < 3; ++t) {
        for (int p = 0; p < 3; ++p)
            QTest::addRow("%d->%d", t, p) << t << p;
        QTest::addRow("%d->undecided", t) << t << undecidedClass;
    }
}

void TestDatasetViews::clickingACellNamesIt()
{
    QFETCH(int, trueClass);
    QFETCH(int, predicted);
    ui::ConfusionMatrixPlot plot;
    plot.resize(500, 420);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.setMatrix(knownMatrix(), threeNames);
    plot.plot()->replot();
    QSignalSpy clicked(&plot, &ui::ConfusionMatrixPlot::cellClicked);
    QTest::mouseClick(plot.plot(), Qt::LeftButton, {}, plot.cellCentre(trueClass, predicted).toPoint());
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).toInt(), trueClass);
    QCOMPARE(clicked.at(0).at(1).toInt(), predicted);
    // Outside the grid (the axis labels' margin) nothing is named.
    QTest::mouseClick(plot.plot(), Qt::LeftButton, {}, QPoint(2, 2));
    QCOMPARE(clicked.count(), 1);
}

void TestDatasetViews::confusionExportWritesPictureAndMatrixCsv()
{
    QTemporaryDir dir;
    ui::ConfusionMatrixPlot plot;
    plot.resize(480, 400);
    const ConfusionMatrix m = knownMatrix();
    plot.setMatrix(m, threeNames);
    for (const char* suffix : {"png", "svg", "pdf"}) {
        const QString path = dir.filePath(QStringLiteral("confusion.") + QLatin1String(suffix));
        QString error;
        QVERIFY2(plot.save(path, &error), qPrintable(error));
        QVERIFY(QFileInfo(path).size() > 100);
        QFile csv(dir.filePath(QStringLiteral("confusion.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(csv.readAll()), QString::fromStdString(m.toCsv(threeNames)));
    }
    QString error;
    QVERIFY(!plot.save(dir.filePath(QStringLiteral("confusion.bmp")), &error));
    QVERIFY(error.contains(QStringLiteral("confusion.bmp")));
}

namespace {

/// Ten classes of 1 000 samples each (a Fashion-MNIST test split): 3- and 4-digit counts.
ConfusionMatrix tenClassMatrix()
{
    ConfusionMatrix m(10);
    for (int t = 0; t < 10; ++t)
        for (int i = 0; i < 1000; ++i) {
            // 73 % right, then 101 + 9·t to the next class, the rest undecided or the class after it.
            const int right = 730, next = 101 + 9 * t, undecided = t;
            const int p = i < right                      ? t
                          : i < right + next             ? (t + 1) % 10
                          : i < right + next + undecided ? undecidedClass
                                                         : (t + 2) % 10;
            m.add(t, p);
        }
    return m;
}

} // namespace

void TestDatasetViews::confusionCountsFitTheirCells_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("shown");
    // 3-digit counts used to spill over the cells of a 10-class matrix in the workbench's dock at
    // 1280 × 800; they now shrink to fit, and where no readable font fits they are hidden.
    QTest::newRow("large window") << QSize(900, 700) << true;
    QTest::newRow("dock at 1280x800") << QSize(420, 380) << true;
    QTest::newRow("tiny") << QSize(200, 170) << false;
}

void TestDatasetViews::confusionCountsFitTheirCells()
{
    QFETCH(QSize, size);
    QFETCH(bool, shown);
    ui::ConfusionMatrixPlot plot;
    plot.resize(size);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    const ConfusionMatrix m = tenClassMatrix();
    std::vector<std::string> names{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                   "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    plot.setMatrix(m, names);
    plot.plot()->replot();
    QCOMPARE(plot.countsShown(), shown);
    const double width = plot.plot()->xAxis->coordToPixel(1) - plot.plot()->xAxis->coordToPixel(0);
    const QFontMetricsF metrics(plot.countFont());
    for (int t = 0; t < 10; ++t)
        for (int p : {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, undecidedClass}) {
            const QString count = plot.cellText(t, p);
            QCOMPARE(count, QString::number(p == undecidedClass ? m.undecided(t) : m.count(t, p)));
            if (shown)
                QVERIFY2(metrics.horizontalAdvance(count) < width,
                         qPrintable(QStringLiteral("%1 in a cell %2 px wide").arg(count).arg(width)));
            // Hovering tells the count whether or not it is drawn.
            QVERIFY(plot.cellToolTip(t, p).contains(QStringLiteral(": %1 of 1000 (").arg(count)));
        }
    QVERIFY(plot.countFont().pointSizeF() >= ui::ConfusionMatrixPlot::minimumCountPointSize);
    QCOMPARE(plot.cellToolTip(6, 2), QStringLiteral("Shirt → Pullover: 0 of 1000 (0.0 %)"));
    QCOMPARE(plot.cellToolTip(0, 0), QStringLiteral("T-shirt/top → T-shirt/top: 730 of 1000 (73.0 %)"));
    QCOMPARE(plot.cellToolTip(9, undecidedClass), QStringLiteral("Ankle boot → undecided: 9 of 1000 (0.9 %)"));
    QVERIFY(plot.cellToolTip(10, 0).isEmpty());
    // Growing the plot again brings the counts back (the fit follows every layout).
    plot.resize(900, 700);
    QTRY_VERIFY(plot.countsShown());
}

void TestDatasetViews::accuracyCurvesArePercentWithGaps()
{
    ui::AccuracyCurvePlot plot;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    plot.setCurves({1, 2, 3}, {0.5, 0.75, 1.0}, {nan, 0.6, 0.8});
    QCOMPARE(plot.epochCount(), 3);
    QCOMPARE(plot.trainValues(), (QVector<double>{50, 75, 100}));
    const QVector<double> validation = plot.validationValues();
    QCOMPARE(validation.size(), 3);
    QVERIFY(std::isnan(validation[0]));
    QCOMPARE(validation[1], 60.0);
    QCOMPARE(validation[2], 80.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, plot.setCurves({1, 2}, {0.5}, {0.5, 0.5}));

    // Exported like every plot: the CSV has the plotted percentages of both curves and the test line.
    plot.setTestAccuracy(0.9);
    const QString csv = ui::plotDataCsv(plot.plot());
    QVERIFY(csv.contains(QStringLiteral("training,Epoch,Accuracy (%),3.0,100.0\n"))); // formatShortest, no empty column
    QVERIFY(csv.contains(QStringLiteral("validation,Epoch,Accuracy (%),2.0,60.0\n")));
    QVERIFY(csv.contains(QStringLiteral(",90.0\n")));
    plot.clear();
    QCOMPARE(plot.epochCount(), 0);
    QVERIFY(!ui::plotDataCsv(plot.plot()).contains(QStringLiteral(",90.0\n")));
}

void TestDatasetViews::panelCountsClassesPerSplit_data()
{
    QTest::addColumn<std::vector<std::size_t>>("training");
    QTest::addColumn<std::vector<std::size_t>>("validation");
    QTest::addColumn<QList<int>>("trainingCounts");
    QTest::addColumn<QList<int>>("validationCounts");
    // Labels of smallTable(): 0 1 1 2 0 1 1 0 2 1.
    QTest::newRow("everything in training") << std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
                                            << std::vector<std::size_t>{} << QList<int>{3, 5, 2} << QList<int>{0, 0, 0};
    QTest::newRow("split") << std::vector<std::size_t>{0, 1, 2, 3, 5} << std::vector<std::size_t>{4, 6, 7, 8, 9}
                           << QList<int>{1, 3, 1} << QList<int>{2, 2, 1};
}

void TestDatasetViews::panelCountsClassesPerSplit()
{
    QFETCH(std::vector<std::size_t>, training);
    QFETCH(std::vector<std::size_t>, validation);
    QFETCH(QList<int>, trainingCounts);
    QFETCH(QList<int>, validationCounts);
    const auto encoded = encode(smallTable(), ScalingMode::PerFeature);
    ui::DatasetPanel panel;
    panel.setSource(QStringLiteral("iris.csv"), {{QStringLiteral("training"), encoded, training},
                                                 {QStringLiteral("validation"), encoded, validation}});
    QCOMPARE(panel.description(), QStringLiteral("iris.csv"));
    QTableWidget* table = panel.classCountTable();
    QCOMPARE(table->rowCount(), 4); // three classes and the total
    QCOMPARE(table->columnCount(), 2);
    QCOMPARE(table->verticalHeaderItem(1)->text(), QStringLiteral("versicolor"));
    QCOMPARE(table->horizontalHeaderItem(1)->text(), QStringLiteral("validation"));
    for (int k = 0; k < 3; ++k) {
        QCOMPARE(table->item(k, 0)->text().toInt(), trainingCounts[k]);
        QCOMPARE(table->item(k, 1)->text().toInt(), validationCounts[k]);
    }
    QCOMPARE(table->item(3, 0)->text().toInt(), static_cast<int>(training.size()));
    QCOMPARE(table->item(3, 1)->text().toInt(), static_cast<int>(validation.size()));

    panel.clear();
    QCOMPARE(panel.classCountTable()->rowCount(), 0);
    QCOMPARE(panel.currentSample(), std::numeric_limits<std::size_t>::max());
}

void TestDatasetViews::panelShowsImageAndItsRaster()
{
    const auto encoded = encode(smallImages(), ScalingMode::Global);
    ui::DatasetPanel panel;
    QSignalSpy encodedSpy(&panel, &ui::DatasetPanel::sampleEncoded);
    panel.setSource(QStringLiteral("images"),
                    {{QStringLiteral("training"), encoded, {3, 1, 2}, shortTrial().duration}});
    panel.showSample(0, 1); // sample 1 of the dataset
    QCOMPARE(panel.currentSample(), std::size_t{1});
    const QImage image = panel.shownImage();
    QCOMPARE(image.size(), QSize(4, 3));
    for (int p = 0; p < 12; ++p)
        QCOMPARE(qGray(image.pixel(p % 4, p / 4)), (40 * 1 + 17 * p) % 256);
    QCOMPARE(panel.shownFeatureCount(), 0);
    // The raster arrives from the background job: exactly the spikes of the encoded sample.
    QTRY_VERIFY(!encodedSpy.isEmpty() && encodedSpy.last().at(0).value<std::size_t>() == 1);
    QCOMPARE(panel.rasterSpikeCount(), spikesOf(encoded->encode(1)));
    QVERIFY(panel.rasterSpikeCount() > 0);
    // The time axis is the whole trial [0, T] in ms, not [0, last spike] (latency spikes end at 40 ms).
    QCOMPARE(panel.rasterPlot()->xAxis->range().lower, 0.0);
    QCOMPARE(panel.rasterPlot()->xAxis->range().upper, shortTrial().duration * 1e3);

    // Clamped to the set; the last sample is dataset sample 2.
    panel.showSample(0, 99);
    QCOMPARE(panel.currentPosition(), 2);
    QCOMPARE(panel.currentSample(), std::size_t{2});
    QTRY_VERIFY(encodedSpy.last().at(0).value<std::size_t>() == 2);
    QCOMPARE(panel.rasterSpikeCount(), spikesOf(encoded->encode(2)));
}

void TestDatasetViews::panelShowsFeatureBarsOfATable()
{
    const auto encoded = encode(smallTable(), ScalingMode::PerFeature);
    ui::DatasetPanel panel;
    QSignalSpy encodedSpy(&panel, &ui::DatasetPanel::sampleEncoded);
    panel.setSource(QStringLiteral("table"), {{QStringLiteral("training"), encoded, {0, 3, 9}}});
    panel.showSample(0, 1);
    QVERIFY(panel.shownImage().isNull());
    QCOMPARE(panel.shownFeatureCount(), 2);
    auto* bars = qobject_cast<QCPBars*>(panel.featurePlot()->plottable(0));
    QVERIFY(bars);
    QCOMPARE(bars->data()->at(0)->value, 3.0); // sample 3: feature 0 is its index,
    QCOMPARE(bars->data()->at(1)->value, 5.0); // feature 1 its label (2) × 2.5
    QTRY_VERIFY(!encodedSpy.isEmpty() && encodedSpy.last().at(0).value<std::size_t>() == 3);
    QCOMPARE(panel.rasterSpikeCount(), spikesOf(encoded->encode(3)));
}

QTEST_MAIN(TestDatasetViews)
#include "tst_datasetviews.moc"
