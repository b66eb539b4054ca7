#pragma once

#include "normad/Project.h"
#include "normad/SpikeTrain.h"

#include <cstdint>
#include <random>

namespace normad {

/// Seeded spike-train generators and the papers' experiments as ready projects.
namespace generators {

/// Poisson train on the dt grid (Bernoulli per step with p = rate·dt), no spike before `start`,
/// consecutive spikes at least `minInterval` apart (dead-time Poisson). Seconds.
SpikeTrain poisson(double rateHz, double duration, double dt, std::mt19937_64& rng, double minInterval = 0.0,
                   double start = 0.0);
/// Regular train: spikes at start + k/rate (k = 0, 1, …) snapped to the nearest step, at most one per
/// step, inside (0, duration). Never at step 0 (t = 0): a neuron starts the trial at rest with no
/// input, so a desired spike there cannot be learned, and an input spike there acts before any
/// state exists to show it. With start = 0 the first spike is therefore at 1/rate.
SpikeTrain regular(double rateHz, double duration, double dt, double start = 0.0);
/// Copy of `train` with each spike moved by N(0, jitter²), snapped to the grid, kept inside
/// [0, duration) and at least one step apart.
SpikeTrain jittered(const SpikeTrain& train, double jitter, double duration, double dt, std::mt19937_64& rng);

/// Normal weight initialisation that keeps a layer active (spec §3.8: silent neurons get no
/// gradient). The mean drive is `driveFraction` × the rheobase gL(VT − EL):
/// mean = f·gL(VT − EL)/(N·rate·∫α), ∫α = I0(τ1 − τ2); the standard deviation keeps the drive's
/// fluctuation constant, σ = 1 nA·√(2000 Hz/(N·rate)). Calibrated on this engine: f = 0.8 gives
/// ≈ 22 Hz for N = 50…1000 inputs at 10–20 Hz (tests/engine/tst_generators.cpp).
WeightInit activeInit(int fanIn, double inputRateHz, const LifParams& neuron = {}, const SynapseParams& synapse = {},
                      double driveFraction = 0.8);

/// Single neuron of the 2015 paper (spec §5 check 5): N Poisson inputs, one Poisson target.
struct SingleNeuronOptions {
    int inputs = 100;
    double inputRate = 20.0;         ///< Hz
    double duration = 0.5;           ///< s
    double targetRate = 10.0;        ///< Hz
    double targetMinInterval = 5e-3; ///< s
    double targetStart = 5e-3;       ///< no desired spike before this, s
    double learningRate = 1e-9;      ///< r, A
};
Project singleNeuron(std::uint64_t seed, const SingleNeuronOptions& options = {});

/// Generic spike mapping (spec §4.2–§4.3): Poisson inputs → hidden layers → outputs.
struct MultilayerOptions {
    int inputs = 100;
    std::vector<int> hidden = {50, 50}; ///< two hidden layers: the paper's "3-layer SNN"
    int outputs = 1;
    double inputRate = 20.0;
    double duration = 0.5;
    int patterns = 1;
    /// true: the desired trains are the output of a teacher network of the same architecture with
    /// its own random weights (a solution exists); false: Poisson targets at `targetRate`.
    bool teacher = true;
    double targetRate = 10.0;
    double hiddenRate = 0.1e-9; ///< r of hidden layers, A
    double outputRate = 0.3e-9; ///< r of the output layer, A
};
Project multilayer(std::uint64_t seed, const MultilayerOptions& options = {});

/// The spike-based XOR (spec §4.1) with one hidden layer.
struct XorOptions {
    enum class Encoding {
        SpikeTrains, ///< option 2: each bit is one of two fixed Poisson realisations over a group
        Latency,     ///< option 1: each bit is an early or a late spike, plus a bias group
    };
    Encoding encoding = Encoding::SpikeTrains;
    int groupSize = 20;
    int hidden = 50;
    double duration = 0.2;
    double inputRate = 20.0;
};
Project xorTask(std::uint64_t seed, const XorOptions& options = {});

} // namespace generators
} // namespace normad
