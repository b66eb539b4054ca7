#pragma once

// The built-in examples: the papers' experiments as ready projects, listed once. The command line
// (`normad example`), the workbench's Examples menu and the lessons (`loadExample`, `generate`,
// option sweeps) all read this table, so a new example is one generator and one row in Examples.cpp.

#include "normad/Project.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace normad {

/// A value given to an example's generator option: a number, a flag, a choice's name or a list of
/// whole numbers (layer sizes).
using ExampleSetting = std::variant<double, bool, std::string, std::vector<int>>;
/// Generator options by key; keys not given keep the generator's defaults.
using ExampleSettings = std::map<std::string, ExampleSetting, std::less<>>;

/// Description of one generator option (the fields of normad/TaskGenerators.h's option structs).
struct ExampleOption {
    enum class Kind {
        Real,    ///< a finite number
        Integer, ///< a whole number >= 0
        Boolean,
        Choice,      ///< one of `choices`
        IntegerList, ///< whole numbers >= 1, e.g. hidden-layer sizes
    };
    std::string key; ///< "inputRate"
    Kind kind = Kind::Real;
    std::string help;                 ///< one line, with the SI unit
    std::vector<std::string> choices; ///< Choice: the accepted names
};

/// A data file a dataset example's project references by a path relative to the project: whoever
/// saves the project writes it beside the project file (writeExampleData).
struct ExampleDataFile {
    std::string name;          ///< "iris.csv"
    std::string_view contents; ///< compiled into the program
};

/// One built-in example.
struct Example {
    std::string name;        ///< "xor": the CLI's argument, the lessons' task name
    std::string title;       ///< "Spike-based XOR": menu text and the untitled document's name
    std::string description; ///< one line: what it shows (summary() adds the layer sizes)
    std::vector<ExampleOption> options;
    /// Builds the project (initial weights drawn with `seed`) from settings that check() accepted.
    std::function<Project(std::uint64_t seed, const ExampleSettings& settings)> generate;
    /// Data files the project references relative to itself (dataset examples); empty for the others.
    std::vector<ExampleDataFile> dataFiles;

    /// Throws std::invalid_argument naming the option and the value for a key not in `options`,
    /// a value of the wrong kind or a choice not offered.
    void check(const ExampleSettings& settings) const;
    /// The ready project: check(settings), then generate.
    Project make(std::uint64_t seed, const ExampleSettings& settings = {}) const;
    /// The option called `key`, or nullptr.
    const ExampleOption* option(std::string_view key) const;
    /// "60 inputs → 50 → 1": the layer sizes of the project the default settings build, so the text
    /// cannot drift from the network (a literal once said 20 for 50). Builds that project (cheap for
    /// the menu's examples; not meant for the dataset examples).
    std::string layerSizes() const;
    /// layerSizes() + ": " + description.
    std::string summary() const;
};

/// Writes `example`'s data files into `directory` (created if needed), replacing files of the same
/// name; returns their paths. Throws std::runtime_error naming a file that cannot be written.
std::vector<std::string> writeExampleData(const Example& example, const std::string& directory);

/// The dataset examples (iris, fashion-mnist). Not in examples() (the workbench's menu and the
/// lessons): their projects refer to data files, which whoever saves the project must write beside
/// it (writeExampleData) or find installed. findExample(), example() and exampleNames() cover both.
const std::vector<Example>& datasetExamples();

/// Every built-in example, in menu order.
const std::vector<Example>& examples();
/// The example called `name` (papers' or dataset), or nullptr.
const Example* findExample(std::string_view name);
/// The example called `name`; throws std::invalid_argument "unknown example 'NAME': choose …".
const Example& example(std::string_view name);
/// Every name (the papers' examples, then the dataset examples) joined for messages and usage lines:
/// "xor, multilayer, single, iris or fashion-mnist" with the defaults, "xor|…|fashion-mnist" with
/// separator and lastSeparator "|".
std::string exampleNames(std::string_view separator = ", ", std::string_view lastSeparator = " or ");

} // namespace normad
