// Times the forward pass of one pattern of a project file: what scripts/compare_brian2.py sets
// against Brian2's own reported simulation time. Only Simulator::run is timed (no project loading,
// no file output, no membrane recording); the weights are the project's (drawn from its seed if it
// has none, as `normad simulate` and `normad export --brian2` draw them).
//
//     bench_time_forward PROJECT.json [--pattern K] [--runs N]
//
// Prints one JSON object: spikes per population and every run's seconds, as CPU time of the process
// ("cpu_seconds", what Brian2's standalone Network::run measures with std::clock()) and wall-clock
// ("seconds").

#include "normad/Project.h"
#include "normad/ProjectIo.h"
#include "normad/Simulator.h"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    using namespace normad;
    if (argc < 2) {
        std::cerr << "usage: bench_time_forward PROJECT.json [--pattern K] [--runs N]\n";
        return 2;
    }
    int pattern = 0, runs = 5;
    for (int a = 2; a + 1 < argc; a += 2) {
        const std::string option = argv[a];
        if (option == "--pattern")
            pattern = std::atoi(argv[a + 1]);
        else if (option == "--runs")
            runs = std::atoi(argv[a + 1]);
        else {
            std::cerr << "bench_time_forward: unknown option " << option << "\n";
            return 2;
        }
    }
    try {
        Project project = loadProject(argv[1]);
        project.ensureWeights();
        if (pattern < 0 || pattern >= static_cast<int>(project.task.patterns.size())) {
            std::cerr << "bench_time_forward: " << argv[1] << " has no pattern " << pattern << "\n";
            return 2;
        }
        const SpikeRaster& inputs = project.task.patterns[static_cast<std::size_t>(pattern)].inputs;
        const Simulator simulator(project.network, project.simulation);
        SimulationRecord rec;
        std::vector<double> seconds, cpuSeconds;
        for (int r = 0; r < runs; ++r) {
            const auto start = std::chrono::steady_clock::now();
            const std::clock_t cpuStart = std::clock();
            rec = simulator.run(inputs);
            cpuSeconds.push_back(static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC);
            seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            if (rec.status != SimulationStatus::Completed) {
                std::cerr << "bench_time_forward: " << rec.message << "\n";
                return 1;
            }
        }
        std::cout << "{\"spikes\": [";
        for (std::size_t l = 0; l < rec.layers.size(); ++l)
            std::cout << (l ? ", " : "") << rec.layers[l].totalSpikes();
        std::cout << "], \"seconds\": [";
        std::cout.precision(9);
        for (std::size_t r = 0; r < seconds.size(); ++r)
            std::cout << (r ? ", " : "") << seconds[r];
        std::cout << "], \"cpu_seconds\": [";
        for (std::size_t r = 0; r < cpuSeconds.size(); ++r)
            std::cout << (r ? ", " : "") << cpuSeconds[r];
        std::cout << "]}\n";
    } catch (const std::exception& e) {
        std::cerr << "bench_time_forward: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
