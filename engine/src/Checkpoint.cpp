#include "normad/Checkpoint.h"

#include "normad/AtomicFile.h"
#include "normad/ProjectIo.h"
#include "normad/Version.h"

#include "JsonMatrix.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>

namespace normad {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* formatName = "normad-checkpoint";

/// Non-finite reals (an accuracy not measured yet) are written as null, as in project files.
Json real(double v)
{
    return std::isfinite(v) ? Json(v) : Json(nullptr);
}

/// Typed access to the checkpoint document that names the field of a refused value.
class Reader {
public:
    explicit Reader(std::string source) : m_source(std::move(source)) { }

    [[noreturn]] void fail(const std::string& field, const std::string& reason) const
    {
        throw ProjectError(m_source, field, reason);
    }

    const Json& require(const Json& object, const std::string& path, const char* key) const
    {
        const auto it = object.find(key);
        if (it == object.end())
            fail(join(path, key), "required field is missing");
        return *it;
    }

    int integer(const Json& object, const std::string& path, const char* key) const
    {
        const Json& v = require(object, path, key);
        if (!v.is_number_integer() || v.get<long long>() < std::numeric_limits<int>::min() ||
            v.get<long long>() > std::numeric_limits<int>::max())
            fail(join(path, key), "expected a whole number (got " + shortDump(v) + ")");
        return v.get<int>();
    }

    double number(const Json& object, const std::string& path, const char* key) const
    {
        const Json& v = require(object, path, key);
        if (v.is_null())
            return std::numeric_limits<double>::quiet_NaN();
        if (!v.is_number())
            fail(join(path, key), "expected a number or null (got " + shortDump(v) + ")");
        return v.get<double>();
    }

    std::string text(const Json& object, const std::string& path, const char* key) const
    {
        const Json& v = require(object, path, key);
        if (!v.is_string())
            fail(join(path, key), "expected a string (got " + shortDump(v) + ")");
        return v.get<std::string>();
    }

    static std::string join(const std::string& path, const char* key)
    {
        return path.empty() ? std::string(key) : path + "." + key;
    }

    static std::string shortDump(const Json& v)
    {
        std::string s = v.dump(-1, ' ', true, Json::error_handler_t::replace);
        return s.size() > 60 ? s.substr(0, 60) + "…" : s;
    }

private:
    std::string m_source;
};

} // namespace

std::string checkpointToJson(const Checkpoint& c)
{
    Json doc = Json::object();
    doc["format"] = formatName;
    doc["formatVersion"] = checkpointFormatVersion;
    doc["generator"] = std::string("NormAD Workbench ") + versionString();
    doc["projectDirectory"] = c.projectDirectory;
    doc["maxEpochs"] = c.maxEpochs;
    doc["plotFolder"] = c.plotFolder ? Json(*c.plotFolder) : Json(nullptr);
    const TrainerState& s = c.trainer;
    Json t = Json::object();
    t["completedEpochs"] = s.completedEpochs;
    t["rng"] = s.rng;
    t["silentStreak"] = s.silentStreak;
    t["sinceImprovement"] = s.sinceImprovement;
    t["bestAccuracy"] = real(s.bestAccuracy);
    t["convergedEpoch"] = s.convergedEpoch;
    t["bestMinCorrelation"] = real(s.bestMinCorrelation);
    t["seconds"] = real(s.seconds);
    if (!c.earlierHistory.empty()) // the project's history starts with them (the workbench's runs)
        t["earlierEpochs"] = c.earlierHistory.size();
    if (!s.ruleState.empty()) { // only a rule with per-weight state (SuperSpike's RMaxProp) writes it
        Json layers = Json::array();
        for (const Eigen::MatrixXd& m : s.ruleState)
            layers.push_back(detail::matrixRows(m));
        t["ruleState"] = std::move(layers);
    }
    doc["trainer"] = std::move(t);
    // The project as its own file would hold it, history included (the trainer's history): one
    // reader and writer for both. nlohmann writes doubles in a form that reads back to the same bits.
    Project project = c.project;
    project.history = c.earlierHistory;
    project.history.insert(project.history.end(), s.history.begin(), s.history.end());
    doc["project"] = Json::parse(projectToJson(project));
    // Compact: a checkpoint of a big network is rewritten every few minutes.
    return doc.dump() + "\n";
}

Checkpoint checkpointFromJson(const std::string& text, const std::string& source)
{
    const Reader r(source);
    Json doc;
    try {
        doc = Json::parse(text);
    } catch (const Json::exception& e) {
        r.fail("", std::string("not a readable checkpoint: ") + e.what());
    }
    if (!doc.is_object())
        r.fail("", "not a checkpoint: expected a JSON object");
    if (r.text(doc, "", "format") != formatName)
        r.fail("format", "expected \"" + std::string(formatName) + "\" (got " + Reader::shortDump(doc["format"]) + ")");
    const int version = r.integer(doc, "", "formatVersion");
    if (version < 1 || version > checkpointFormatVersion)
        r.fail("formatVersion", "this build reads checkpoints of version 1 to " +
                                    std::to_string(checkpointFormatVersion) + " (got " + std::to_string(version) +
                                    "); resume it with the normad that wrote it");
    Checkpoint c;
    c.projectDirectory = r.text(doc, "", "projectDirectory");
    c.maxEpochs = r.integer(doc, "", "maxEpochs");
    if (c.maxEpochs < 0)
        r.fail("maxEpochs", "must be 0 or more (got " + std::to_string(c.maxEpochs) + ")");
    if (const Json& plots = r.require(doc, "", "plotFolder"); !plots.is_null())
        c.plotFolder = r.text(doc, "", "plotFolder");
    const Json& t = r.require(doc, "", "trainer");
    if (!t.is_object())
        r.fail("trainer", "expected an object (got " + Reader::shortDump(t) + ")");
    TrainerState& s = c.trainer;
    s.completedEpochs = r.integer(t, "trainer", "completedEpochs");
    s.rng = r.text(t, "trainer", "rng");
    s.silentStreak = r.integer(t, "trainer", "silentStreak");
    s.sinceImprovement = r.integer(t, "trainer", "sinceImprovement");
    s.bestAccuracy = r.number(t, "trainer", "bestAccuracy");
    s.convergedEpoch = r.integer(t, "trainer", "convergedEpoch");
    s.bestMinCorrelation = r.number(t, "trainer", "bestMinCorrelation");
    s.seconds = r.number(t, "trainer", "seconds");
    int earlier = 0;
    if (t.contains("earlierEpochs")) {
        earlier = r.integer(t, "trainer", "earlierEpochs");
        if (earlier < 0)
            r.fail("trainer.earlierEpochs", "must be 0 or more (got " + std::to_string(earlier) + ")");
    }
    if (const auto it = t.find("ruleState"); it != t.end()) {
        if (!it->is_array())
            r.fail("trainer.ruleState", "expected an array of matrices (got " + Reader::shortDump(*it) + ")");
        for (std::size_t l = 0; l < it->size(); ++l) {
            const Json& rows = (*it)[l];
            const std::string where = "trainer.ruleState[" + std::to_string(l) + "]";
            if (!rows.is_array())
                r.fail(where, "expected an array of rows (got " + Reader::shortDump(rows) + ")");
            const std::size_t cols = rows.empty() ? 0 : rows[0].size();
            Eigen::MatrixXd m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(cols));
            for (std::size_t i = 0; i < rows.size(); ++i) {
                if (!rows[i].is_array() || rows[i].size() != cols)
                    r.fail(where, "expected rows of " + std::to_string(cols) + " numbers (got " +
                                      Reader::shortDump(rows[i]) + ")");
                for (std::size_t j = 0; j < cols; ++j) {
                    if (!rows[i][j].is_number())
                        r.fail(where, "expected a number (got " + Reader::shortDump(rows[i][j]) + ")");
                    m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j].get<double>();
                }
            }
            s.ruleState.push_back(std::move(m));
        }
    }
    const Json& project = r.require(doc, "", "project");
    try {
        c.project = projectFromJson(project.dump(), source + ": project");
    } catch (const ProjectError& e) {
        r.fail("project." + e.field(), e.reason());
    }
    if (!c.project.hasWeights)
        r.fail("project.network", "a checkpoint's project carries the weights at the checkpoint (they are missing)");
    std::vector<EpochMetrics>& all = c.project.history;
    if (all.size() != static_cast<std::size_t>(earlier) + static_cast<std::size_t>(s.completedEpochs))
        r.fail("project.history", "needs one entry per earlier (" + std::to_string(earlier) +
                                      ") and completed epoch (" + std::to_string(s.completedEpochs) + ") (got " +
                                      std::to_string(all.size()) + ")");
    c.earlierHistory.assign(std::make_move_iterator(all.begin()), std::make_move_iterator(all.begin() + earlier));
    s.history.assign(std::make_move_iterator(all.begin() + earlier), std::make_move_iterator(all.end()));
    all.clear();
    return c;
}

void saveCheckpoint(const Checkpoint& checkpoint, const std::string& path)
{
    writeFileAtomically(path, checkpointToJson(checkpoint));
}

Checkpoint loadCheckpoint(const std::string& path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec)
        throw ProjectError(path, "", "cannot read the checkpoint: " + ec.message());
    // A checkpoint holds a project file and a little more.
    if (size > static_cast<std::uintmax_t>(2 * maxProjectFileBytes))
        throw ProjectError(path, "",
                           "the file is " + std::to_string(size) + " bytes; checkpoints larger than " +
                               std::to_string(2 * maxProjectFileBytes) + " bytes are refused");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in)
        throw ProjectError(path, "", "cannot read the checkpoint");
    return checkpointFromJson(text.str(), path);
}

} // namespace normad
