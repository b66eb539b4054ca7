#pragma once

// Internal helpers shared by the designers' forms.

#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QLocale>
#include <QRegularExpression>
#include <QScrollBar>
#include <QString>
#include <QValidator>

namespace normad::ui::form {

/// Lets a scrolling form scroll under the mouse wheel: an unfocused spin box or combo box hands the
/// wheel to the scroll area around it instead of changing its value — a form that scrolls must not
/// edit a setting the pointer happens to pass over. A focused one (clicked or tabbed into) still
/// takes the wheel.
class WheelPassesUnfocused : public QObject {
public:
    using QObject::QObject;

    /// Installs one filter (owned by `form`) on every spin box and combo box under `form`, and lets
    /// them take the focus by click or Tab only, not by the wheel.
    static void install(QWidget* form)
    {
        auto* filter = new WheelPassesUnfocused(form);
        const auto guard = [filter](QWidget* w) {
            w->setFocusPolicy(Qt::StrongFocus);
            w->installEventFilter(filter);
        };
        for (QAbstractSpinBox* box : form->findChildren<QAbstractSpinBox*>())
            guard(box);
        for (QComboBox* box : form->findChildren<QComboBox*>())
            guard(box);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        auto* widget = qobject_cast<QWidget*>(watched);
        if (event->type() != QEvent::Wheel || !widget || widget->hasFocus())
            return false;
        for (QWidget* p = widget->parentWidget(); p; p = p->parentWidget())
            if (auto* area = qobject_cast<QAbstractScrollArea*>(p)) {
                QCoreApplication::sendEvent(area->verticalScrollBar(), event);
                return true;
            }
        return true; // no scroll area: the wheel does nothing here
    }
};

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

/// A spin box for a real setting whose values span decades (SuperSpike's ε = 1e-30) or need more
/// digits than a fixed number of decimals (γ = 0.98347…): it shows up to 12 significant digits,
/// in scientific notation where that is shorter, reads any number typed ("2.5e-28"), and keeps the
/// value exactly as set. A plain QDoubleSpinBox with 4 decimals showed ε as its minimum 0.0001 and
/// γ as 0.9835. Commits on Enter or focus loss, like unitSpinBox.
class RealSpinBox : public QDoubleSpinBox {
public:
    explicit RealSpinBox(QWidget* parent = nullptr) : QDoubleSpinBox(parent)
    {
        setDecimals(323); // no rounding of the value: QDoubleSpinBox rounds to its decimals
        setKeyboardTracking(false);
    }

    QString textFromValue(double value) const override { return QString::number(value, 'g', 12); }

    double valueFromText(const QString& text) const override { return QLocale::c().toDouble(number(text)); }

    QValidator::State validate(QString& text, int&) const override
    {
        const QString t = number(text);
        bool ok = false;
        const double v = QLocale::c().toDouble(t, &ok);
        if (ok)
            return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
        // On the way to a number: "", "-", "1e", "2.5e-".
        static const QRegularExpression partial(QStringLiteral("^[+-]?(\\d+\\.?\\d*|\\.\\d*)?([eE][+-]?\\d*)?$"));
        return partial.match(t).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
    }

private:
    QString number(QString text) const
    {
        if (!prefix().isEmpty() && text.startsWith(prefix()))
            text.remove(0, prefix().size());
        if (!suffix().isEmpty() && text.endsWith(suffix()))
            text.chop(suffix().size());
        return text.trimmed();
    }
};

} // namespace normad::ui::form
