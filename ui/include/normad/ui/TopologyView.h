#pragma once

#include "normad/Layers.h"

#include <QString>
#include <QWidget>

#include <vector>

namespace normad::ui {

/// A small picture of a feed-forward topology: populations as columns of circles (at most
/// maxShownNeurons per column, the rest elided with "⋮"), all-to-all connections, arrows between
/// columns and each population's size and synapse count. Clicking a column selects it.
class TopologyView : public QWidget {
    Q_OBJECT

public:
    struct Population {
        QString name; ///< "Inputs", "Hidden 1", "Output"
        int size = 1;
        bool trainable = true; ///< frozen layers are drawn hollow
    };

    static constexpr int maxShownNeurons = 9;

    explicit TopologyView(QWidget* parent = nullptr);

    /// Populations 0 (inputs) … L (output).
    void setPopulations(std::vector<Population> populations);
    void setCurrent(int population);
    int current() const { return m_current; }
    /// Column whose area contains x, or −1.
    int populationAt(QPoint pos) const;

    QSize sizeHint() const override { return {720, 230}; }
    QSize minimumSizeHint() const override { return {320, 170}; }

signals:
    void populationClicked(int population);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    QRectF columnRect(int population) const;
    /// Population l = 0 (inputs) … L, the numbering of Layers.h.
    const Population& population(int l) const { return m_populations[static_cast<std::size_t>(l)]; }
    LayerRange populationNumbers() const { return LayerRange(0, static_cast<int>(m_populations.size()) - 1); }

    std::vector<Population> m_populations;
    int m_current = -1;
};

} // namespace normad::ui
