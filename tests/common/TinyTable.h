#pragma once

// The tiny feature table the dataset suites share (tests/engine/tst_datasettask.cpp,
// tests/ui/tst_datasetfeature.cpp): one definition, so both suites train on the same samples.

#include <cmath>
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

} // namespace normad::testdata
