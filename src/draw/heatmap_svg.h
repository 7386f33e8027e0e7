#pragma once
// Labelled heatmaps as SVG: one matrix (an attention pattern, a weight table) or a grid of small
// ones sharing their labels and colour scale (BertViz's "model view": layers by heads).
#include <cstdint>
#include <string>
#include <vector>

#include "draw/colormap.h"

namespace dikkat {

struct HeatmapPanel {
  std::string title{};
  std::vector<std::string> row_labels{}, col_labels{};
  int64_t rows = 0, cols = 0;
  std::vector<float> values{};  // rows * cols, row-major; NaN = no value (drawn hatched)
};

struct HeatmapStyle {
  std::string title{};
  std::string x_label{};  // under the column labels
  std::string y_label{};  // beside the row labels
  std::string color_bar_label = "value";
  double lo = 0, hi = 1;  // values at the ends of the colour scale; others are clamped
  ColorScale scale = ColorScale::kViridis;
  // Print each value (two decimals) in its cell; skipped when the cells are too small for it.
  bool show_values = true;
  bool monospace_labels = true;  // token labels line up and "␣" stays visible
};

// Throws Error when values or labels do not match rows and cols, or lo >= hi. Matrices up to
// 1024 x 1024 work: large ones drop per-cell text and tooltips and shrink the label font so
// every label still fits beside its row or column.
std::string heatmap_svg(const HeatmapPanel& panel, const HeatmapStyle& style);

// Panels laid out `columns` to a row, each under its own title, with row labels left of the
// first column, column labels under the last row, and one shared colour bar. All panels must
// have the same shape and labels (those of the first panel are drawn).
std::string heatmap_grid_svg(const std::vector<HeatmapPanel>& panels, int64_t columns,
                             const HeatmapStyle& style);

}  // namespace dikkat
