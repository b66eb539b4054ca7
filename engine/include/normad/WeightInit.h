#pragma once

#include "normad/Schema.h"

#include <string>

namespace normad {

/// How a layer's weights are drawn (amperes, since I0 = 1; spec §3.8).
struct WeightInit {
    enum class Kind { Zero, Constant, Normal, Uniform };
    Kind kind = Kind::Normal;
    double mean = 0.5e-9; ///< Constant value or Normal mean, amperes
    double stddev = 1e-9; ///< Normal standard deviation, amperes
    double low = -1e-9;   ///< Uniform lower bound, amperes
    double high = 1e-9;   ///< Uniform upper bound, amperes

    /// The description of every member (file key, unit, range, default, help) that reads, writes,
    /// checks and edits it by path (docs/project-format.md).
    static const Schema<WeightInit>& schema();
    void validate(const std::string& where) const;
};

std::string toString(WeightInit::Kind);
WeightInit::Kind weightInitKindFromString(const std::string&);

} // namespace normad
