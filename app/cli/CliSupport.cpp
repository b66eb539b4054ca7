#include "CliSupport.h"

#include "CliOptions.h"

#include "normad/AtomicFile.h"
#include "normad/ProjectIo.h"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace normad::cli {

namespace fs = std::filesystem;

Project loadInputProject(const std::string& path)
{
    try {
        return loadProject(path);
    } catch (const ProjectError& e) {
        throw std::invalid_argument(e.what());
    }
}

int availableCores()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

fs::path prepareOutputFolder(const std::string& dir)
{
    std::error_code ec;
    // A file named by --out is a usage error (exit 2), as for the folders written as a whole.
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        throw UsageError("--out '" + dir + "' is a file, not a folder: give the folder the results go into");
    fs::create_directories(dir, ec);
    if (ec)
        throw std::runtime_error("cannot create the output folder '" + dir + "': " + ec.message());
    if (!fs::is_directory(dir, ec))
        throw std::runtime_error("cannot use '" + dir + "' as the output folder: it is not a folder");
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
        throw std::runtime_error("cannot write into the output folder '" + dir +
                                 "': " + std::generic_category().message(errno));
    return fs::path(dir);
}

std::string defaultOutputFolder(const std::string& projectPath, std::string_view suffix)
{
    std::string stem = fs::path(projectPath).stem().string();
    if (stem.empty())
        stem = "project";
    return stem + std::string(suffix);
}

void writeText(const fs::path& path, const std::string& contents)
{
    writeFileAtomically(path.string(), contents);
}

std::string formatted(const char* format, double value)
{
    char buffer[64];
    const int n = std::snprintf(buffer, sizeof buffer, format, value);
    return std::string(buffer, static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(sizeof buffer) - 1)));
}

std::string dumpJson(const Json& j)
{
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string describeTopology(const Project& p)
{
    std::string s = std::to_string(p.network.inputCount()) + " inputs, LIF layers";
    for (int l : p.network.layerNumbers()) {
        s += l == 1 ? ' ' : '-';
        s += std::to_string(p.network.populationSize(l));
    }
    s += ", " + std::to_string(p.task.patterns.size()) +
         " pattern(s), T = " + formatted("%g", p.simulation.duration * 1e3) +
         " ms, dt = " + formatted("%g", p.simulation.dt * 1e3) + " ms";
    return s;
}

std::string errorLine(std::string_view message)
{
    std::string s = "normad: ";
    for (char c : message)
        s += (c == '\n' || c == '\r') ? ' ' : c;
    while (s.size() > 8 && s.back() == ' ')
        s.pop_back();
    return s + '\n';
}

} // namespace normad::cli
