#include "normad/ui/ProjectFieldPath.h"

#include "normad/ui/ProjectDocument.h"

#include "normad/ProjectIo.h"
#include "normad/TaskGenerators.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <stdexcept>

namespace normad::ui::projectfield {

namespace {

struct Token {
    QString key;     // empty for an index
    int index = -1;  // ≥ 0 for an index
};

// `a.b[2].c` → a, b, [2], c. Empty list if the syntax is wrong.
QList<Token> parse(const QString& path)
{
    static const QRegularExpression segment(QStringLiteral("^([A-Za-z_][A-Za-z0-9_]*)((?:\\[[0-9]+\\])*)$"));
    static const QRegularExpression index(QStringLiteral("\\[([0-9]+)\\]"));
    QList<Token> tokens;
    if (path.isEmpty())
        return {};
    for (const QString& part : path.split(QLatin1Char('.'))) {
        const auto m = segment.match(part);
        if (!m.hasMatch())
            return {};
        tokens.push_back({m.captured(1), -1});
        auto it = index.globalMatch(m.captured(2));
        while (it.hasNext()) {
            bool ok = false;
            const int i = it.next().captured(1).toInt(&ok);
            if (!ok)
                return {};
            tokens.push_back({QString(), i});
        }
    }
    return tokens;
}

QString wildcard(const QList<Token>& tokens)
{
    QString s;
    for (const Token& t : tokens) {
        if (t.index >= 0)
            s += QStringLiteral("[]");
        else
            s += (s.isEmpty() ? QString() : QStringLiteral(".")) + t.key;
    }
    return s;
}

void collect(const QJsonValue& v, const QString& prefix, QHash<QString, QJsonValue::Type>& out)
{
    if (!prefix.isEmpty())
        out.insert(prefix, v.type());
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            collect(it.value(), prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key(), out);
    } else if (v.isArray()) {
        for (const QJsonValue& e : v.toArray())
            collect(e, prefix + QStringLiteral("[]"), out);
    }
}

// Every path the project format writes, with array indices as [] and the JSON type of its value:
// taken from a project the engine serialises, so the list follows the format without upkeep.
const QHash<QString, QJsonValue::Type>& schema()
{
    static const QHash<QString, QJsonValue::Type> table = [] {
        generators::MultilayerOptions o;
        o.inputs = 3;
        o.hidden = {2};
        o.duration = 0.05;
        o.teacher = false;
        Project p = generators::multilayer(1, o);
        p.ensureWeights();
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(projectToJson(p)));
        QHash<QString, QJsonValue::Type> t;
        collect(doc.object(), QString(), t);
        // Per-layer neuron overrides are written only where a layer differs: any key of network.neuron.
        for (auto it = t.cbegin(); it != t.cend(); ++it)
            if (it.key().startsWith(QLatin1String("network.neuron.")))
                t.insert(QStringLiteral("network.layers[].neuron.") + it.key().mid(15), it.value());
        t.insert(QStringLiteral("network.layers[].neuron"), QJsonValue::Object);
        for (const char* internal : {"formatVersion", "generator"})
            t.remove(QString::fromLatin1(internal));
        return t;
    }();
    return table;
}

QString typeName(QJsonValue::Type t)
{
    switch (t) {
    case QJsonValue::Bool: return QStringLiteral("a boolean");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    default: return QStringLiteral("null");
    }
}

QJsonValue setAt(const QJsonValue& node, const QList<Token>& tokens, int i, const QJsonValue& value, const QString& path)
{
    if (i == tokens.size())
        return value;
    const Token& t = tokens[i];
    if (t.index >= 0) {
        QJsonArray a = node.toArray();
        if (!node.isArray() || t.index >= a.size())
            throw std::invalid_argument(QStringLiteral("%1: index %2 is out of range (this project has %3)")
                                            .arg(path)
                                            .arg(t.index)
                                            .arg(node.isArray() ? a.size() : 0)
                                            .toStdString());
        a[t.index] = setAt(a[t.index], tokens, i + 1, value, path);
        return a;
    }
    QJsonObject o = node.toObject();
    QJsonValue child = o.value(t.key);
    if (child.isUndefined()) {
        // Only a per-layer neuron override may be created; everything else the project writes.
        const bool neuronOverride = i >= 3 && tokens[i - 1].key == QLatin1String("neuron") &&
                                    tokens[i - 3].key == QLatin1String("layers");
        const bool neuronObject = t.key == QLatin1String("neuron") && i >= 2 && tokens[i - 2].key == QLatin1String("layers");
        if (!neuronOverride && !neuronObject)
            throw std::invalid_argument(
                QStringLiteral("%1: this project has no field \"%2\"").arg(path, t.key).toStdString());
        if (neuronObject)
            child = QJsonObject();
    }
    o.insert(t.key, setAt(child, tokens, i + 1, value, path));
    return o;
}

} // namespace

QString checkPath(const QString& path)
{
    const QList<Token> tokens = parse(path);
    if (tokens.isEmpty())
        return QStringLiteral("\"%1\" is not a project path (write it as in docs/project-format.md, e.g. "
                              "training.effectiveTimeConstant_s or network.layers[0].learningRate_A)")
            .arg(path);
    if (tokens.front().key == QLatin1String("history"))
        return QStringLiteral("\"%1\": the training history cannot be set").arg(path);
    if (!schema().contains(wildcard(tokens)))
        return QStringLiteral("\"%1\" names no field of the project format (docs/project-format.md)").arg(path);
    return {};
}

QString check(const QString& path, const QJsonValue& value)
{
    if (QString problem = checkPath(path); !problem.isEmpty())
        return problem;
    const QJsonValue::Type expected = schema().value(wildcard(parse(path)));
    if (value.type() != expected)
        return QStringLiteral("\"%1\" takes %2, not %3").arg(path, typeName(expected), typeName(value.type()));
    return {};
}

Project withField(const Project& project, const QString& path, const QJsonValue& value)
{
    if (const QString problem = check(path, value); !problem.isEmpty())
        throw std::invalid_argument(problem.toStdString());
    const QList<Token> tokens = parse(path);
    QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(projectToJson(project)));
    const QJsonValue edited = setAt(doc.object(), tokens, 0, value, path);
    doc.setObject(edited.toObject());
    try {
        return projectFromJson(doc.toJson(QJsonDocument::Compact).toStdString(), path.toStdString());
    } catch (const ProjectError& e) {
        throw std::invalid_argument(
            QStringLiteral("%1: %2").arg(path, QString::fromStdString(e.reason())).toStdString());
    }
}

QJsonValue get(const Project& project, const QString& path)
{
    const QList<Token> tokens = parse(path);
    if (tokens.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(projectToJson(project)));
    QJsonValue v = doc.object();
    for (const Token& t : tokens) {
        if (t.index >= 0) {
            if (!v.isArray() || t.index >= v.toArray().size())
                return QJsonValue(QJsonValue::Undefined);
            v = v.toArray().at(t.index);
        } else {
            if (!v.isObject())
                return QJsonValue(QJsonValue::Undefined);
            v = v.toObject().value(t.key);
        }
    }
    return v;
}

int changesFor(const QString& path)
{
    if (path.startsWith(QLatin1String("training.")) || path == QLatin1String("seed"))
        return ProjectDocument::TrainingChanged;
    if (path.startsWith(QLatin1String("task.")))
        return ProjectDocument::TaskChanged;
    if (path.startsWith(QLatin1String("network.")) || path.startsWith(QLatin1String("synapse.")))
        return ProjectDocument::NetworkChanged | ProjectDocument::WeightsChanged;
    return ProjectDocument::Everything & ~ProjectDocument::HistoryChanged;
}

} // namespace normad::ui::projectfield
