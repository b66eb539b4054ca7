#pragma once

// What several commands share: reading the input project, preparing the output folder, writing a
// file, and the few text forms that appear in more than one command's output.

#include "normad/Project.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace normad::cli {

using Json = nlohmann::ordered_json;

/// Loads a project; a file that cannot be read or is invalid is bad input (exit 2), so the
/// ProjectError (a runtime_error naming file, field and value) is re-thrown as invalid_argument.
Project loadInputProject(const std::string& path);

/// Creates the output folder and checks it is writable before any long work starts, so a typo
/// in --out fails in a second rather than after an hour of training.
std::filesystem::path prepareOutputFolder(const std::string& dir);

/// "<stem of projectPath><suffix>", e.g. "single-run" for "examples/single.json" and "-run".
std::string defaultOutputFolder(const std::string& projectPath, std::string_view suffix);

/// Writes `contents` to `path` atomically (no half-written result after a crash or Ctrl-C).
void writeText(const std::filesystem::path& path, const std::string& contents);

/// The cores this process may run on: its CPU affinity mask (what SLURM, taskset or a container
/// grant it), else std::thread::hardware_concurrency(); at least 1. The default of --threads, so a
/// SLURM task with --cpus-per-task=4 on a 64-core node runs 4 things at a time, not 64.
int availableCores();

/// printf-style formatting of one number for the human-readable output ("%.4f"), in the "C"
/// locale (the CLI never calls setlocale), so the decimal point is always '.'.
std::string formatted(const char* format, double value);

/// One JSON line of the --json outputs; invalid UTF-8 (e.g. in a file name) is replaced, not thrown on.
std::string dumpJson(const Json& j);

/// "60 inputs, LIF layers 50-1, 4 pattern(s), T = 200 ms, dt = 0.1 ms".
std::string describeTopology(const Project& p);

/// `normad: <message>` on one line: embedded line breaks become spaces, so a failure is always
/// exactly one line on stderr.
std::string errorLine(std::string_view message);

} // namespace normad::cli
