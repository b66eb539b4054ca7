#include "normad/SweepPlan.h"

#include "JsonReader.h"

#include "normad/ProjectFields.h"
#include "normad/ProjectIo.h"
#include "normad/TextFormat.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace normad {

namespace {

namespace fs = std::filesystem;
using detail::Json;
using detail::JsonReader;

/// More runs than this is a typo in a range, not a study (and the plan is kept in memory).
constexpr std::size_t maxRuns = 1'000'000;
constexpr int sweepFormatVersion = 1;

const std::vector<std::string>& knownKeys()
{
    static const std::vector<std::string> keys = {"formatVersion", "project", "seeds", "epochs",
                                                  "weights",       "set",     "grid",  "runs"};
    return keys;
}

std::string joined(const std::vector<std::string>& items)
{
    std::string s;
    for (const std::string& item : items)
        s += (s.empty() ? "" : ", ") + item;
    return s;
}

std::size_t editDistance(const std::string& a, const std::string& b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::string lower(std::string s)
{
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// The last key of a path without its unit suffix: `network.layers[0].learningRate_A` → learningrate.
std::string lastKey(const std::string& path)
{
    std::string key = path.substr(path.find_last_of('.') + 1);
    key = key.substr(0, key.find('['));
    return lower(key.substr(0, key.find('_')));
}

/// Every settable leaf of a project document: objects are descended, the layer list by index;
/// other arrays (weights, rasters, spike lists) are leaves.
void collectPaths(const Json& v, const std::string& path, std::vector<std::string>& out)
{
    if (v.is_object()) {
        for (const auto& [key, value] : v.items())
            collectPaths(value, path.empty() ? key : path + "." + key, out);
        return;
    }
    if (v.is_array() && path == "network.layers") {
        for (std::size_t i = 0; i < v.size(); ++i)
            collectPaths(v[i], detail::indexPath(path, i), out);
        return;
    }
    if (checkFieldPath(path).empty())
        out.push_back(path);
}

/// A JSON value as the text setFieldJson takes: the value exactly as written in the sweep file
/// (numbers keep their spelling, so 1e-9 stays 1e-9).
std::string valueText(const Json& v)
{
    return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

class SweepReader {
public:
    SweepReader(const std::string& source, const Project& base) : m_r(source), m_source(source), m_base(base) { }

    /// Checks `path` (as written at `field` of the file) names a settable field; returns its canonical form.
    std::string checkPath(const std::string& written, const std::string& field) const
    {
        const std::string path = canonicalFieldPath(written);
        if (path == "seed" && m_hasSeeds)
            m_r.fail(field, "\"seed\" is swept by \"seeds\"; set seeds there, not as a parameter");
        if (const std::string reason = checkFieldPath(path); !reason.empty()) {
            const std::vector<std::string> similar = similarFieldPaths(m_base, path);
            m_r.fail(field, quotedText(written) + " names no settable field of the project" +
                                (similar.empty() ? std::string() : " (similar: " + joined(similar) + ")") +
                                "; the paths are those of the project file, docs/project-format.md");
        }
        return path;
    }

    /// Sets `value` at `path` of `project`, naming `field` of the sweep file on refusal.
    void apply(Project& project, const std::string& path, const Json& value, const std::string& field) const
    {
        try {
            setFieldJson(project, path, valueText(value));
        } catch (const std::invalid_argument& e) {
            std::string reason = e.what();
            if (reason.find(valueText(value)) == std::string::npos)
                reason += " (value " + valueText(value) + ")";
            if (m_weightsFromProject && project.hasWeights)
                reason += "; with \"weights\": \"project\" the base project's weights must fit every run";
            m_r.fail(field, reason);
        }
    }

    const JsonReader& reader() const { return m_r; }
    bool m_hasSeeds = false;
    bool m_weightsFromProject = false;

private:
    JsonReader m_r;
    std::string m_source;
    const Project& m_base;
};

std::vector<std::uint64_t> readSeeds(const JsonReader& r, const Json& v, std::uint64_t projectSeed)
{
    constexpr long long maxSeed = std::numeric_limits<long long>::max();
    std::vector<std::uint64_t> seeds;
    if (v.is_null())
        return {projectSeed};
    if (v.is_array()) {
        if (v.empty())
            r.fail("seeds", "the list is empty (leave \"seeds\" out to use the project's seed)");
        for (std::size_t i = 0; i < v.size(); ++i)
            seeds.push_back(static_cast<std::uint64_t>(r.integer(v[i], detail::indexPath("seeds", i), 0, maxSeed)));
        for (std::size_t i = 0; i < seeds.size(); ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (seeds[i] == seeds[j])
                    r.fail(detail::indexPath("seeds", i),
                           "seed " + std::to_string(seeds[i]) + " is listed twice (every run must differ)");
        return seeds;
    }
    if (!v.is_object())
        r.fail("seeds", "expected a list of seeds or a range {\"from\": S, \"to\": E}, got " + detail::describe(v));
    for (const auto& [key, value] : v.items())
        if (key != "from" && key != "to")
            r.fail("seeds." + key, "unknown key (a range has \"from\" and \"to\")");
    const long long from = r.integer(r.require(v, "seeds", "from"), "seeds.from", 0, maxSeed);
    const long long to = r.integer(r.require(v, "seeds", "to"), "seeds.to", 0, maxSeed);
    if (to < from)
        r.fail("seeds.to",
               "must be at least seeds.from (" + std::to_string(from) + ") (got " + std::to_string(to) + ")");
    if (static_cast<unsigned long long>(to - from) >= maxRuns)
        r.fail("seeds.to", "the range has more than " + std::to_string(maxRuns) + " seeds (got " +
                               std::to_string(from) + " … " + std::to_string(to) + ")");
    for (long long s = from; s <= to; ++s)
        seeds.push_back(static_cast<std::uint64_t>(s));
    return seeds;
}

/// The keys of the object at `where` (a path of keys and indices) in the order of the file: the
/// reader's documents sort keys, but a grid's order is the table's column order and its nesting.
std::vector<std::string> keysInFileOrder(const nlohmann::ordered_json& root, const std::vector<Json>& where)
{
    const nlohmann::ordered_json* v = &root;
    for (const Json& step : where)
        v = step.is_string() ? &(*v)[step.get<std::string>()] : &(*v)[step.get<std::size_t>()];
    std::vector<std::string> keys;
    for (const auto& [key, value] : v->items())
        keys.push_back(key);
    return keys;
}

std::string readText(const std::string& file)
{
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec)
        throw ProjectError(file, "", "cannot read the sweep file: " + ec.message());
    if (size > static_cast<std::uintmax_t>(maxProjectFileBytes))
        throw ProjectError(file, "", "the file is too large for a sweep file (" + std::to_string(size) + " bytes)");
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof())
        throw ProjectError(file, "", "cannot read the sweep file");
    return text.str();
}

} // namespace

std::string canonicalFieldPath(const std::string& path)
{
    std::string out;
    std::size_t begin = 0;
    while (begin <= path.size()) {
        const std::size_t end = std::min(path.find('.', begin), path.size());
        const std::string segment = path.substr(begin, end - begin);
        const bool numeric = !segment.empty() && std::all_of(segment.begin(), segment.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        });
        if (numeric && !out.empty())
            out += "[" + segment + "]";
        else
            out += (out.empty() && begin == 0 ? "" : ".") + segment;
        begin = end + 1;
    }
    return out;
}

std::vector<std::string> similarFieldPaths(const Project& project, const std::string& path, std::size_t limit)
{
    std::vector<std::string> candidates;
    try {
        collectPaths(detail::parseJson(projectToJson(project), "project"), "", candidates);
    } catch (const std::exception&) {
        return {}; // a project that cannot be written (non-finite weights) has no suggestions
    }
    const std::string key = lastKey(path);
    std::vector<std::pair<std::size_t, std::string>> ranked;
    for (const std::string& c : candidates) {
        const std::string candidateKey = lastKey(c);
        // The same key in another place ranks first: `training.normad.learningRate` is most likely
        // one of the layers' learningRate_A.
        const bool sameKey = !key.empty() && (candidateKey == key || (key.size() >= 4 && candidateKey.find(key) == 0));
        ranked.emplace_back(sameKey ? 0 : 1 + editDistance(lower(path), lower(c)), c);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> similar;
    const bool anySameKey = !ranked.empty() && ranked.front().first == 0;
    for (const auto& [distance, c] : ranked) {
        // The same key elsewhere says it all; otherwise only paths a few edits away.
        if (similar.size() >= limit || (distance > 0 && (anySameKey || distance > 1 + path.size() / 2)))
            break;
        similar.push_back(c);
    }
    return similar;
}

std::string sweepRunId(std::size_t index, std::size_t count)
{
    std::string digits = std::to_string(index);
    const std::size_t width = std::max<std::size_t>(4, std::to_string(count > 0 ? count - 1 : 0).size());
    return "run-" + std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

std::string SweepPlan::projectReference(const std::string& text, const std::string& source)
{
    const JsonReader r(source);
    const Json root = detail::parseJson(text, source);
    r.object(root, "");
    return r.text(r.require(root, "", "project"), "project");
}

SweepPlan SweepPlan::load(const std::string& file)
{
    const std::string text = readText(file);
    const fs::path reference(projectReference(text, file));
    const fs::path projectPath = reference.is_absolute() ? reference : fs::path(file).parent_path() / reference;
    Project base;
    try {
        base = loadProject(projectPath.lexically_normal().string());
    } catch (const ProjectError& e) {
        // The project's own message, and which sweep file named it.
        throw ProjectError(file, "project", e.what());
    }
    return fromJson(text, file, base, projectPath.lexically_normal().string());
}

SweepPlan SweepPlan::fromJson(const std::string& text, const std::string& source, const Project& baseProject,
                              const std::string& projectPath)
{
    SweepPlan plan;
    plan.m_source = source;
    plan.m_projectPath = projectPath;
    plan.m_base = baseProject;
    plan.m_base.history.clear();

    SweepReader sweep(source, plan.m_base);
    const JsonReader& r = sweep.reader();
    const Json root = detail::parseJson(text, source);
    r.object(root, "");
    const auto ordered = nlohmann::ordered_json::parse(text, nullptr, false); // valid: parsed above
    // Unlike a project file, unknown keys are refused: a misspelt "grid" would silently run the base alone.
    for (const auto& [key, value] : root.items())
        if (std::find(knownKeys().begin(), knownKeys().end(), key) == knownKeys().end())
            r.fail(key, "unknown key of a sweep file (known: " + joined(knownKeys()) + ")");
    if (const Json* version = JsonReader::find(root, "formatVersion")) {
        const int v = r.integer(*version, "formatVersion", 1);
        if (v > sweepFormatVersion)
            r.fail("formatVersion", "version " + std::to_string(v) + " is newer than this program reads (" +
                                        std::to_string(sweepFormatVersion) + ")");
    }
    r.text(r.require(root, "", "project"), "project");
    if (const Json* epochs = JsonReader::find(root, "epochs"))
        plan.m_epochs = r.integer(*epochs, "epochs", 0);
    if (const Json* weights = JsonReader::find(root, "weights")) {
        const std::string w = r.text(*weights, "weights");
        if (w != "seed" && w != "project")
            r.fail("weights", "expected \"seed\" or \"project\" (got " + quotedText(w) + ")");
        plan.m_weights = w == "seed" ? SweepWeights::Seed : SweepWeights::Project;
    }
    if (plan.m_weights == SweepWeights::Seed)
        plan.m_base.hasWeights = false; // drawn per run, and a swept layer size need not fit old weights
    sweep.m_weightsFromProject = plan.m_weights == SweepWeights::Project;

    const Json* seedsValue = JsonReader::find(root, "seeds");
    sweep.m_hasSeeds = seedsValue != nullptr;
    const std::vector<std::uint64_t> seeds = readSeeds(r, seedsValue ? *seedsValue : Json(), plan.m_base.seed);

    if (const Json* set = r.optionalObject(root, "", "set"))
        for (const std::string& written : keysInFileOrder(ordered, {"set"})) {
            const Json& value = (*set)[written];
            const std::string field = detail::joinPath("set", written);
            sweep.apply(plan.m_base, sweep.checkPath(written, field), value, field);
        }

    // The points: a grid's cartesian product (the last parameter varying fastest), or the listed runs.
    const Json* grid = r.optionalObject(root, "", "grid");
    const Json* runs = JsonReader::find(root, "runs");
    if (grid && runs)
        r.fail("runs", "give either \"grid\" or \"runs\", not both");
    std::vector<std::vector<std::string>> points; // JSON text per swept path
    if (grid) {
        std::vector<std::vector<std::string>> axes;
        std::size_t count = 1;
        for (const std::string& written : keysInFileOrder(ordered, {"grid"})) {
            const Json& values = (*grid)[written];
            const std::string field = detail::joinPath("grid", written);
            const std::string path = sweep.checkPath(written, field);
            if (std::find(plan.m_paths.begin(), plan.m_paths.end(), path) != plan.m_paths.end())
                r.fail(field, "the parameter " + path + " appears twice");
            const Json& list = r.array(values, field);
            if (list.empty())
                r.fail(field, "the list of values is empty");
            std::vector<std::string> axis;
            for (std::size_t k = 0; k < list.size(); ++k) {
                Project probe = plan.m_base;
                sweep.apply(probe, path, list[k], detail::indexPath(field, k));
                axis.push_back(valueText(list[k]));
            }
            plan.m_paths.push_back(path);
            axes.push_back(std::move(axis));
            count *= axes.back().size();
            if (count > maxRuns)
                r.fail(field, "the grid has more than " + std::to_string(maxRuns) + " points");
        }
        for (std::size_t p = 0; p < count; ++p) {
            std::vector<std::string> point(axes.size());
            std::size_t rest = p;
            for (std::size_t a = axes.size(); a-- > 0;) {
                point[a] = axes[a][rest % axes[a].size()];
                rest /= axes[a].size();
            }
            points.push_back(std::move(point));
        }
    } else if (runs) {
        const Json& list = r.array(*runs, "runs");
        if (list.empty())
            r.fail("runs", "the list of runs is empty");
        // The columns: every path any run sets, in order of first appearance.
        for (std::size_t k = 0; k < list.size(); ++k) {
            r.object(list[k], detail::indexPath("runs", k));
            for (const std::string& written : keysInFileOrder(ordered, {"runs", k})) {
                const std::string path =
                    sweep.checkPath(written, detail::joinPath(detail::indexPath("runs", k), written));
                if (std::find(plan.m_paths.begin(), plan.m_paths.end(), path) == plan.m_paths.end())
                    plan.m_paths.push_back(path);
            }
        }
        for (std::size_t k = 0; k < list.size(); ++k) {
            std::vector<std::string> point(plan.m_paths.size());
            for (const std::string& written : keysInFileOrder(ordered, {"runs", k})) {
                const Json& value = list[k][written];
                const std::size_t column = static_cast<std::size_t>(
                    std::find(plan.m_paths.begin(), plan.m_paths.end(), canonicalFieldPath(written)) -
                    plan.m_paths.begin());
                if (!point[column].empty())
                    r.fail(detail::joinPath(detail::indexPath("runs", k), written),
                           "the parameter " + plan.m_paths[column] + " appears twice in this run");
                point[column] = valueText(value);
            }
            // A run that leaves a parameter out keeps the base project's value; the table shows it.
            for (std::size_t c = 0; c < point.size(); ++c)
                if (point[c].empty())
                    point[c] = getField(plan.m_base, plan.m_paths[c]);
            points.push_back(std::move(point));
        }
    } else {
        points.emplace_back();
    }
    if (points.size() * seeds.size() > maxRuns)
        r.fail("seeds", "the sweep has more than " + std::to_string(maxRuns) + " runs");

    const std::size_t total = points.size() * seeds.size();
    for (std::size_t p = 0; p < points.size(); ++p)
        for (std::size_t s = 0; s < seeds.size(); ++s) {
            SweepRun run;
            run.index = plan.m_runs.size();
            run.id = sweepRunId(run.index, total);
            run.seed = seeds[s];
            run.values = points[p];
            plan.m_runs.push_back(std::move(run));
        }
    // Each point as a whole: values valid alone can clash (a layer size and the task's outputs).
    // Checked once per point; the seed does not change what is valid.
    for (std::size_t p = 0; p < points.size(); ++p) {
        Project probe = plan.m_base;
        for (std::size_t c = 0; c < plan.m_paths.size(); ++c) {
            const std::string field = grid ? detail::joinPath("grid", plan.m_paths[c])
                                           : detail::joinPath(detail::indexPath("runs", p), plan.m_paths[c]);
            sweep.apply(probe, plan.m_paths[c], detail::parseJson(points[p][c], source),
                        field + " in " + plan.m_runs[p * seeds.size()].id);
        }
    }
    return plan;
}

Project SweepPlan::project(const SweepRun& run) const
{
    Project p = m_base;
    for (std::size_t c = 0; c < m_paths.size(); ++c)
        setFieldJson(p, m_paths[c], run.values.at(c));
    p.seed = run.seed;
    if (m_weights == SweepWeights::Seed)
        p.hasWeights = false;
    return p;
}

std::string SweepPlan::describe(const SweepRun& run) const
{
    std::string s = "seed " + std::to_string(run.seed);
    for (std::size_t c = 0; c < m_paths.size(); ++c)
        s += ", " + m_paths[c] + " = " + run.values.at(c);
    return s;
}

} // namespace normad
