// XOR judged on the training passes (convergeOnEvaluation = false), seeds 1-20: how many of the networks
// the trainer returns meet the criterion, with the papers' rule and with NormAD's learnt margin at the
// criterion (docs/reproduction.md, "Solutions that stay solved"). Not part of the build; compile it
// against a Release build's engine library (one line):
//
//   g++ -std=c++20 -O2 -Iengine/include -I/usr/include/eigen3 scripts/stability_training_passes.cpp
//       build/engine/libnormad_engine.a -lz -lzip -lcrypto -lpthread -o /tmp/stability_training_passes

#include "normad/TaskGenerators.h"
#include "normad/Trainer.h"

#include <cstdio>

using namespace normad;

int main()
{
    for (double margin : {1.0, 0.8}) {
        int stopped = 0, good = 0;
        for (std::uint64_t seed = 1; seed <= 20; ++seed) {
            Project p = generators::xorTask(seed);
            p.ensureWeights();
            p.training.convergeOnEvaluation = false;
            p.training.setSetting("normad", "learntCorrelation", margin);
            Trainer t(p.network, p.task, p.simulation, p.training, p.seed);
            t.setThreads(1);
            while (!t.finished())
                t.stepEpoch();
            const bool conv = t.result().reason == StopReason::Converged;
            TrainingParams judged = p.training;
            judged.convergeOnEvaluation = true;
            Trainer judge(t.network(), p.task, p.simulation, judged, p.seed);
            const bool ok = judge.evaluate().converged;
            stopped += conv;
            good += conv && ok;
            std::printf("margin %.2f seed %llu: stopped %d at %d, returned network meets the criterion %d\n", margin,
                        (unsigned long long)seed, conv, t.completedEpochs(), ok);
        }
        std::printf("margin %.2f: %d/20 stopped on the training passes, %d/20 returned networks meet it\n", margin,
                    stopped, good);
    }
}
