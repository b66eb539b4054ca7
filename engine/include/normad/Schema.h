#pragma once

// One description per setting: the file key, its unit, range, default and one-line help. A struct's
// schema (a list of Field<S>) drives reading, writing, validation messages, the export manifest and
// the GUI's edits by path; a learning rule describes its parameters with the same FieldInfo, so the
// settings panel, run history, inspector and report need no code per rule (docs/architecture.md).

#include <algorithm>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace normad {

/// What a described field holds.
enum class FieldKind {
    Real,    ///< a finite double in [minimum, maximum]
    Integer, ///< a whole number in [minimum, maximum] (stored as double in FieldValue)
    Boolean,
    Choice, ///< one of `choices` (an enum's file name)
};

/// A field's value as it stands in a file: a number (Real, Integer), a flag, or a choice's name.
using FieldValue = std::variant<double, bool, std::string>;
/// Values by key: the settings of a learning rule, or any described struct in generic form.
using FieldValues = std::map<std::string, FieldValue, std::less<>>;

/// Description of one setting. Schemas fill it with designated initializers that name only what
/// is particular to a field; every member has a default member initializer, so GCC's
/// -Wmissing-field-initializers has nothing to say about the others.
struct FieldInfo {
    std::string key{};   ///< key in the project file, unit suffixed as there ("tauEffective_s")
    std::string label{}; ///< short human name for forms and reports ("τL′ of ĥ")
    FieldKind kind = FieldKind::Real;
    std::string unit{}; ///< SI unit of the stored value ("s", "A", "V/s"; "" = dimensionless)
    double minimum = -std::numeric_limits<double>::infinity();
    double maximum = std::numeric_limits<double>::infinity();
    bool minimumExclusive = false;      ///< true: value must be > minimum (e.g. a time constant > 0)
    std::vector<std::string> choices{}; ///< Choice: the accepted names, in display order
    FieldValue defaultValue = 0.0;
    std::string help{};        ///< one line: what it does, in the papers' terms
    double displayScale = 1.0; ///< the GUI shows value × displayScale ...
    std::string displayUnit{}; ///< ... in this unit ("ms"); empty = `unit`
    bool required = false;     ///< a project file must give it (no default is assumed)

    /// Throws std::invalid_argument "`where`.`key`: reason (got value)" if `value` has the wrong
    /// type or lies outside the range or the choices.
    void check(const FieldValue& value, const std::string& where) const;
    /// Why `value` is refused ("must be greater than 0"), or "" if it is accepted. check() without
    /// the path and the value, for callers that name both their own way (the file reader quotes the
    /// value as written).
    std::string problem(const FieldValue& value) const;
    /// The value in words for messages and reports ("0.001", "true", "ode").
    static std::string format(const FieldValue& value);
    /// As format(), with whole numbers of an Integer field written without ".0" ("300").
    std::string text(const FieldValue& value) const;
};

/// A FieldInfo bound to a member of S.
template <class S> struct Field {
    FieldInfo info;
    std::function<FieldValue(const S&)> get;
    std::function<void(S&, const FieldValue&)> set; ///< value already check()ed
};
template <class S> using Schema = std::vector<Field<S>>;

// Binding a description to a member: the kind, the default (S{}'s member) and, for an int, the
// range of int are filled in, so a schema entry states only what is particular to the field.

template <class S> Field<S> bind(FieldInfo info, double S::*member)
{
    info.kind = FieldKind::Real;
    info.defaultValue = S{}.*member;
    return {std::move(info), [member](const S& s) -> FieldValue { return s.*member; },
            [member](S& s, const FieldValue& v) { s.*member = std::get<double>(v); }};
}

template <class S> Field<S> bind(FieldInfo info, int S::*member)
{
    info.kind = FieldKind::Integer;
    info.defaultValue = static_cast<double>(S{}.*member);
    info.minimum = std::max(info.minimum, static_cast<double>(std::numeric_limits<int>::min()));
    info.maximum = std::min(info.maximum, static_cast<double>(std::numeric_limits<int>::max()));
    return {std::move(info), [member](const S& s) -> FieldValue { return static_cast<double>(s.*member); },
            [member](S& s, const FieldValue& v) { s.*member = static_cast<int>(std::get<double>(v)); }};
}

/// A seed or count kept as std::uint64_t: an Integer field limited to [0, 2⁵³], the whole numbers a
/// FieldValue (double) holds exactly.
template <class S> Field<S> bind(FieldInfo info, std::uint64_t S::*member)
{
    info.kind = FieldKind::Integer;
    info.defaultValue = static_cast<double>(S{}.*member);
    info.minimum = std::max(info.minimum, 0.0);
    info.maximum = std::min(info.maximum, 9007199254740992.0);
    return {std::move(info), [member](const S& s) -> FieldValue { return static_cast<double>(s.*member); },
            [member](S& s, const FieldValue& v) { s.*member = static_cast<std::uint64_t>(std::get<double>(v)); }};
}

template <class S> Field<S> bind(FieldInfo info, bool S::*member)
{
    info.kind = FieldKind::Boolean;
    info.defaultValue = S{}.*member;
    return {std::move(info), [member](const S& s) -> FieldValue { return s.*member; },
            [member](S& s, const FieldValue& v) { s.*member = std::get<bool>(v); }};
}

/// An enum member written by name: `values` in display order, named by the enum's toString().
template <class S, class E> Field<S> bind(FieldInfo info, E S::*member, std::initializer_list<E> values)
{
    info.kind = FieldKind::Choice;
    info.choices.clear();
    std::vector<E> table(values);
    for (E e : table)
        info.choices.push_back(toString(e));
    info.defaultValue = toString(S{}.*member);
    return {std::move(info), [member](const S& s) -> FieldValue { return toString(s.*member); },
            [member, table](S& s, const FieldValue& v) {
                for (E e : table)
                    if (toString(e) == std::get<std::string>(v))
                        s.*member = e;
            }};
}

/// The field of `schema` with file key `key`, or nullptr.
template <class S> const Field<S>* findField(const Schema<S>& schema, std::string_view key)
{
    for (const Field<S>& f : schema)
        if (f.info.key == key)
            return &f;
    return nullptr;
}

/// check()s every field of `s`; the first refusal throws std::invalid_argument "`where`.key: …".
template <class S> void checkFields(const Schema<S>& schema, const S& s, const std::string& where)
{
    for (const Field<S>& f : schema)
        f.info.check(f.get(s), where);
}

/// The values of every field of `s`, by key.
template <class S> FieldValues valuesOf(const Schema<S>& schema, const S& s)
{
    FieldValues values;
    for (const Field<S>& f : schema)
        values[f.info.key] = f.get(s);
    return values;
}

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
