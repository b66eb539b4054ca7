#pragma once

// The tiny feature table the dataset suites share (tests/engine/tst_datasettask.cpp,
// tests/engine/tst_paralleltraining.cpp, tests/ui/tst_datasetfeature.cpp and, through
// tests/cli/tiny_table.cpp, tst_cli_brian2_export), and the task, trial and network they train on
// it: one definition, so every suite trains on the same samples.

#include "normad/DataFileReference.h"
#include "normad/DatasetTask.h"
#include "normad/Network.h"
#include "normad/SimulationParams.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

namespace normad::testdata {

/// 42 samples of 3 classes (a, b, c) in two features, as CSV with a header "x,y,label": clusters
/// around (0.2, 0.2), (0.8, 0.3) and (0.5, 0.85) with a deterministic jitter of up to ±0.07,
/// classes interleaved row by row (14 samples each).
inline std::string tinyTable()
{
    const double cx[3] = {0.2, 0.8, 0.5}, cy[3] = {0.2, 0.3, 0.85};
    std::ostringstream csv;
    csv << "x,y,label\n";
    for (int i = 0; i < 42; ++i) {
        const int c = i % 3;
        csv << cx[c] + 0.07 * std::sin(1.7 * i) << ',' << cy[c] + 0.07 * std::cos(2.3 * i) << ',' << "abc"[c] << '\n';
    }
    return csv.str();
}

/// The tiny task on `directory`/tiny.csv (written there before: its reference is taken now):
/// receptive fields (9 per feature, spikes in the first 30 ms), class neuron firing at 35, 45 and
/// 55 ms of a 60 ms trial, the others silent; `validationFraction` and `testFraction` of each class
/// held out.
inline DatasetTaskSpec tinySpec(const std::string& directory, double validationFraction = 0, double testFraction = 0)
{
    DatasetTaskSpec spec;
    spec.source.format = "csv";
    spec.source.files = {referenceDataFile(directory + "/tiny.csv", directory)};
    spec.encoding.kind = EncodingKind::ReceptiveFields;
    spec.encoding.fieldsPerFeature = 9;
    spec.encoding.earliest = 0;
    spec.encoding.latest = 0.03;
    spec.split.validationFraction = validationFraction;
    spec.split.testFraction = testFraction;
    spec.targets.classSpikes = {0.035, 0.045, 0.055};
    spec.targets.otherSpikes = {};
    return spec;
}

/// The tiny task's trial: 60 ms on the default grid.
inline SimulationParams tinyTrial()
{
    SimulationParams s;
    s.duration = 0.06;
    return s;
}

/// inputs → 3 outputs, N(1 nA, 1 nA) initial weights drawn with `seed`, learning rate `rate`.
inline Network tinyNetwork(std::size_t inputs, double rate = 1e-9, std::uint64_t seed = 1)
{
    LayerSpec out;
    out.size = 3;
    out.learningRate = rate;
    out.init.kind = WeightInit::Kind::Normal;
    out.init.mean = 1e-9;
    out.init.stddev = 1e-9;
    Network net(static_cast<int>(inputs), {out});
    net.initializeWeights(seed);
    return net;
}

} // namespace normad::testdata
