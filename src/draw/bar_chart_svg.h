#pragma once
// Horizontal grouped bar charts as SVG: one group per item (a candidate next token), one bar per
// series (a sampling temperature), on a shared value axis starting at zero.
#include <string>
#include <vector>

namespace dikkat {

struct BarGroup {
  std::string label{};
  std::vector<double> values{};  // one per series, finite and >= 0
};

struct BarChartStyle {
  std::string title{};
  std::string value_label{};  // under the value axis, e.g. "probability"
  bool monospace_labels = true;
  bool show_values = true;  // print each bar's value at its end
};

// Groups top to bottom in the order given; series_names (e.g. "T=0.5", "T=1", "T=2") name the
// legend entries and fix the bar colours. Throws Error when there are no series, a group has
// a different number of values, or a value is negative or not finite.
std::string bar_chart_svg(const std::vector<BarGroup>& groups,
                          const std::vector<std::string>& series_names, const BarChartStyle& style);

}  // namespace dikkat
