#include "normad/ui/RuleText.h"

#include "normad/RuleRegistry.h"

#include <QStringList>

#include <stdexcept>

namespace normad::ui {

QString settingText(const FieldInfo& field, const FieldValue& value)
{
    QString text;
    if (const double* d = std::get_if<double>(&value)) {
        const std::string unit = field.displayUnit.empty() ? field.unit : field.displayUnit;
        text = QString::number(*d * field.displayScale, 'g', 6) +
               (unit.empty() ? QString() : QStringLiteral(" ") + QString::fromStdString(unit));
    } else if (const bool* b = std::get_if<bool>(&value)) {
        text = *b ? QStringLiteral("on") : QStringLiteral("off");
    } else {
        text = QString::fromStdString(std::get<std::string>(value));
    }
    return QString::fromStdString(field.label) + QStringLiteral(" = ") + text;
}

QString ruleSummary(const TrainingParams& training)
{
    const RuleInfo& info = findRule(training.rule);
    QStringList changed;
    FieldValues values;
    try {
        values = training.settings();
    } catch (const std::invalid_argument&) {
        return QString::fromStdString(info.name); // invalid settings are reported where they are edited
    }
    for (const FieldInfo& field : info.parameters)
        if (values.at(field.key) != field.defaultValue)
            changed << settingText(field, values.at(field.key));
    return changed.isEmpty()
               ? QString::fromStdString(info.name)
               : QString::fromStdString(info.name) + QStringLiteral(" ") + changed.join(QStringLiteral(", "));
}

} // namespace normad::ui
