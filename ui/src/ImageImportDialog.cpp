#include "normad/ui/ImageImportDialog.h"

#include "normad/ui/ProjectDocument.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

namespace normad::ui {

namespace {

constexpr int previewWidth = 420, previewHeight = 200;

double outputRefractory(const Project& p)
{
    return p.network.layerCount() > 0 ? p.network.layer(p.network.layerCount()).neuron.refractoryPeriod : 0.0;
}

QLabel* previewLabel(const QString& name)
{
    auto* label = new QLabel;
    label->setObjectName(name);
    label->setFixedSize(previewWidth, previewHeight);
    label->setAlignment(Qt::AlignCenter);
    label->setFrameShape(QFrame::StyledPanel);
    label->setStyleSheet(QStringLiteral("background: white;"));
    return label;
}

} // namespace

ImageImportDialog::ImageImportDialog(ProjectDocument* document, int pattern, QWidget* parent)
    : QDialog(parent), m_doc(document)
{
    setWindowTitle(tr("Import Image as Spike Raster"));
    m_path = new QLineEdit;
    m_path->setObjectName(QStringLiteral("imagePath"));
    m_path->setReadOnly(true);
    m_path->setPlaceholderText(tr("PNG or JPEG: rows = neurons, columns = time"));
    auto* browse = new QPushButton(tr("Choose…"));
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(browse);

    m_imagePreview = previewLabel(QStringLiteral("imagePreview"));
    m_rasterPreview = previewLabel(QStringLiteral("rasterPreview"));
    auto* imageBox = new QGroupBox(tr("Image"));
    (new QVBoxLayout(imageBox))->addWidget(m_imagePreview);
    auto* rasterBox = new QGroupBox(tr("Spike raster (row = neuron, left → right = 0 … T)"));
    (new QVBoxLayout(rasterBox))->addWidget(m_rasterPreview);
    auto* previews = new QHBoxLayout;
    previews->addWidget(imageBox);
    previews->addWidget(rasterBox);

    m_pattern = new QComboBox;
    m_pattern->setObjectName(QStringLiteral("imagePattern"));
    const Project& p = m_doc->project();
    for (std::size_t i = 0; i < p.task.patterns.size(); ++i)
        m_pattern->addItem(tr("%1: %2").arg(i).arg(QString::fromStdString(p.task.patterns[i].name)),
                           static_cast<int>(i));
    m_pattern->addItem(tr("a new pattern"), -1);
    m_pattern->setCurrentIndex(std::clamp(pattern, 0, m_pattern->count() - 1));
    m_trains = new QComboBox;
    m_trains->setObjectName(QStringLiteral("imageTrains"));
    m_trains->addItem(tr("input trains (%1 neurons)").arg(p.network.inputCount()));
    m_trains->addItem(tr("desired output trains (%1 neurons)").arg(p.network.outputCount()));

    m_thresholdSlider = new QSlider(Qt::Horizontal);
    m_thresholdSlider->setRange(0, 255);
    m_threshold = new QSpinBox;
    m_threshold->setObjectName(QStringLiteral("imageThreshold"));
    m_threshold->setRange(0, 255);
    m_threshold->setValue(128);
    m_thresholdSlider->setValue(128);
    m_threshold->setToolTip(tr("A pixel whose luminance (0 black … 255 white) is below this is a spike"));
    auto* thresholdRow = new QHBoxLayout;
    thresholdRow->addWidget(m_thresholdSlider, 1);
    thresholdRow->addWidget(m_threshold);
    m_invert = new QCheckBox(tr("Light pixels are spikes"));
    m_invert->setObjectName(QStringLiteral("imageInvert"));
    m_jitter = new QDoubleSpinBox;
    m_jitter->setObjectName(QStringLiteral("imageJitter"));
    m_jitter->setRange(0, 1000);
    m_jitter->setDecimals(2);
    m_jitter->setSingleStep(0.5);
    m_jitter->setSuffix(tr(" ms"));
    m_jitter->setToolTip(tr("σ of a Gaussian shift of every spike (seeded); 0 = spikes at the columns' times"));
    m_seed = new QSpinBox;
    m_seed->setObjectName(QStringLiteral("imageSeed"));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(1);
    m_minInterval = new QDoubleSpinBox;
    m_minInterval->setObjectName(QStringLiteral("imageMinInterval"));
    m_minInterval->setRange(0, 1000);
    m_minInterval->setDecimals(2);
    m_minInterval->setSingleStep(0.5);
    m_minInterval->setSuffix(tr(" ms"));
    m_minInterval->setToolTip(tr("A spike closer than this to the previous kept one of its neuron is dropped. "
                                 "Desired trains: the output refractory period + one step, the earliest the "
                                 "neuron can fire again."));

    auto* form = new QFormLayout;
    form->addRow(tr("Image file"), fileRow);
    form->addRow(tr("Pattern"), m_pattern);
    form->addRow(tr("Replace"), m_trains);
    form->addRow(tr("Threshold"), thresholdRow);
    form->addRow(QString(), m_invert);
    form->addRow(tr("Jitter σ"), m_jitter);
    form->addRow(tr("Jitter seed"), m_seed);
    form->addRow(tr("Min. interval"), m_minInterval);

    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("imageSummary"));
    m_summary->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Import"));

    auto* root = new QVBoxLayout(this);
    root->addLayout(form);
    root->addLayout(previews);
    root->addWidget(m_summary);
    root->addWidget(m_buttons);

    connect(browse, &QPushButton::clicked, this, &ImageImportDialog::chooseFile);
    connect(m_thresholdSlider, &QSlider::valueChanged, m_threshold, &QSpinBox::setValue);
    connect(m_threshold, &QSpinBox::valueChanged, m_thresholdSlider, &QSlider::setValue);
    connect(m_threshold, &QSpinBox::valueChanged, this, &ImageImportDialog::updatePreview);
    connect(m_invert, &QCheckBox::toggled, this, &ImageImportDialog::updatePreview);
    connect(m_jitter, &QDoubleSpinBox::valueChanged, this, &ImageImportDialog::updatePreview);
    connect(m_seed, &QSpinBox::valueChanged, this, &ImageImportDialog::updatePreview);
    connect(m_minInterval, &QDoubleSpinBox::valueChanged, this, &ImageImportDialog::updatePreview);
    connect(m_pattern, &QComboBox::currentIndexChanged, this, &ImageImportDialog::updatePreview);
    connect(m_trains, &QComboBox::currentIndexChanged, this, &ImageImportDialog::targetChanged);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (apply().isEmpty())
            accept();
    });
    updatePreview();
}

void ImageImportDialog::chooseFile()
{
    QStringList patterns;
    for (const QByteArray& format : QImageReader::supportedImageFormats())
        patterns << QStringLiteral("*.") + QString::fromLatin1(format);
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Image"), QString(),
                                                      tr("Images (%1);;All files (*)").arg(patterns.join(u' ')));
    if (!path.isEmpty())
        loadImage(path);
}

bool ImageImportDialog::loadImage(const QString& path)
{
    QImageReader reader(path);
    const QImage image = reader.read();
    m_path->setText(path);
    if (image.isNull()) {
        m_image = {};
        m_error = tr("Cannot read %1: %2").arg(path, reader.errorString());
        updatePreview();
        return false;
    }
    m_error.clear();
    setImage(image);
    return true;
}

void ImageImportDialog::setImage(const QImage& image)
{
    m_image = image;
    m_error.clear();
    m_imagePreview->setPixmap(QPixmap::fromImage(
        image.scaled(previewWidth - 4, previewHeight - 4, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    updatePreview();
}

void ImageImportDialog::setTarget(int pattern, bool desired)
{
    const int index = m_pattern->findData(pattern);
    m_pattern->setCurrentIndex(index >= 0 ? index : m_pattern->count() - 1);
    m_trains->setCurrentIndex(desired ? 1 : 0);
}

QString ImageImportDialog::summary() const
{
    return m_summary->text();
}

ImageRasterTarget ImageImportDialog::target() const
{
    ImageRasterTarget t;
    t.pattern = m_pattern->currentData().toInt();
    t.desired = m_trains->currentIndex() == 1;
    if (t.pattern < 0 && !m_path->text().isEmpty())
        t.newPatternName = QFileInfo(m_path->text()).completeBaseName();
    return t;
}

ImageRasterOptions ImageImportDialog::options() const
{
    const Project& p = m_doc->project();
    ImageRasterOptions o;
    o.neuronCount = std::max(1, m_trains->currentIndex() == 1 ? p.network.outputCount() : p.network.inputCount());
    o.duration = p.simulation.duration;
    o.dt = p.simulation.dt;
    o.threshold = m_threshold->value();
    o.invert = m_invert->isChecked();
    o.jitter = m_jitter->value() * 1e-3;
    o.seed = static_cast<std::uint64_t>(m_seed->value());
    o.minInterval = m_minInterval->value() * 1e-3;
    return o;
}

void ImageImportDialog::targetChanged()
{
    // Desired trains must be reachable: start the minimum interval at Rp + dt (the earliest next
    // spike of the output neuron); inputs have no such limit.
    const Project& p = m_doc->project();
    const bool desired = m_trains->currentIndex() == 1;
    const double earliest = (outputRefractory(p) + p.simulation.dt) * 1e3;
    if (desired && m_minInterval->value() < earliest)
        m_minInterval->setValue(earliest);
    else if (!desired)
        m_minInterval->setValue(0);
    updatePreview();
}

void ImageImportDialog::updatePreview()
{
    QPushButton* ok = m_buttons->button(QDialogButtonBox::Ok);
    if (m_image.isNull()) {
        m_result = {};
        m_rasterPreview->clear();
        m_summary->setText(m_error.isEmpty() ? tr("Choose an image: dark pixels become spikes.") : m_error);
        m_summary->setStyleSheet(m_error.isEmpty() ? QString() : QStringLiteral("color: #c92a2a;"));
        ok->setEnabled(false);
        return;
    }
    const ImageRasterOptions o = options();
    try {
        m_result = imageToRaster(m_image, o);
    } catch (const std::exception& e) {
        m_result = {};
        m_summary->setText(QString::fromStdString(e.what()));
        m_summary->setStyleSheet(QStringLiteral("color: #c92a2a;"));
        ok->setEnabled(false);
        return;
    }
    // The raster drawn as the editor would: one dot per spike, rows top to bottom.
    QImage picture(previewWidth - 4, previewHeight - 4, QImage::Format_RGB32);
    picture.fill(Qt::white);
    {
        QPainter painter(&picture);
        const double rowHeight = static_cast<double>(picture.height()) / o.neuronCount;
        const double pixelsPerSecond = picture.width() / o.duration;
        const QColor dot(0, 114, 178); // Okabe–Ito blue, as the plots
        for (std::size_t n = 0; n < m_result.raster.size(); ++n)
            for (double t : m_result.raster[n])
                painter.fillRect(QRectF(t * pixelsPerSecond, static_cast<double>(n) * rowHeight,
                                        std::max(1.0, o.dt * pixelsPerSecond), std::max(1.0, rowHeight)),
                                 dot);
    }
    m_rasterPreview->setPixmap(QPixmap::fromImage(picture));

    const long long spikes = static_cast<long long>(spikeCount(m_result.raster));
    QString text = tr("%1 spikes on %2 neurons · image %3×%4 px scaled to %5 columns × %2 rows · one column = %6 ms")
                       .arg(spikes)
                       .arg(o.neuronCount)
                       .arg(m_image.width())
                       .arg(m_image.height())
                       .arg(m_result.columns)
                       .arg(o.duration / std::max(1, m_result.columns) * 1e3, 0, 'g', 3);
    const long long lost = m_result.droppedSpikes + m_result.mergedSpikes;
    if (lost > 0)
        text += tr("<br><b>⚠ %1 spike(s) dropped</b>: %2 closer than the minimum interval, %3 in a step already "
                   "holding one")
                    .arg(lost)
                    .arg(m_result.droppedSpikes)
                    .arg(m_result.mergedSpikes);
    m_summary->setText(text);
    m_summary->setStyleSheet(lost > 0 ? QStringLiteral("color: #b35900;") : QString());
    ok->setEnabled(true);
}

QString ImageImportDialog::apply()
{
    if (m_image.isNull())
        return m_error.isEmpty() ? tr("no image chosen") : m_error;
    const QString error = applyImageRaster(*m_doc, target(), m_result.raster);
    if (!error.isEmpty()) {
        m_summary->setText(tr("Refused: %1").arg(error));
        m_summary->setStyleSheet(QStringLiteral("color: #c92a2a;"));
    }
    return error;
}

} // namespace normad::ui
