// Spec §5 check 7 (one LIF neuron, N = 100 inputs at 20 Hz, T = 1 s, ~20 Hz target): the per-seed facts
// behind docs/reproduction.md, "Scaling with the number of inputs". Not part of the build; compile it
// against a Release build's engine library:
//
//   g++ -std=c++20 -O2 -Iengine/include -I/usr/include/eigen3 scripts/check7_metrics.cpp
//       build/engine/libnormad_engine.a -lz -lzip -lcrypto -lpthread -o /tmp/check7_metrics   (one line)
//   /tmp/check7_metrics counts 1 30     # seed, desired spikes, input spikes of seeds 1-30
//   /tmp/check7_metrics curve 3 1000    # per epoch of seed 3: C, spike counts, misses, |w|
//
// The project is the `scaling` experiment's N100-20Hz variant (normad reproduce scaling); training is
// the trainer's, with its convergence stop off so the curve runs the whole budget.

#include "normad/TaskGenerators.h"
#include "normad/Trainer.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace normad;

namespace {
Project check7Project(std::uint64_t seed)
{
    generators::SingleNeuronOptions o;
    o.inputs = 100;
    o.inputRate = 20.0;
    o.duration = 1.0;
    o.targetRate = 20.0;
    Project p = generators::singleNeuron(seed, o);
    p.ensureWeights();
    return p;
}
} // namespace

int main(int argc, char** argv)
{
    if (argc != 4 || (std::strcmp(argv[1], "counts") != 0 && std::strcmp(argv[1], "curve") != 0)) {
        std::fprintf(stderr, "usage: %s counts FIRST LAST | curve SEED EPOCHS\n", argv[0]);
        return 2;
    }
    if (std::strcmp(argv[1], "counts") == 0) {
        std::printf("seed,desired_spikes,input_spikes\n");
        for (std::uint64_t seed = std::strtoull(argv[2], nullptr, 10); seed <= std::strtoull(argv[3], nullptr, 10);
             ++seed) {
            const Project p = check7Project(seed);
            std::size_t inputs = 0;
            for (const SpikeTrain& t : p.task.patterns[0].inputs)
                inputs += t.size();
            std::printf("%llu,%zu,%zu\n", static_cast<unsigned long long>(seed), p.task.patterns[0].desired[0].size(),
                        inputs);
        }
        return 0;
    }
    const Project p = check7Project(std::strtoull(argv[2], nullptr, 10));
    const int epochs = std::atoi(argv[3]);
    TrainingParams t = p.training;
    t.targetCorrelation = 2; // never stops on convergence
    t.convergeOnEvaluation = false;
    t.stagnationEpochs = 0;
    t.maxEpochs = epochs;
    Trainer trainer(p.network, p.task, p.simulation, t, p.seed);
    trainer.setThreads(1);
    std::printf("epoch,C,output_spikes,desired_spikes,missing,extra,error_instants,weight_norm_A,weight_mean_A\n");
    while (!trainer.finished() && trainer.completedEpochs() < epochs) {
        if (!trainer.stepEpoch())
            break;
        const EpochMetrics& m = trainer.history().back();
        const PatternMetrics& q = m.patterns.at(0); // the training pass, before the epoch's update
        const auto& w = trainer.network().weights(1);
        std::printf("%d,%.4f,%d,%d,%d,%d,%d,%.4e,%.4e\n", m.epoch, q.correlation, q.outputSpikes, q.desiredSpikes,
                    q.missing, q.extra, q.errorInstants, w.norm(), w.mean());
    }
    return 0;
}
