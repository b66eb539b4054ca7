#include "normad/ui/TrainingSettingsPanel.h"

#include "normad/ui/ProjectDocument.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

#include <limits>

namespace normad::ui {

namespace {
// Merge ids: typing in a spin box is one undo step per field.
enum MergeId { MaxEpochsEdit = 4101, TargetEdit, StagnationEdit, SeedEdit };
}

TrainingSettingsPanel::TrainingSettingsPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document)
{
    m_maxEpochs = new QSpinBox(this);
    m_maxEpochs->setRange(1, 1000000);
    m_maxEpochs->setToolTip(tr("Training stops after this many epochs (per run)"));
    m_target = new QDoubleSpinBox(this);
    m_target->setRange(0.0, 1.01);
    m_target->setDecimals(3);
    m_target->setSingleStep(0.01);
    m_target->setToolTip(tr("Stop when every pattern reaches this correlation C in one epoch (above 1: never)"));
    m_stagnation = new QSpinBox(this);
    m_stagnation->setRange(0, 1000000);
    m_stagnation->setSpecialValueText(tr("off"));
    m_stagnation->setSuffix(tr(" epochs"));
    m_stagnation->setToolTip(tr("Stop when the worst pattern's C has not improved for this many epochs"));
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setToolTip(tr("Seeds the weight initialisation (Reset weights) and the presentation order"));
    m_variant = new QLabel(this);
    m_variant->setWordWrap(true);
    m_variant->setToolTip(tr("The NormAD variant of this project (edit it in the network designer)"));

    auto* form = new QFormLayout(this);
    form->setContentsMargins(6, 4, 6, 4);
    form->addRow(tr("Max epochs"), m_maxEpochs);
    form->addRow(tr("Target C"), m_target);
    form->addRow(tr("Stagnation"), m_stagnation);
    form->addRow(tr("Seed"), m_seed);
    form->addRow(tr("Rule"), m_variant);

    auto editor = [this](const QString& text, int mergeId, auto apply) {
        return [this, text, mergeId, apply](auto value) {
            const QString error =
                m_document->edit(text, ProjectDocument::TrainingChanged, [&](Project& p) { apply(p, value); }, mergeId);
            if (!error.isEmpty())
                refresh();
        };
    };
    connect(m_maxEpochs, &QSpinBox::valueChanged, this,
            editor(tr("Set max epochs"), MaxEpochsEdit, [](Project& p, int v) { p.training.maxEpochs = v; }));
    connect(m_target, &QDoubleSpinBox::valueChanged, this,
            editor(tr("Set target correlation"), TargetEdit,
                   [](Project& p, double v) { p.training.targetCorrelation = v; }));
    connect(m_stagnation, &QSpinBox::valueChanged, this,
            editor(tr("Set stagnation epochs"), StagnationEdit,
                   [](Project& p, int v) { p.training.stagnationEpochs = v; }));
    connect(m_seed, &QSpinBox::valueChanged, this,
            editor(tr("Set seed"), SeedEdit, [](Project& p, int v) { p.seed = static_cast<std::uint64_t>(v); }));
    connect(m_document, &ProjectDocument::changed, this, [this](ProjectDocument::Changes changes) {
        if (changes & (ProjectDocument::TrainingChanged | ProjectDocument::NetworkChanged))
            refresh();
    });
    refresh();
}

void TrainingSettingsPanel::refresh()
{
    const Project& p = m_document->project();
    const QSignalBlocker b1(m_maxEpochs), b2(m_target), b3(m_stagnation), b4(m_seed);
    m_maxEpochs->setValue(p.training.maxEpochs);
    m_target->setValue(p.training.targetCorrelation);
    m_stagnation->setValue(p.training.stagnationEpochs);
    m_seed->setValue(static_cast<int>(std::min<std::uint64_t>(p.seed, std::numeric_limits<int>::max())));
    m_variant->setText(QString::fromStdString(describeVariant(p.training)));
}

} // namespace normad::ui
