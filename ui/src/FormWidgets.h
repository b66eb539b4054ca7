#pragma once

// Internal helpers shared by the designers' forms.

#include <QDoubleSpinBox>
#include <QString>

namespace normad::ui::form {

/// A spin box for a value shown in display units (ms, nA, pF…): commits on editingFinished, not on
/// every keystroke (keyboard tracking off), so each edit is one undo step.
inline QDoubleSpinBox* unitSpinBox(double min, double max, double step, int decimals, const QString& suffix,
                                   const QString& objectName)
{
    auto* s = new QDoubleSpinBox;
    s->setRange(min, max);
    s->setSingleStep(step);
    s->setDecimals(decimals);
    s->setSuffix(suffix);
    s->setObjectName(objectName);
    s->setKeyboardTracking(false);
    return s;
}

} // namespace normad::ui::form
