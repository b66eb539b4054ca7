#include "normad/ui/TrainingSettingsPanel.h"

#include "FormWidgets.h"

#include "normad/ui/ProjectDocument.h"

#include "normad/RuleRegistry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardItemModel>

#include <cmath>
#include <limits>

namespace normad::ui {

namespace {
// Merge ids: typing in a spin box is one undo step per field.
enum MergeId { MaxEpochsEdit = 4101, TargetEdit, StagnationEdit, SeedEdit, RuleSettingEdit = 4200 };

// A rule setting's spin-box bound in display units; unbounded settings get a wide finite range.
double displayBound(double value, double scale)
{
    return std::isfinite(value) ? value * scale : std::copysign(1e9, value);
}

// The settings of `rule` in the project, completed with the defaults (an invalid file value shows
// the default; the project's own check reports it).
FieldValues currentSettings(const TrainingParams& t, const std::string& rule)
{
    try {
        return t.settings(rule);
    } catch (const std::invalid_argument&) {
        return defaults(findRule(rule).parameters);
    }
}
} // namespace

TrainingSettingsPanel::TrainingSettingsPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document)
{
    m_maxEpochs = new QSpinBox(this);
    m_maxEpochs->setRange(1, 1000000);
    m_maxEpochs->setToolTip(tr("Training stops after this many epochs (per run)"));
    m_target = new QDoubleSpinBox(this);
    m_target->setObjectName(QStringLiteral("targetCorrelation"));
    m_target->setRange(0.0, 1.01);
    m_target->setDecimals(3);
    m_target->setSingleStep(0.01);
    m_stagnation = new QSpinBox(this);
    m_stagnation->setRange(0, 1000000);
    m_stagnation->setSpecialValueText(tr("off"));
    m_stagnation->setSuffix(tr(" epochs"));
    m_stagnation->setToolTip(tr("Stop when the worst pattern's C has not improved for this many epochs"));
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setToolTip(tr("Seeds the weight initialisation (Reset weights) and the presentation order"));
    m_threads = new QSpinBox(this);
    m_threads->setRange(0, 1024);
    m_threads->setSpecialValueText(tr("all cores"));
    m_threads->setValue(QSettings().value(QStringLiteral("training/threads"), 0).toInt());
    connect(m_threads, &QSpinBox::valueChanged, this, [this](int n) {
        QSettings().setValue(QStringLiteral("training/threads"), n);
        emit threadsChanged(n);
    });
    m_rule = new QComboBox(this);
    QString outputOnly;
    for (const RuleInfo& info : learningRules()) {
        m_rule->addItem(QString::fromStdString(info.name), QString::fromStdString(info.key));
        m_rule->setItemData(m_rule->count() - 1, QString::fromStdString(info.summary + " (" + info.citation + ")"),
                            Qt::ToolTipRole);
        if (!info.trainsHiddenLayers)
            outputOnly += (outputOnly.isEmpty() ? QString() : QStringLiteral(", ")) + QString::fromStdString(info.name);
    }
    m_rule->setToolTip(tr("The learning rule. Every rule trains the same task with the same seed, so they can be "
                          "compared in the Runs dock; η is the layer's learning rate"));
    m_ruleHint = new QLabel(tr("%1: single-layer networks only").arg(outputOnly), this);
    m_ruleHint->setEnabled(false); // greyed: an explanation, not a control
    m_rulePages = new QStackedWidget(this);
    m_variant = new QLabel(this);
    m_variant->setWordWrap(true);
    m_variant->setToolTip(
        tr("The rule and variant of this project (NormAD's variant is edited in the network designer)"));

    m_ruleHint->setWordWrap(true); // below the selector, not beside it: the dock column stays narrow
    auto* form = new QFormLayout(this);
    form->setContentsMargins(6, 4, 6, 4);
    form->addRow(tr("Max epochs"), m_maxEpochs);
    form->addRow(tr("Target C"), m_target);
    form->addRow(tr("Stagnation"), m_stagnation);
    // Seed and Threads share a row: one more row would raise the window's minimum height above 800 px.
    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(m_seed, 1);
    seedRow->addWidget(new QLabel(tr("Threads"), this));
    seedRow->addWidget(m_threads, 1);
    form->addRow(tr("Seed"), seedRow);
    form->addRow(tr("Learning rule"), m_rule);
    form->addRow(QString(), m_ruleHint);
    // The rule's one-line description right under its name, where a short dock still shows it; then
    // its settings at their full height: the whole panel scrolls in its dock when the dock is short
    // (MainWindow), never a box of two rows inside it.
    form->addRow(tr("Rule"), m_variant);
    form->addRow(m_rulePages);
    // A typed number is committed on Enter or when the field loses focus, never per keystroke: typing
    // "0.95" must not pass through a target of 0 (training would "converge" at once) nor "200" through
    // a max of 2 epochs (a running session would end). The arrows still commit each step.
    for (QAbstractSpinBox* box : {static_cast<QAbstractSpinBox*>(m_maxEpochs), static_cast<QAbstractSpinBox*>(m_target),
                                  static_cast<QAbstractSpinBox*>(m_stagnation), static_cast<QAbstractSpinBox*>(m_seed)})
        box->setKeyboardTracking(false);

    auto editor = [this](const QString& text, int mergeId, auto apply) {
        return [this, text, mergeId, apply](auto value) {
            const QString error = m_document->edit(
                text, ProjectDocument::TrainingChanged, [&](Project& p) { apply(p, value); }, mergeId);
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
        const std::string key = m_rule->itemData(index).toString().toStdString();
        const QString error =
            m_document->edit(tr("Train with %1").arg(m_rule->itemText(index)), ProjectDocument::TrainingChanged,
                             [key](Project& p) { p.training.rule = key; });
        if (!error.isEmpty())
            refresh();
    });
    buildRulePages();
    form::WheelPassesUnfocused::install(this); // the panel scrolls in its dock
    connect(m_document, &ProjectDocument::changed, this, [this](ProjectDocument::Changes changes) {
        if (changes & (ProjectDocument::TrainingChanged | ProjectDocument::NetworkChanged))
            refresh();
    });
    refresh();
}

void TrainingSettingsPanel::buildRulePages()
{
    int mergeId = RuleSettingEdit;
    for (const RuleInfo& info : learningRules()) {
        auto* page = new QWidget(m_rulePages);
        auto* form = new QFormLayout(page);
        form->setContentsMargins(0, 0, 0, 0);
        if (info.parameters.empty())
            form->addRow(new QLabel(
                tr("%1 has no settings besides the layers' learning rates").arg(QString::fromStdString(info.name)),
                page));
        for (const FieldInfo& field : info.parameters) {
            const QString text =
                tr("Set %1 %2").arg(QString::fromStdString(info.name), QString::fromStdString(field.label));
            const int id = mergeId++;
            auto apply = [this, text, id, rule = info.key, key = field.key](const FieldValue& value) {
                const QString error = m_document->edit(
                    text, ProjectDocument::TrainingChanged,
                    [&](Project& p) { p.training.setSetting(rule, key, value); }, id);
                if (!error.isEmpty())
                    refresh();
            };
            QWidget* editor = nullptr;
            switch (field.kind) {
            case FieldKind::Real: {
                auto* box = new form::RealSpinBox(page); // commits on Enter / focus loss (see above)
                box->setSingleStep(1e-4);
                // An exclusive minimum is the next double above it, not a step above: ε's default is 1e-30.
                const double low = displayBound(field.minimum, field.displayScale);
                box->setRange(field.minimumExclusive ? std::nextafter(low, std::numeric_limits<double>::infinity())
                                                     : low,
                              displayBound(field.maximum, field.displayScale));
                const std::string unit = field.displayUnit.empty() ? field.unit : field.displayUnit;
                if (!unit.empty())
                    box->setSuffix(QStringLiteral(" ") + QString::fromStdString(unit));
                connect(box, &QDoubleSpinBox::valueChanged, this,
                        [apply, scale = field.displayScale](double v) { apply(v / scale); });
                editor = box;
                break;
            }
            case FieldKind::Integer: {
                auto* box = new QSpinBox(page);
                box->setKeyboardTracking(false);
                box->setRange(static_cast<int>(std::max(field.minimum, double(std::numeric_limits<int>::min()))),
                              static_cast<int>(std::min(field.maximum, double(std::numeric_limits<int>::max()))));
                connect(box, &QSpinBox::valueChanged, this, [apply](int v) { apply(static_cast<double>(v)); });
                editor = box;
                break;
            }
            case FieldKind::Boolean: {
                auto* box = new QCheckBox(page);
                connect(box, &QCheckBox::toggled, this, [apply](bool on) { apply(on); });
                editor = box;
                break;
            }
            case FieldKind::Choice: {
                auto* box = new QComboBox(page);
                for (const std::string& choice : field.choices)
                    box->addItem(QString::fromStdString(choice));
                connect(box, &QComboBox::currentTextChanged, this,
                        [apply](const QString& choice) { apply(choice.toStdString()); });
                editor = box;
                break;
            }
            }
            editor->setToolTip(QString::fromStdString(field.help));
            editor->setObjectName(QString::fromStdString(info.key + "." + field.key));
            form->addRow(QString::fromStdString(field.label), editor);
            m_editors[info.key][field.key] = editor;
        }
        m_rulePages->addWidget(page);
    }
}

QWidget* TrainingSettingsPanel::settingEditor(const std::string& rule, const std::string& key) const
{
    const auto r = m_editors.find(rule);
    if (r == m_editors.end())
        return nullptr;
    const auto e = r->second.find(key);
    return e == r->second.end() ? nullptr : e->second;
}

void TrainingSettingsPanel::refresh()
{
    const Project& p = m_document->project();
    const QSignalBlocker b1(m_maxEpochs), b2(m_target), b3(m_stagnation), b4(m_seed), b5(m_rule);
    m_maxEpochs->setValue(p.training.maxEpochs);
    m_target->setValue(p.training.targetCorrelation);
    // A class has no target train to correlate with: a dataset run goes to max epochs or stagnation.
    const bool dataset = p.dataset.has_value();
    m_target->setEnabled(!dataset);
    m_target->setToolTip(dataset ? tr("A dataset task is judged by accuracy, not by a target correlation: training "
                                      "runs to Max epochs or Stagnation")
                                 : tr("Stop when every pattern reaches this correlation C in one epoch (above 1: "
                                      "never)"));
    m_stagnation->setValue(p.training.stagnationEpochs);
    m_seed->setValue(static_cast<int>(std::min<std::uint64_t>(p.seed, std::numeric_limits<int>::max())));
    const bool online = p.training.schedule == UpdateSchedule::Online;
    m_threads->setEnabled(!online);
    m_threads->setToolTip(
        online ? tr("Online training is sequential by definition: each pattern sees the previous pattern's update. "
                    "Batch and mini-batch training use this many threads")
               : tr("Threads that simulate a batch's patterns (0 = all cores). The updates are summed exactly, so "
                    "the trained weights are the same for any thread count"));
    try {
        m_variant->setText(QString::fromStdString(describeVariant(p.training)));
    } catch (const std::invalid_argument& e) {
        m_variant->setText(QString::fromStdString(e.what()));
    }

    // Output-layer-only rules have no hidden-layer update (docs/engine.md): they are offered for one
    // LIF layer. A deeper project that still selects one (a file, an undo) can be switched away.
    const bool singleLayer = p.network.layerCount() == 1;
    const int current = m_rule->findData(QString::fromStdString(p.training.rule));
    int offered = 0;
    auto* model = qobject_cast<QStandardItemModel*>(m_rule->model());
    for (int i = 0; i < m_rule->count(); ++i) {
        const bool ok = singleLayer || findRule(m_rule->itemData(i).toString().toStdString()).trainsHiddenLayers;
        if (model)
            model->item(i)->setEnabled(ok);
        offered += ok ? 1 : 0;
    }
    m_rule->setCurrentIndex(current);
    const bool currentOffered = current >= 0 && (!model || model->item(current)->isEnabled());
    m_rule->setEnabled(offered > 1 || !currentOffered);
    m_ruleHint->setVisible(!singleLayer);

    // Each rule's page shows its settings; only the selected rule's are editable (and shown).
    for (int i = 0; i < m_rulePages->count(); ++i) {
        const std::string key = m_rule->itemData(i).toString().toStdString();
        m_rulePages->widget(i)->setEnabled(i == current && currentOffered);
        const RuleInfo& info = findRule(key);
        const FieldValues values = currentSettings(p.training, key);
        for (const FieldInfo& field : info.parameters) {
            QWidget* editor = m_editors[key][field.key];
            const QSignalBlocker block(editor);
            const FieldValue& value = values.at(field.key);
            if (auto* d = qobject_cast<QDoubleSpinBox*>(editor))
                d->setValue(std::get<double>(value) * field.displayScale);
            else if (auto* n = qobject_cast<QSpinBox*>(editor))
                n->setValue(static_cast<int>(std::get<double>(value)));
            else if (auto* c = qobject_cast<QCheckBox*>(editor))
                c->setChecked(std::get<bool>(value));
            else if (auto* box = qobject_cast<QComboBox*>(editor))
                box->setCurrentText(QString::fromStdString(std::get<std::string>(value)));
        }
    }
    if (current >= 0)
        m_rulePages->setCurrentIndex(current);
    // The stack is as tall as the shown rule's settings, not the tallest rule's: hidden pages ignore
    // their size (SuperSpike's five settings sat above the blank room of NormAD's nine).
    for (int i = 0; i < m_rulePages->count(); ++i) {
        const auto policy = i == m_rulePages->currentIndex() ? QSizePolicy::Preferred : QSizePolicy::Ignored;
        m_rulePages->widget(i)->setSizePolicy(policy, policy);
    }
}

} // namespace normad::ui
