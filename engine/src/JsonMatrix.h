#pragma once

// Internal: a matrix as JSON rows (one array per row), the layout of the project file's
// `weights_A` and of the weights .json export.

#include <Eigen/Core>
#include <nlohmann/json.hpp>

namespace normad::detail {

inline nlohmann::ordered_json matrixRows(const Eigen::MatrixXd& m)
{
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
        nlohmann::ordered_json row = nlohmann::ordered_json::array();
        for (Eigen::Index j = 0; j < m.cols(); ++j)
            row.push_back(m(i, j));
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace normad::detail
