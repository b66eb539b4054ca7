#include "normad/ui/LessonRunner.h"

#include "normad/ui/ProjectDocument.h"
#include "normad/ui/ProjectFieldPath.h"
#include "normad/ui/TrainingController.h"

#include "normad/DatasetTask.h"
#include "normad/Examples.h"

#include <QJsonArray>

#include <limits>
#include <stdexcept>

namespace normad::ui {

namespace {

int integer(const QJsonObject& o, const char* key, int fallback)
{
    return o.contains(QLatin1String(key)) ? static_cast<int>(o.value(QLatin1String(key)).toDouble()) : fallback;
}

QString valueText(const QJsonValue& v)
{
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 6);
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isString())
        return QStringLiteral("\"%1\"").arg(v.toString());
    return QStringLiteral("…");
}

// "τL′ = 3 ms" style label for a swept value, from the unit suffix of its name.
QString sweepLabel(const QString& name, double v)
{
    const QString key = name.section(QLatin1Char('.'), -1);
    auto fmt = [](double x) { return QString::number(x, 'g', 4); };
    if (key == QLatin1String("effectiveTimeConstant_s"))
        return QStringLiteral("τL′ = %1 ms").arg(fmt(v * 1e3));
    if (key == QLatin1String("dt_s"))
        return QStringLiteral("dt = %1 ms").arg(fmt(v * 1e3));
    if (key == QLatin1String("learningRate_A") || key == QLatin1String("learningRate"))
        return QStringLiteral("r = %1 nA").arg(fmt(v * 1e9));
    if (key == QLatin1String("inputRate"))
        return QStringLiteral("inputs at %1 Hz").arg(fmt(v));
    if (key == QLatin1String("inputs"))
        return QStringLiteral("%1 inputs").arg(fmt(v));
    if (key.endsWith(QLatin1String("_s")) || key == QLatin1String("duration"))
        return QStringLiteral("%1 = %2 ms").arg(key.section(QLatin1Char('_'), 0, 0), fmt(v * 1e3));
    if (key.endsWith(QLatin1String("_A")))
        return QStringLiteral("%1 = %2 nA").arg(key.section(QLatin1Char('_'), 0, 0), fmt(v * 1e9));
    if (key.endsWith(QLatin1String("_Hz")) || key.endsWith(QLatin1String("Rate")))
        return QStringLiteral("%1 = %2 Hz").arg(key.section(QLatin1Char('_'), 0, 0), fmt(v));
    return QStringLiteral("%1 = %2").arg(key, fmt(v));
}

} // namespace

Project generatedProject(const QString& task, quint64 seed, const QJsonObject& o)
{
    // The lesson's JSON values become the registry's settings by their JSON type; the registry
    // checks them against the example's option descriptions.
    ExampleSettings settings;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QJsonValue v = it.value();
        ExampleSetting& s = settings[it.key().toStdString()];
        if (v.isBool()) {
            s = v.toBool();
        } else if (v.isString()) {
            s = v.toString().toStdString();
        } else if (v.isArray()) {
            std::vector<int> list;
            for (const QJsonValue& n : v.toArray())
                list.push_back(n.toInt());
            s = std::move(list);
        } else {
            s = v.toDouble(std::numeric_limits<double>::quiet_NaN());
        }
    }
    return example(task.toStdString()).make(seed, settings);
}

LessonRunner::LessonRunner(ProjectDocument* document, TrainingController* training, QObject* parent)
    : QObject(parent), m_document(document), m_training(training)
{
}

int LessonRunner::presentedCount() const
{
    // A dataset task presents its training split; patterns are numbered by their place in it.
    if (m_document->project().dataset)
        return m_document->loadedDataset()
                   ? static_cast<int>(m_document->loadedDataset()->patterns(Split::Train).size())
                   : 0;
    return static_cast<int>(m_document->project().task.patterns.size());
}

bool LessonRunner::dockNamed(const QString& name, Dock* dock)
{
    static const std::pair<const char*, Dock> docks[] = {
        {"lessons", Dock::Lessons}, {"inspector", Dock::Inspector},  {"curves", Dock::LearningCurves},
        {"weights", Dock::Weights}, {"settings", Dock::RunSettings}, {"history", Dock::History},
        {"dataset", Dock::Dataset}, {"accuracy", Dock::Accuracy},    {"confusion", Dock::Confusion},
    };
    for (const auto& [n, d] : docks)
        if (name == QLatin1String(n)) {
            *dock = d;
            return true;
        }
    return false;
}

bool LessonRunner::tabNamed(const QString& name, Tab* tab)
{
    static const std::pair<const char*, Tab> tabs[] = {
        {"live", Tab::Live}, {"network", Tab::Network}, {"task", Tab::Task}};
    for (const auto& [n, t] : tabs)
        if (name == QLatin1String(n)) {
            *tab = t;
            return true;
        }
    return false;
}

QString LessonRunner::runStep(const Lesson& lesson, int step)
{
    if (step < 0 || step >= lesson.steps.size())
        return LessonError(lesson.source, step + 1, QString(), QStringLiteral("no such step")).what();
    for (int i = 0; i < lesson.steps[step].actions.size(); ++i)
        if (QString error = runAction(lesson, step, i); !error.isEmpty())
            return error;
    return {};
}

QString LessonRunner::runAction(const Lesson& lesson, int step, int action)
{
    try {
        if (step < 0 || step >= lesson.steps.size() || action < 0 || action >= lesson.steps[step].actions.size())
            throw LessonError(lesson.source, step + 1, QStringLiteral("actions[%1]").arg(action),
                              QStringLiteral("no such action"));
        apply(lesson, step, action, lesson.steps[step].actions[action].args);
        return {};
    } catch (const LessonError& e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        return QString::fromStdString(LessonError(lesson.source, step + 1, QStringLiteral("actions[%1]").arg(action),
                                                  QString::fromStdString(e.what()))
                                          .what());
    }
}

void LessonRunner::edit(const QString& text, int changes, const std::function<void(Project&)>& mutate,
                        const Lesson& lesson, int step, const QString& field)
{
    // A session's weights reach the document only when it stops; anything but a training setting
    // would make the worker start over from the document and lose them, so stop first.
    if (m_training && m_training->isActive() && changes != ProjectDocument::TrainingChanged)
        m_training->stopAndWait();
    const QString error = m_document->edit(text, ProjectDocument::Changes(QFlag(changes)), mutate);
    if (!error.isEmpty())
        throw LessonError(lesson.source, step + 1, field, error);
}

SweepRequest LessonRunner::sweepRequest(const Lesson& lesson, int step, int index) const
{
    const QJsonObject a = lesson.steps.value(step).actions.value(index).args;
    SweepRequest r;
    r.path = a.value(QStringLiteral("path")).toString();
    r.option = a.value(QStringLiteral("option")).toString();
    r.task = a.value(QStringLiteral("task")).toString();
    r.options = a.value(QStringLiteral("options")).toObject();
    r.seed = static_cast<quint64>(a.value(QStringLiteral("seed")).toDouble(1));
    r.maxEpochs = integer(a, "maxEpochs", 150);
    for (const QJsonValue& v : a.value(QStringLiteral("values")).toArray())
        r.values << v.toDouble();
    for (const QJsonValue& v : a.value(QStringLiteral("labels")).toArray())
        r.labels << v.toString();
    if (r.labels.isEmpty())
        for (double v : r.values)
            r.labels << sweepLabel(r.path.isEmpty() ? r.option : r.path, v);
    r.title = a.value(QStringLiteral("title"))
                  .toString(QStringLiteral("Sweep of %1").arg(r.path.isEmpty() ? r.option : r.path));
    return r;
}

void LessonRunner::apply(const Lesson& lesson, int step, int index, const QJsonObject& a)
{
    const QString action = a.value(QStringLiteral("action")).toString();
    const QString prefix = QStringLiteral("actions[%1]").arg(index);
    auto fail = [&](const QString& field, const QString& reason) {
        throw LessonError(lesson.source, step + 1, prefix + field, reason);
    };
    const Project& project = m_document->project();
    const quint64 seed = static_cast<quint64>(a.value(QStringLiteral("seed")).toDouble(1));
    QString done = action;

    if (action == QLatin1String("loadExample") || action == QLatin1String("generate")) {
        const QString task =
            a.value(action == QLatin1String("generate") ? QStringLiteral("task") : QStringLiteral("name")).toString();
        Project p;
        try {
            p = generatedProject(task, seed, a.value(QStringLiteral("options")).toObject());
            if (a.contains(QStringLiteral("name")) && action == QLatin1String("generate"))
                p.name = a.value(QStringLiteral("name")).toString().toStdString();
        } catch (const std::exception& e) {
            fail(QStringLiteral(".options"), QString::fromStdString(e.what()));
        }
        if (m_shell) {
            // Like the Examples menu: unsaved work is asked about.
            if (!m_shell->maybeSave())
                throw std::runtime_error("the open project has unsaved changes; save or discard them first");
            m_shell->setProject(std::move(p), tr("%1 (lesson)").arg(lesson.title));
        } else {
            if (m_training)
                m_training->stopAndWait();
            m_document->reset(std::move(p));
        }
        // A lesson is watched: it trains at a pace a class can follow unless the step names one
        // ("pace": epochs per second, 0 = full speed).
        if (m_training)
            m_training->setPace(a.contains(QStringLiteral("pace")) ? a.value(QStringLiteral("pace")).toDouble()
                                                                   : lessonPace);
        done = tr("loaded the %1 task").arg(task);
    } else if (action == QLatin1String("set")) {
        const QString path = a.value(QStringLiteral("path")).toString();
        const QJsonValue value = a.value(QStringLiteral("value"));
        edit(
            tr("Set %1 = %2").arg(path, valueText(value)), projectfield::changesFor(path),
            [&](Project& p) { p = projectfield::withField(p, path, value); }, lesson, step,
            prefix + QStringLiteral(".value"));
        done = tr("set %1 = %2").arg(path, valueText(value));
    } else if (action == QLatin1String("freezeLayer")) {
        const int layer = a.value(QStringLiteral("layer")).toInt();
        const bool frozen = a.value(QStringLiteral("frozen")).toBool(true);
        if (layer < 1 || layer > project.network.layerCount())
            fail(QStringLiteral(".layer"), QStringLiteral("layer %1 does not exist (this network has %2 LIF layers)")
                                               .arg(layer)
                                               .arg(project.network.layerCount()));
        edit(
            frozen ? tr("Freeze layer %1").arg(layer) : tr("Unfreeze layer %1").arg(layer),
            ProjectDocument::NetworkChanged, [&](Project& p) { p.network.layer(layer).trainable = !frozen; }, lesson,
            step, prefix + QStringLiteral(".layer"));
        done = frozen ? tr("froze layer %1").arg(layer) : tr("unfroze layer %1").arg(layer);
    } else if (action == QLatin1String("resetWeights")) {
        if (!m_training)
            fail(QString(), QStringLiteral("needs the training controller"));
        m_training->resetWeights(a.contains(QStringLiteral("seed")) ? seed : project.seed);
        done = tr("drew fresh weights");
    } else if (action == QLatin1String("start") || action == QLatin1String("pause") ||
               action == QLatin1String("stop") || action == QLatin1String("stepPattern") ||
               action == QLatin1String("stepEpoch") || action == QLatin1String("followPattern")) {
        if (!m_training)
            fail(QString(), QStringLiteral("needs the training controller"));
        if (project.network.layerCount() == 0 || (project.task.patterns.empty() && !project.dataset))
            fail(QString(), QStringLiteral("there is no trainable project: load a task first"));
        // A dataset task trains on its loaded data, which arrives from a background load.
        if (project.dataset && !m_document->loadedDataset())
            fail(QString(), QStringLiteral("the dataset is not loaded yet: wait until the Dataset panel shows it, "
                                           "then press Set up again"));
        if (action == QLatin1String("start"))
            m_training->start();
        else if (action == QLatin1String("pause"))
            m_training->pause();
        else if (action == QLatin1String("stop"))
            m_training->stopAndWait(); // the session's weights are in the document before the next action
        else if (action == QLatin1String("stepPattern"))
            m_training->stepPattern();
        else if (action == QLatin1String("stepEpoch"))
            m_training->stepEpoch();
        else {
            const int pattern = a.value(QStringLiteral("pattern")).toInt();
            if (pattern < -1 || pattern >= presentedCount())
                fail(QStringLiteral(".pattern"),
                     QStringLiteral("pattern %1 does not exist (the task has %2)").arg(pattern).arg(presentedCount()));
            m_training->followPattern(pattern);
        }
    } else if (action == QLatin1String("showDock") || action == QLatin1String("showTab")) {
        const QString name = a.value(QStringLiteral("name")).toString();
        if (m_shell) {
            Dock dock{};
            Tab tab{};
            const bool shown = action == QLatin1String("showDock") ? dockNamed(name, &dock) && m_shell->showDock(dock)
                                                                   : tabNamed(name, &tab);
            if (!shown)
                fail(QStringLiteral(".name"), QStringLiteral("\"%1\" is not available in this window").arg(name));
            if (action == QLatin1String("showTab"))
                m_shell->showTab(tab);
        }
        done = tr("showed %1").arg(name);
    } else if (action == QLatin1String("inspect")) {
        const int layer = a.value(QStringLiteral("layer")).toInt();
        const int neuron = a.value(QStringLiteral("neuron")).toInt(0);
        const int pattern = a.value(QStringLiteral("pattern")).toInt(-1);
        const int synapse = a.value(QStringLiteral("synapse")).toInt(-1);
        const Network& net = project.network;
        if (layer < 1 || layer > net.layerCount())
            fail(QStringLiteral(".layer"), QStringLiteral("layer %1 does not exist (this network has %2 LIF layers)")
                                               .arg(layer)
                                               .arg(net.layerCount()));
        if (neuron < 0 || neuron >= net.populationSize(layer))
            fail(QStringLiteral(".neuron"), QStringLiteral("neuron %1 does not exist (layer %2 has %3)")
                                                .arg(neuron)
                                                .arg(layer)
                                                .arg(net.populationSize(layer)));
        if (synapse >= net.populationSize(layer - 1))
            fail(QStringLiteral(".synapse"), QStringLiteral("synapse %1 does not exist (layer %2 has %3 inputs)")
                                                 .arg(synapse)
                                                 .arg(layer)
                                                 .arg(net.populationSize(layer - 1)));
        if (pattern >= presentedCount())
            fail(QStringLiteral(".pattern"), QStringLiteral("pattern %1 does not exist").arg(pattern));
        emit inspectRequested(layer, neuron, pattern, synapse);
        done = tr("inspecting layer %1, neuron %2").arg(layer).arg(neuron);
    } else if (action == QLatin1String("showSample") || action == QLatin1String("evaluate") ||
               action == QLatin1String("openMisclassified")) {
        if (!project.dataset)
            fail(QString(), QStringLiteral("this action needs a dataset project: load one first"));
        // A sample can wait for its data (the dataset panel shows it once loaded); an evaluation cannot.
        if (!m_document->loadedDataset() && action != QLatin1String("showSample"))
            fail(QString(), QStringLiteral("the dataset is not loaded yet: wait until the Dataset panel shows it, "
                                           "then press Set up again"));
        if (datasetAction) {
            if (const QString problem = datasetAction(action, a); !problem.isEmpty())
                fail(QString(), problem);
        }
        done = action == QLatin1String("showSample") ? tr("showed %1 sample %2")
                                                           .arg(a.value(QStringLiteral("split")).toString())
                                                           .arg(a.value(QStringLiteral("position")).toInt())
               : action == QLatin1String("evaluate")
                   ? tr("evaluating the %1 split").arg(a.value(QStringLiteral("split")).toString())
                   : tr("opened a misclassified sample");
    } else if (action == QLatin1String("sweep")) {
        const SweepRequest r = sweepRequest(lesson, step, index);
        if (!r.path.isEmpty() &&
            r.task.isEmpty()) { // every value must be settable on this project before anything runs
            for (int i = 0; i < r.values.size(); ++i) {
                try {
                    projectfield::withField(project, r.path, r.values[i]);
                } catch (const std::exception& e) {
                    fail(QStringLiteral(".values[%1]").arg(i), QString::fromStdString(e.what()));
                }
            }
        }
        if (sweep)
            sweep(r);
        done = tr("started a sweep: %1").arg(r.title);
    } else {
        fail(QStringLiteral(".action"), QStringLiteral("unknown action \"%1\"").arg(action));
    }
    emit actionDone(done);
}

} // namespace normad::ui
