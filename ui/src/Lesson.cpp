#include "normad/ui/Lesson.h"

#include "normad/ui/ProjectFieldPath.h"

#include "normad/Examples.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <cmath>
#include <map>

// Bundled lessons live in a static library: its resources must be registered explicitly.
static void initLessonResources()
{
    Q_INIT_RESOURCE(lessons);
}

namespace normad::ui {

namespace {

QString describe(const QString& file, int step, const QString& field, const QString& reason)
{
    QString where = QStringLiteral("lesson %1").arg(file);
    if (step > 0)
        where += QStringLiteral(", step %1").arg(step);
    if (!field.isEmpty())
        where += QStringLiteral(", field %1").arg(field);
    return where + QStringLiteral(": ") + reason;
}

enum class Kind { String, Integer, Number, Bool, Object, IntArray, NumberArray, StringArray, Any };

struct FieldSpec {
    FieldSpec(QString n, Kind k, bool r = false, QStringList c = {})
        : name(std::move(n)), kind(k), required(r), choices(std::move(c))
    {
    }
    QString name;
    Kind kind;
    bool required = false;
    QStringList choices; // for strings: the accepted values
};

using Vocabulary = std::map<QString, QList<FieldSpec>>;

QStringList exampleNameList()
{
    QStringList names;
    for (const Example& e : examples())
        names << QString::fromStdString(e.name);
    return names;
}

// The dataset examples a lesson may load: those whose data is installed (fashion-mnist), not those
// whose files would have to be written beside a saved project first (iris).
QStringList loadableNameList()
{
    QStringList names = exampleNameList();
    for (const Example& e : datasetExamples())
        if (e.dataFiles.empty())
            names << QString::fromStdString(e.name);
    return names;
}

QStringList splitNames()
{
    return {QStringLiteral("train"), QStringLiteral("validation"), QStringLiteral("test")};
}

const Vocabulary& actions()
{
    static const Vocabulary v = {
        {QStringLiteral("loadExample"),
         {{QStringLiteral("name"), Kind::String, true, loadableNameList()},
          {QStringLiteral("seed"), Kind::Integer},
          {QStringLiteral("pace"), Kind::Number}}},
        {QStringLiteral("generate"),
         {{QStringLiteral("task"), Kind::String, true, loadableNameList()},
          {QStringLiteral("seed"), Kind::Integer},
          {QStringLiteral("name"), Kind::String},
          {QStringLiteral("options"), Kind::Object},
          {QStringLiteral("pace"), Kind::Number}}},
        {QStringLiteral("set"),
         {{QStringLiteral("path"), Kind::String, true}, {QStringLiteral("value"), Kind::Any, true}}},
        {QStringLiteral("freezeLayer"),
         {{QStringLiteral("layer"), Kind::Integer, true}, {QStringLiteral("frozen"), Kind::Bool}}},
        {QStringLiteral("resetWeights"), {{QStringLiteral("seed"), Kind::Integer}}},
        {QStringLiteral("start"), {}},
        {QStringLiteral("pause"), {}},
        {QStringLiteral("stop"), {}},
        {QStringLiteral("stepPattern"), {}},
        {QStringLiteral("stepEpoch"), {}},
        {QStringLiteral("followPattern"), {{QStringLiteral("pattern"), Kind::Integer, true}}},
        {QStringLiteral("showDock"),
         {{QStringLiteral("name"),
           Kind::String,
           true,
           {QStringLiteral("lessons"), QStringLiteral("inspector"), QStringLiteral("curves"), QStringLiteral("weights"),
            QStringLiteral("settings"), QStringLiteral("history"), QStringLiteral("dataset"),
            QStringLiteral("accuracy"), QStringLiteral("confusion")}}}},
        {QStringLiteral("showTab"),
         {{QStringLiteral("name"),
           Kind::String,
           true,
           {QStringLiteral("live"), QStringLiteral("network"), QStringLiteral("task")}}}},
        {QStringLiteral("inspect"),
         {{QStringLiteral("layer"), Kind::Integer, true},
          {QStringLiteral("neuron"), Kind::Integer},
          {QStringLiteral("pattern"), Kind::Integer},
          {QStringLiteral("synapse"), Kind::Integer}}},
        {QStringLiteral("showSample"),
         {{QStringLiteral("split"), Kind::String, true, splitNames()},
          {QStringLiteral("position"), Kind::Integer, true}}},
        {QStringLiteral("evaluate"), {{QStringLiteral("split"), Kind::String, true, splitNames()}}},
        {QStringLiteral("openMisclassified"), {}},
        {QStringLiteral("sweep"),
         {{QStringLiteral("title"), Kind::String},
          {QStringLiteral("path"), Kind::String},
          {QStringLiteral("option"), Kind::String},
          {QStringLiteral("task"), Kind::String, false, exampleNameList()},
          {QStringLiteral("options"), Kind::Object},
          {QStringLiteral("values"), Kind::NumberArray, true},
          {QStringLiteral("labels"), Kind::StringArray},
          {QStringLiteral("seed"), Kind::Integer},
          {QStringLiteral("maxEpochs"), Kind::Integer}}},
    };
    return v;
}

// Options of the engine's examples (normad/Examples.h), by example name.
const Vocabulary& generatorOptions()
{
    static const Vocabulary v = [] {
        Vocabulary vocabulary;
        std::vector<const Example*> all;
        for (const Example& e : examples())
            all.push_back(&e);
        for (const Example& e : datasetExamples())
            all.push_back(&e);
        for (const Example* example : all) {
            const Example& e = *example;
            QList<FieldSpec>& specs = vocabulary[QString::fromStdString(e.name)];
            for (const ExampleOption& o : e.options) {
                QStringList choices;
                for (const std::string& c : o.choices)
                    choices << QString::fromStdString(c);
                const Kind kind = o.kind == ExampleOption::Kind::Real      ? Kind::Number
                                  : o.kind == ExampleOption::Kind::Integer ? Kind::Integer
                                  : o.kind == ExampleOption::Kind::Boolean ? Kind::Bool
                                  : o.kind == ExampleOption::Kind::Choice  ? Kind::String
                                                                           : Kind::IntArray;
                specs.append(FieldSpec(QString::fromStdString(o.key), kind, false, choices));
            }
        }
        return vocabulary;
    }();
    return v;
}

bool isInteger(const QJsonValue& v)
{
    return v.isDouble() && std::isfinite(v.toDouble()) && std::floor(v.toDouble()) == v.toDouble();
}

QString kindName(Kind k)
{
    switch (k) {
    case Kind::String:
        return QStringLiteral("a string");
    case Kind::Integer:
        return QStringLiteral("an integer");
    case Kind::Number:
        return QStringLiteral("a number");
    case Kind::Bool:
        return QStringLiteral("true or false");
    case Kind::Object:
        return QStringLiteral("an object");
    case Kind::IntArray:
        return QStringLiteral("an array of integers");
    case Kind::NumberArray:
        return QStringLiteral("an array of numbers");
    case Kind::StringArray:
        return QStringLiteral("an array of strings");
    case Kind::Any:
        return QStringLiteral("a value");
    }
    return {};
}

bool matches(const QJsonValue& v, Kind k)
{
    auto all = [&](auto pred) {
        if (!v.isArray())
            return false;
        for (const QJsonValue& e : v.toArray())
            if (!pred(e))
                return false;
        return true;
    };
    switch (k) {
    case Kind::String:
        return v.isString();
    case Kind::Integer:
        return isInteger(v);
    case Kind::Number:
        return v.isDouble();
    case Kind::Bool:
        return v.isBool();
    case Kind::Object:
        return v.isObject();
    case Kind::IntArray:
        return all(isInteger);
    case Kind::NumberArray:
        return all([](const QJsonValue& e) { return e.isDouble(); });
    case Kind::StringArray:
        return all([](const QJsonValue& e) { return e.isString(); });
    case Kind::Any:
        return !v.isNull() && !v.isUndefined();
    }
    return false;
}

// Checks `object` against `specs`; `prefix` is the field path so far ("actions[1]").
void checkFields(const QJsonObject& object, const QList<FieldSpec>& specs, const QString& file, int step,
                 const QString& prefix)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (prefix.endsWith(QLatin1Char(']')) && it.key() == QLatin1String("action"))
            continue;
        bool known = false;
        for (const FieldSpec& s : specs)
            known = known || s.name == it.key();
        if (!known) {
            QStringList names;
            for (const FieldSpec& s : specs)
                names << s.name;
            throw LessonError(
                file, step, prefix + QLatin1Char('.') + it.key(),
                names.isEmpty()
                    ? QStringLiteral("unknown field (this action takes none)")
                    : QStringLiteral("unknown field (expected one of: %1)").arg(names.join(QStringLiteral(", "))));
        }
    }
    for (const FieldSpec& s : specs) {
        const QJsonValue v = object.value(s.name);
        const QString field = prefix + QLatin1Char('.') + s.name;
        if (v.isUndefined()) {
            if (s.required)
                throw LessonError(file, step, field, QStringLiteral("missing (required)"));
            continue;
        }
        if (!matches(v, s.kind))
            throw LessonError(file, step, field, QStringLiteral("must be %1").arg(kindName(s.kind)));
        if (!s.choices.isEmpty() && !s.choices.contains(v.toString()))
            throw LessonError(
                file, step, field,
                QStringLiteral("\"%1\" is not one of: %2").arg(v.toString(), s.choices.join(QStringLiteral(", "))));
    }
}

void checkAction(const QJsonObject& a, const QString& file, int step, const QString& prefix)
{
    const QJsonValue name = a.value(QStringLiteral("action"));
    if (!name.isString())
        throw LessonError(file, step, prefix + QStringLiteral(".action"),
                          QStringLiteral("missing: every action names what it does"));
    const auto spec = actions().find(name.toString());
    if (spec == actions().end())
        throw LessonError(file, step, prefix + QStringLiteral(".action"),
                          QStringLiteral("unknown action \"%1\" (known: %2)")
                              .arg(name.toString(), lessonActionNames().join(QStringLiteral(", "))));
    checkFields(a, spec->second, file, step, prefix);
    const QString action = name.toString();
    if (action == QLatin1String("generate")) {
        const QString task = a.value(QStringLiteral("task")).toString();
        checkFields(a.value(QStringLiteral("options")).toObject(), generatorOptions().at(task), file, step,
                    prefix + QStringLiteral(".options"));
    } else if (action == QLatin1String("set")) {
        const QString path = a.value(QStringLiteral("path")).toString();
        if (const QString problem = projectfield::checkPath(path); !problem.isEmpty())
            throw LessonError(file, step, prefix + QStringLiteral(".path"), problem);
        if (const QString problem = projectfield::check(path, a.value(QStringLiteral("value"))); !problem.isEmpty())
            throw LessonError(file, step, prefix + QStringLiteral(".value"), problem);
    } else if (action == QLatin1String("sweep")) {
        const bool path = a.contains(QStringLiteral("path")), option = a.contains(QStringLiteral("option"));
        if (path == option)
            throw LessonError(file, step, prefix,
                              QStringLiteral("a sweep varies either a project \"path\" or a generator \"option\""));
        const QJsonArray values = a.value(QStringLiteral("values")).toArray();
        if (values.size() < 2 || values.size() > 8)
            throw LessonError(file, step, prefix + QStringLiteral(".values"),
                              QStringLiteral("a sweep needs 2 to 8 values"));
        if (a.contains(QStringLiteral("labels")) && a.value(QStringLiteral("labels")).toArray().size() != values.size())
            throw LessonError(file, step, prefix + QStringLiteral(".labels"),
                              QStringLiteral("needs one label per value"));
        if (a.contains(QStringLiteral("task")))
            checkFields(a.value(QStringLiteral("options")).toObject(),
                        generatorOptions().at(a.value(QStringLiteral("task")).toString()), file, step,
                        prefix + QStringLiteral(".options"));
        else if (a.contains(QStringLiteral("options")))
            throw LessonError(file, step, prefix + QStringLiteral(".options"),
                              QStringLiteral("generator options need a \"task\""));
        if (path) {
            const QString p = a.value(QStringLiteral("path")).toString();
            if (const QString problem = projectfield::checkPath(p); !problem.isEmpty())
                throw LessonError(file, step, prefix + QStringLiteral(".path"), problem);
            if (const QString problem = projectfield::check(p, values.first()); !problem.isEmpty())
                throw LessonError(file, step, prefix + QStringLiteral(".values"), problem);
        } else {
            if (!a.contains(QStringLiteral("task")))
                throw LessonError(file, step, prefix + QStringLiteral(".task"),
                                  QStringLiteral("an option sweep names the generator task"));
            const QString task = a.value(QStringLiteral("task")).toString();
            const QList<FieldSpec>& specs = generatorOptions().at(task);
            const QString opt = a.value(QStringLiteral("option")).toString();
            const auto it = std::find_if(specs.begin(), specs.end(), [&](const FieldSpec& s) { return s.name == opt; });
            if (it == specs.end() || (it->kind != Kind::Number && it->kind != Kind::Integer))
                throw LessonError(file, step, prefix + QStringLiteral(".option"),
                                  QStringLiteral("\"%1\" is not a numeric option of the %2 generator").arg(opt, task));
            if (it->kind == Kind::Integer)
                for (const QJsonValue& v : values)
                    if (!isInteger(v))
                        throw LessonError(file, step, prefix + QStringLiteral(".values"),
                                          QStringLiteral("%1 takes integers").arg(opt));
        }
        if (a.value(QStringLiteral("maxEpochs")).toInt(1) < 1)
            throw LessonError(file, step, prefix + QStringLiteral(".maxEpochs"), QStringLiteral("must be at least 1"));
    } else if (action == QLatin1String("freezeLayer") || action == QLatin1String("inspect")) {
        if (a.value(QStringLiteral("layer")).toInt() < 1)
            throw LessonError(file, step, prefix + QStringLiteral(".layer"),
                              QStringLiteral("layers count from 1 (the first LIF layer)"));
    }
}

QString requireString(const QJsonObject& o, const QString& key, const QString& file, int step, const QString& prefix,
                      bool required = true)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() && !required)
        return {};
    if (!v.isString())
        throw LessonError(file, step, prefix + key,
                          v.isUndefined() ? QStringLiteral("missing (required)") : QStringLiteral("must be a string"));
    return v.toString();
}

void refuseUnknown(const QJsonObject& o, const QStringList& known, const QString& file, int step, const QString& prefix)
{
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!known.contains(it.key()))
            throw LessonError(
                file, step, prefix + it.key(),
                QStringLiteral("unknown field (expected one of: %1)").arg(known.join(QStringLiteral(", "))));
}

} // namespace

LessonError::LessonError(const QString& file, int step, const QString& field, const QString& reason)
    : std::runtime_error(describe(file, step, field, reason).toStdString()), m_file(file), m_field(field), m_step(step)
{
}

QStringList lessonActionNames()
{
    QStringList names;
    for (const auto& [name, spec] : actions())
        names << name;
    return names;
}

Lesson parseLesson(const QByteArray& json, const QString& source)
{
    const QString file = source;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        throw LessonError(file, 0, QString(),
                          QStringLiteral("not valid JSON at offset %1: %2").arg(error.offset).arg(error.errorString()));
    if (!doc.isObject())
        throw LessonError(file, 0, QString(), QStringLiteral("the top level must be an object"));
    const QJsonObject top = doc.object();
    refuseUnknown(
        top,
        {QStringLiteral("lessonFormat"), QStringLiteral("title"), QStringLiteral("summary"), QStringLiteral("steps")},
        file, 0, QString());
    const QJsonValue format = top.value(QStringLiteral("lessonFormat"));
    if (!isInteger(format))
        throw LessonError(file, 0, QStringLiteral("lessonFormat"),
                          QStringLiteral("missing or not an integer (write 1)"));
    if (format.toInt() != 1)
        throw LessonError(
            file, 0, QStringLiteral("lessonFormat"),
            QStringLiteral("version %1 is not supported (this program reads version 1)").arg(format.toInt()));
    Lesson lesson;
    lesson.source = source;
    lesson.title = requireString(top, QStringLiteral("title"), file, 0, QString());
    lesson.summary = requireString(top, QStringLiteral("summary"), file, 0, QString(), false);
    const QJsonValue steps = top.value(QStringLiteral("steps"));
    if (!steps.isArray() || steps.toArray().isEmpty())
        throw LessonError(file, 0, QStringLiteral("steps"), QStringLiteral("must be a non-empty array of steps"));
    int number = 0;
    for (const QJsonValue& sv : steps.toArray()) {
        ++number;
        if (!sv.isObject())
            throw LessonError(file, number, QString(), QStringLiteral("a step must be an object"));
        const QJsonObject so = sv.toObject();
        refuseUnknown(
            so,
            {QStringLiteral("title"), QStringLiteral("text"), QStringLiteral("actions"), QStringLiteral("questions")},
            file, number, QString());
        LessonStep step;
        step.title = requireString(so, QStringLiteral("title"), file, number, QString(), false);
        step.text = requireString(so, QStringLiteral("text"), file, number, QString());
        const QJsonValue av = so.value(QStringLiteral("actions"));
        if (!av.isUndefined() && !av.isArray())
            throw LessonError(file, number, QStringLiteral("actions"), QStringLiteral("must be an array"));
        int i = 0;
        for (const QJsonValue& a : av.toArray()) {
            const QString prefix = QStringLiteral("actions[%1]").arg(i++);
            if (!a.isObject())
                throw LessonError(file, number, prefix, QStringLiteral("an action must be an object"));
            checkAction(a.toObject(), file, number, prefix);
            step.actions.push_back({a.toObject().value(QStringLiteral("action")).toString(), a.toObject()});
        }
        const QJsonValue qv = so.value(QStringLiteral("questions"));
        if (!qv.isUndefined() && !qv.isArray())
            throw LessonError(file, number, QStringLiteral("questions"), QStringLiteral("must be an array"));
        i = 0;
        for (const QJsonValue& q : qv.toArray()) {
            const QString prefix = QStringLiteral("questions[%1].").arg(i++);
            if (!q.isObject())
                throw LessonError(file, number, prefix.chopped(1), QStringLiteral("a question must be an object"));
            refuseUnknown(q.toObject(), {QStringLiteral("question"), QStringLiteral("answer")}, file, number, prefix);
            step.questions.push_back({requireString(q.toObject(), QStringLiteral("question"), file, number, prefix),
                                      requireString(q.toObject(), QStringLiteral("answer"), file, number, prefix)});
        }
        lesson.steps.push_back(step);
    }
    return lesson;
}

Lesson loadLesson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw LessonError(path, 0, QString(), QStringLiteral("cannot be read: %1").arg(f.errorString()));
    if (f.size() > 4 * 1024 * 1024)
        throw LessonError(path, 0, QString(), QStringLiteral("is larger than 4 MiB; a lesson is a small text file"));
    return parseLesson(f.readAll(), path);
}

QStringList bundledLessonPaths()
{
    static const bool registered = (initLessonResources(), true);
    Q_UNUSED(registered);
    QStringList paths;
    const QDir dir(QStringLiteral(":/lessons"));
    for (const QString& name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        paths << dir.filePath(name);
    return paths;
}

} // namespace normad::ui
