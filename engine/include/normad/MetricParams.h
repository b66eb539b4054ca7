#pragma once

#include "normad/Schema.h"

#include <string>

namespace normad {

/// Smoothing kernel of the correlation measure (spec §2.7).
enum class CorrelationKernel {
    Gaussian,    ///< exp(−t²/2σ²), σ = width (default, σ = 2 ms)
    Exponential, ///< causal e^{−t/τ}U(t), τ = width (the group's snn_test.cu uses τ = 5 ms)
};

struct MetricParams {
    CorrelationKernel kernel = CorrelationKernel::Gaussian;
    double correlationWidth = 2e-3; ///< σ or τ of the correlation kernel, seconds
    double vanRossumTau = 10e-3;    ///< τ of the van Rossum distance, seconds
    double matchTolerance = 2e-3;   ///< a desired and an actual spike closer than this are matched, seconds

    /// The description of every member (file key, unit, range, default, help) that reads, writes,
    /// checks and edits it by path (docs/project-format.md).
    static const Schema<MetricParams>& schema();
    void validate(const std::string& where = "metrics") const;
};

std::string toString(CorrelationKernel);
CorrelationKernel correlationKernelFromString(const std::string&);

} // namespace normad
