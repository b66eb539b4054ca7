#include "normad/ui/TrainingSettingsPanel.h"

#include "normad/ui/ProjectDocument.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QStandardItemModel>

#include <limits>

namespace normad::ui {

namespace {
// Merge ids: typing in a spin box is one undo step per field.
enum MergeId { MaxEpochsEdit = 4101, TargetEdit, StagnationEdit, SeedEdit, ResumeAEdit, ResumeTauEdit };
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
    m_rule = new QComboBox(this);
    m_rule->addItem(tr("NormAD"), static_cast<int>(LearningRule::NormAD));
    m_rule->addItem(tr("ReSuMe (baseline)"), static_cast<int>(LearningRule::ReSuMe));
    m_rule->setToolTip(tr("The learning rule. ReSuMe (Ponulak & Kasiński 2010) trains the same single-layer task "
                          "with the same seed, so the two can be compared in the Runs dock; its η is the layer's "
                          "learning rate"));
    m_ruleHint = new QLabel(tr("ReSuMe trains single-layer networks"), this);
    m_ruleHint->setEnabled(false);  // greyed: an explanation, not a control
    m_resumeA = new QDoubleSpinBox(this);
    m_resumeA->setRange(-10.0, 10.0);
    m_resumeA->setDecimals(3);
    m_resumeA->setSingleStep(0.01);
    m_resumeA->setToolTip(tr("ReSuMe's non-Hebbian term a (dimensionless): Δw = η·e(t)·(a + Σ e^(−s/τ))"));
    m_resumeTau = new QDoubleSpinBox(this);
    m_resumeTau->setRange(0.1, 1000.0);
    m_resumeTau->setDecimals(2);
    m_resumeTau->setSingleStep(0.5);
    m_resumeTau->setSuffix(tr(" ms"));
    m_resumeTau->setToolTip(tr("ReSuMe's learning window τ: input spikes this long before an error count by 1/e"));
    m_variant = new QLabel(this);
    m_variant->setWordWrap(true);
    m_variant->setToolTip(tr("The rule and variant of this project (NormAD's variant is edited in the network designer)"));

    auto* ruleRow = new QHBoxLayout;
    ruleRow->setContentsMargins(0, 0, 0, 0);
    ruleRow->addWidget(m_rule);
    ruleRow->addWidget(m_ruleHint, 1);
    auto* resumeRow = new QHBoxLayout;
    resumeRow->setContentsMargins(0, 0, 0, 0);
    resumeRow->addWidget(new QLabel(tr("a"), this));
    resumeRow->addWidget(m_resumeA, 1);
    resumeRow->addSpacing(8);
    resumeRow->addWidget(new QLabel(tr("τ"), this));
    resumeRow->addWidget(m_resumeTau, 1);

    auto* form = new QFormLayout(this);
    form->setContentsMargins(6, 4, 6, 4);
    form->addRow(tr("Max epochs"), m_maxEpochs);
    form->addRow(tr("Target C"), m_target);
    form->addRow(tr("Stagnation"), m_stagnation);
    form->addRow(tr("Seed"), m_seed);
    form->addRow(tr("Learning rule"), ruleRow);
    form->addRow(tr("ReSuMe"), resumeRow);
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
    connect(m_rule, &QComboBox::currentIndexChanged, this, [this](int index) {
        const auto rule = static_cast<LearningRule>(m_rule->itemData(index).toInt());
        const QString error = m_document->edit(rule == LearningRule::ReSuMe ? tr("Train with ReSuMe") : tr("Train with NormAD"),
                                               ProjectDocument::TrainingChanged, [rule](Project& p) { p.training.rule = rule; });
        if (!error.isEmpty())
            refresh();
    });
    connect(m_resumeA, &QDoubleSpinBox::valueChanged, this,
            editor(tr("Set ReSuMe a"), ResumeAEdit, [](Project& p, double v) { p.training.resumeNonHebbian = v; }));
    connect(m_resumeTau, &QDoubleSpinBox::valueChanged, this,
            editor(tr("Set ReSuMe τ"), ResumeTauEdit, [](Project& p, double v) { p.training.resumeTau = v * 1e-3; }));
    connect(m_document, &ProjectDocument::changed, this, [this](ProjectDocument::Changes changes) {
        if (changes & (ProjectDocument::TrainingChanged | ProjectDocument::NetworkChanged))
            refresh();
    });
    refresh();
}

void TrainingSettingsPanel::refresh()
{
    const Project& p = m_document->project();
    const QSignalBlocker b1(m_maxEpochs), b2(m_target), b3(m_stagnation), b4(m_seed), b5(m_rule), b6(m_resumeA),
        b7(m_resumeTau);
    m_maxEpochs->setValue(p.training.maxEpochs);
    m_target->setValue(p.training.targetCorrelation);
    m_stagnation->setValue(p.training.stagnationEpochs);
    m_seed->setValue(static_cast<int>(std::min<std::uint64_t>(p.seed, std::numeric_limits<int>::max())));
    m_variant->setText(QString::fromStdString(describeVariant(p.training)));

    // ReSuMe has no hidden-layer rule (docs/engine.md): it is offered for one LIF layer. A deeper
    // project that still says ReSuMe (a file, an undo) can be switched back to NormAD.
    const bool singleLayer = p.network.layerCount() == 1;
    const bool resume = p.training.rule == LearningRule::ReSuMe;
    if (auto* model = qobject_cast<QStandardItemModel*>(m_rule->model()))
        model->item(1)->setEnabled(singleLayer);
    m_rule->setCurrentIndex(m_rule->findData(static_cast<int>(p.training.rule)));
    m_rule->setEnabled(singleLayer || resume);
    m_ruleHint->setVisible(!singleLayer);
    m_resumeA->setValue(p.training.resumeNonHebbian);
    m_resumeTau->setValue(p.training.resumeTau * 1e3);
    m_resumeA->setEnabled(resume && singleLayer);
    m_resumeTau->setEnabled(resume && singleLayer);
}

} // namespace normad::ui
