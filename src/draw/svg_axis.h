#pragma once
// Numeric axes for the SVG charts: "nice" tick values (1, 2 or 5 times a power of ten) and an
// axis drawer shared by the bar, line and scatter charts and the colour bar.
#include <string>
#include <vector>

#include "draw/svg.h"

namespace dikkat {

struct AxisTicks {
  double lo, hi;  // the axis range, widened outwards to the first and last tick
  double step;
  std::vector<double> values;
  // When not empty, the text of each tick in place of its number (category names such as "1-5").
  std::vector<std::string> labels{};
};

// About `target_intervals` ticks covering [lo, hi]. An empty range (lo == hi) is widened around
// its value, and non-finite bounds give [0, 1], so a constant or empty series still has an axis.
AxisTicks nice_ticks(double lo, double hi, int target_intervals = 5);

// A tick value with as many decimals as the step needs ("0.25", "1500", "2e-05").
std::string format_tick(double value, double step);

// A value to read off a tooltip or a bar end: `digits` significant digits ("0.0413", "1.5e-05").
std::string format_significant(double value, int digits);

enum class AxisSide { kBottom, kLeft, kRight };

struct AxisSpec {
  AxisSide side = AxisSide::kBottom;
  // Where the axis starts: its low end. A bottom axis runs right from (x, y); left and right
  // axes run up from (x, y).
  double x = 0, y = 0;
  double length = 100;
  AxisTicks ticks{0, 1, 1, {0, 1}};
  std::string label{};
  std::string color = "#444444";
  double grid_length = 0;  // > 0 draws faint grid lines this long across the plot
};

void draw_axis(SvgDocument& doc, const AxisSpec& spec);

// How far the ticks, tick labels and axis label reach out from the axis line, for margins.
double axis_extent(const AxisSpec& spec);

}  // namespace dikkat
