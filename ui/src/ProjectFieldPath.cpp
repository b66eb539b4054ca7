#include "normad/ui/ProjectFieldPath.h"

#include "normad/ui/ProjectDocument.h"

#include "normad/ProjectFields.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <stdexcept>

namespace normad::ui::projectfield {

namespace {

// A QJsonValue as JSON text for the engine (QJsonDocument holds only objects and arrays).
std::string jsonText(const QJsonValue& value)
{
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2).toStdString();
}

} // namespace

QString checkPath(const QString& path)
{
    return QString::fromStdString(checkFieldPath(path.toStdString()));
}

QString check(const QString& path, const QJsonValue& value)
{
    return QString::fromStdString(checkFieldValue(path.toStdString(), jsonText(value)));
}

Project withField(const Project& project, const QString& path, const QJsonValue& value)
{
    Project edited = project;
    setFieldJson(edited, path.toStdString(), jsonText(value));
    return edited;
}

QJsonValue get(const Project& project, const QString& path)
{
    try {
        // Wrapped in an array: QJsonDocument parses only objects and arrays.
        QByteArray text = QByteArray::fromStdString(getField(project, path.toStdString()));
        text.prepend('[').append(']');
        return QJsonDocument::fromJson(text).array().at(0);
    } catch (const std::invalid_argument&) {
        return QJsonValue(QJsonValue::Undefined);
    }
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
