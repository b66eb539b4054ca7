#include "CliSweepFolder.h"

#include "normad/ProjectIo.h"
#include "normad/RunClaim.h"
#include "normad/Sha256.h"
#include "normad/TextFormat.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

namespace normad::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* planFile = "plan.json";

std::string readFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Json planJson(const SweepPlan& plan)
{
    Json j = Json::object();
    j["type"] = "normad-sweep-plan";
    j["version"] = 1;
    j["sweep"] = plan.source();
    j["project"] = plan.projectPath();
    // The base project as every run starts from it ("set" applied): a changed base project or
    // fixed setting makes the folder another sweep's, like a changed grid.
    j["base_sha256"] = sha256Hex(projectToJson(plan.baseProject()));
    j["dataset"] = plan.baseProject().dataset.has_value();
    j["weights"] = plan.weights() == SweepWeights::Seed ? "seed" : "project";
    j["epochs"] = plan.epochs() ? Json(*plan.epochs()) : Json();
    j["parameters"] = plan.parameterPaths();
    Json runs = Json::array();
    for (const SweepRun& run : plan.runs()) {
        Json r = Json::object();
        r["run"] = run.id;
        r["seed"] = run.seed;
        Json values = Json::object();
        for (std::size_t c = 0; c < run.values.size(); ++c)
            values[plan.parameterPaths()[c]] = Json::parse(run.values[c]);
        r["parameters"] = std::move(values);
        runs.push_back(std::move(r));
    }
    j["runs"] = std::move(runs);
    return j;
}

/// The first difference of two plans, or "".
std::string planDifference(const Json& recorded, const Json& current)
{
    for (const char* key : {"base_sha256", "weights", "epochs", "parameters"})
        if (recorded.value(key, Json()) != current[key])
            return std::string(key) + " differs (recorded " + dumpJson(recorded.value(key, Json())) + ", now " +
                   dumpJson(current[key]) + ")";
    const Json& a = recorded.value("runs", Json::array());
    const Json& b = current["runs"];
    if (a.size() != b.size())
        return "it has " + std::to_string(a.size()) + " runs, this sweep " + std::to_string(b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i])
            return a[i].value("run", "run " + std::to_string(i)) + " differs (recorded " + dumpJson(a[i]) + ", now " +
                   dumpJson(b[i]) + ")";
    return {};
}

/// A parameter value in the table: numbers through the one formatter, strings as they are.
void valueField(CsvWriter& csv, const Json& v)
{
    if (v.is_number_integer())
        csv.field(v.get<long long>());
    else if (v.is_number())
        csv.field(v.get<double>());
    else if (v.is_string())
        csv.field(v.get<std::string>());
    else if (v.is_null())
        csv.field(std::string_view());
    else
        csv.field(dumpJson(v));
}

/// A metric of run.json: a number, or empty when the run has none (pending, failed, not a dataset task).
void metricField(CsvWriter& csv, const Json& object, const char* key)
{
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        csv.field(std::string_view());
    else
        valueField(csv, *it);
}

} // namespace

std::optional<Shard> chooseShard(const std::optional<std::string>& option)
{
    if (option)
        return Shard::parse(*option);
    return Shard::fromSlurm([](const char* name) { return std::getenv(name); });
}

void recordPlan(const fs::path& dir, const SweepPlan& plan)
{
    const Json current = planJson(plan);
    const fs::path path = dir / planFile;
    // Processes starting together race to record their plan: each writes its own copy, and link()
    // makes exactly one of them plan.json (it never replaces a file); the others compare with it.
    const fs::path mine = dir / (std::string(planFile) + "." + std::to_string(::getpid()) + ".tmp");
    writeText(mine, current.dump(1, ' ', false, Json::error_handler_t::replace) + "\n");
    const int linked = ::link(mine.c_str(), path.c_str());
    const int error = errno;
    std::error_code ec;
    fs::remove(mine, ec);
    if (linked == 0)
        return;
    if (error != EEXIST)
        throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(error));
    const Json recorded = Json::parse(readFile(path), nullptr, false);
    if (recorded.is_discarded() || !recorded.is_object())
        throw std::invalid_argument(path.string() + ": not a sweep plan (unreadable JSON)");
    if (const std::string difference = planDifference(recorded, current); !difference.empty())
        throw std::invalid_argument(dir.string() + " holds another sweep (" + path.string() + ": " + difference +
                                    "); give another --out folder");
}

Json readRunStatus(const fs::path& runFolder)
{
    const fs::path path = runFolder / "run.json";
    std::error_code ec;
    if (!fs::exists(path, ec))
        return nullptr;
    Json j = Json::parse(readFile(path), nullptr, false);
    return j.is_discarded() || !j.is_object() ? Json() : j;
}

SweepTable collectSweep(const fs::path& dir)
{
    const fs::path path = dir / planFile;
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw std::invalid_argument(dir.string() + ": not a sweep folder (it has no " + planFile +
                                    "; 'normad sweep SWEEP.json --out " + dir.string() + "' makes one)");
    const Json plan = Json::parse(readFile(path), nullptr, false);
    if (plan.is_discarded() || !plan.contains("runs") || !plan.contains("parameters"))
        throw std::invalid_argument(path.string() + ": not a sweep plan (unreadable JSON)");
    const bool dataset = plan.value("dataset", false);

    SweepTable table;
    CsvWriter csv; // the header's columns depend on the plan
    csv.field("run");
    for (const Json& p : plan["parameters"])
        csv.field(p.get<std::string>());
    for (const char* name : {"seed", "status", "attempt", "epochs", "stop_reason", "converged_epoch", "min_correlation",
                             "mean_correlation", "van_rossum", "spike_count_error", "missing", "extra", "cost"})
        csv.field(name);
    if (dataset)
        csv.field("train_accuracy").field("validation_accuracy");
    csv.field("seconds").field("host").field("message").endRow();

    for (const Json& run : plan["runs"]) {
        const std::string id = run.value("run", "");
        const fs::path folder = dir / id;
        const Json status = readRunStatus(folder);
        std::string state = status.is_object() ? status.value("status", "pending") : "pending";
        if (state == "running" && !RunClaim::isHeld(folder.string()))
            state = abandonedStatus;
        ++table.count[state];
        ++table.runs;
        csv.field(id);
        for (const Json& p : plan["parameters"])
            valueField(csv, run["parameters"].value(p.get<std::string>(), Json()));
        // The seed as text: a 64-bit seed does not fit the writer's signed integers.
        csv.field(std::to_string(run.value("seed", std::uint64_t{0}))).field(state);
        const Json none = Json::object();
        const Json& s = status.is_object() ? status : none;
        const Json& final = s.contains("final") && s["final"].is_object() ? s["final"] : none;
        metricField(csv, s, "attempt");
        metricField(csv, s, "epochs");
        metricField(csv, s, "stop_reason");
        metricField(csv, s, "converged_epoch");
        for (const char* key :
             {"min_correlation", "mean_correlation", "van_rossum", "spike_count_error", "missing", "extra", "cost"})
            metricField(csv, final, key);
        if (dataset) {
            metricField(csv, s, "train_accuracy");
            metricField(csv, final, "validation_accuracy");
        }
        metricField(csv, s, "seconds");
        metricField(csv, s, "host");
        metricField(csv, s, "message");
        csv.endRow();
    }
    table.csv = csv.text();
    return table;
}

std::string describeCounts(const SweepTable& table)
{
    static constexpr std::array order{"finished", "running", abandonedStatus, "interrupted", "failed", "pending"};
    std::string s;
    for (const char* status : order)
        if (const auto it = table.count.find(status); it != table.count.end())
            s += (s.empty() ? "" : ", ") + std::to_string(it->second) + " " + status;
    for (const auto& [status, n] : table.count)
        if (std::find(order.begin(), order.end(), status) == order.end())
            s += (s.empty() ? "" : ", ") + std::to_string(n) + " " + status;
    return s;
}

} // namespace normad::cli
