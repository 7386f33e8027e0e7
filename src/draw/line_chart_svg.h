#pragma once
// Line charts as SVG with an optional second y-axis on the right: loss curves against steps,
// with the learning rate on its own scale.
#include <string>
#include <vector>

namespace dikkat {

struct LineSeries {
  std::string name{};
  std::vector<double> x{}, y{};  // same length; points where either is NaN are skipped
  bool points_only = false;      // markers without a connecting line
  bool markers = false;          // markers on the line as well (sparse series: validation loss)
  bool gaps = false;  // a NaN sample breaks the line (a missing value) instead of being passed over
};

struct LineChartStyle {
  std::string title{};
  std::string x_label{};
  std::string y_label{};        // the left axis
  std::string right_y_label{};  // the right axis, drawn only when there are right series
  // Names of x = 0, 1, 2, ...: the x-axis then has one tick per name instead of numbers (the
  // buckets of a histogram-like series). Empty keeps the numeric axis.
  std::vector<std::string> x_categories{};
};

// `left` series share the left y-axis, `right` series (drawn dashed) the right one; both share
// the x-axis. Empty series, single points and constant series all give a readable chart.
// Throws Error when a series' x and y differ in length.
std::string line_chart_svg(const std::vector<LineSeries>& left,
                           const std::vector<LineSeries>& right, const LineChartStyle& style);

}  // namespace dikkat
