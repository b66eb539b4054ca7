#pragma once

// One description per setting: the file key, its unit, range, default and one-line help. A struct's
// schema (a list of Field<S>) drives reading, writing, validation messages, the export manifest and
// the GUI's edits by path; a learning rule describes its parameters with the same FieldInfo, so the
// settings panel, run history, inspector and report need no code per rule (docs/architecture.md).

#include <functional>
#include <limits>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace normad {

/// What a described field holds.
enum class FieldKind {
    Real,     ///< a finite double in [minimum, maximum]
    Integer,  ///< a whole number in [minimum, maximum] (stored as double in FieldValue)
    Boolean,
    Choice,   ///< one of `choices` (an enum's file name)
};

/// A field's value as it stands in a file: a number (Real, Integer), a flag, or a choice's name.
using FieldValue = std::variant<double, bool, std::string>;
/// Values by key: the settings of a learning rule, or any described struct in generic form.
using FieldValues = std::map<std::string, FieldValue, std::less<>>;

/// Description of one setting.
struct FieldInfo {
    std::string key;      ///< key in the project file, unit suffixed as there ("tauEffective_s")
    std::string label;    ///< short human name for forms and reports ("τL′ of ĥ")
    FieldKind kind = FieldKind::Real;
    std::string unit;     ///< SI unit of the stored value ("s", "A", "V/s"; "" = dimensionless)
    double minimum = -std::numeric_limits<double>::infinity();
    double maximum = std::numeric_limits<double>::infinity();
    bool minimumExclusive = false;  ///< true: value must be > minimum (e.g. a time constant > 0)
    std::vector<std::string> choices;  ///< Choice: the accepted names, in display order
    FieldValue defaultValue = 0.0;
    std::string help;     ///< one line: what it does, in the papers' terms
    double displayScale = 1.0;  ///< the GUI shows value × displayScale ...
    std::string displayUnit;    ///< ... in this unit ("ms"); empty = `unit`

    /// Throws std::invalid_argument "`where`.`key`: reason (got value)" if `value` has the wrong
    /// type or lies outside the range or the choices.
    void check(const FieldValue& value, const std::string& where) const;
    /// The value in words for messages and reports ("0.001", "true", "ode").
    static std::string format(const FieldValue& value);
};

/// A FieldInfo bound to a member of S.
template <class S>
struct Field {
    FieldInfo info;
    std::function<FieldValue(const S&)> get;
    std::function<void(S&, const FieldValue&)> set;  ///< value already check()ed
};
template <class S>
using Schema = std::vector<Field<S>>;

/// Defaults of a list of descriptions, by key.
FieldValues defaults(const std::vector<FieldInfo>& fields);
/// `values` completed with the defaults of `fields` and check()ed; throws std::invalid_argument
/// naming `where`.key for a wrong value or a key no field describes.
FieldValues completed(const std::vector<FieldInfo>& fields, const FieldValues& values, const std::string& where);

/// Typed access to a checked FieldValues.
double realValue(const FieldValues& values, const std::string& key);
int integerValue(const FieldValues& values, const std::string& key);
bool booleanValue(const FieldValues& values, const std::string& key);
const std::string& choiceValue(const FieldValues& values, const std::string& key);

} // namespace normad
