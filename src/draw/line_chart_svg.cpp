#include "draw/line_chart_svg.h"

#include <algorithm>
#include <cmath>

#include "draw/colormap.h"
#include "draw/svg.h"
#include "draw/svg_axis.h"
#include "draw/svg_legend.h"
#include "error.h"

namespace dikkat {
namespace {

constexpr double kMargin = 20;
constexpr double kPlotWidth = 640;
constexpr double kPlotHeight = 340;
constexpr double kMarkerRadius = 3;
const std::string kRightDash = "6 4";

void validate(const std::vector<LineSeries>& series, const LineChartStyle& style) {
  for (const LineSeries& s : series) {
    if (s.x.size() != s.y.size()) {
      throw Error("line chart '" + style.title + "': series '" + s.name + "' has " +
                  std::to_string(s.x.size()) + " x values and " + std::to_string(s.y.size()) +
                  " y values");
    }
  }
}

bool usable(const LineSeries& s, size_t i) {
  return std::isfinite(s.x[i]) && std::isfinite(s.y[i]);
}

// Ticks covering the usable x (or y) values of all the series; none at all gives [0, 1].
AxisTicks ticks_over(const std::vector<const std::vector<LineSeries>*>& lists, bool along_x,
                     int intervals) {
  double lo = INFINITY, hi = -INFINITY;
  for (const auto* list : lists) {
    for (const LineSeries& s : *list) {
      for (size_t i = 0; i < s.x.size(); ++i) {
        if (!usable(s, i)) continue;
        const double v = along_x ? s.x[i] : s.y[i];
        lo = std::min(lo, v), hi = std::max(hi, v);
      }
    }
  }
  return nice_ticks(lo, hi, intervals);
}

struct PlotFrame {
  double left, top, width, height;
  AxisTicks x, y;
  SvgPoint at(double vx, double vy) const {
    return {left + (vx - x.lo) / (x.hi - x.lo) * width,
            top + height - (vy - y.lo) / (y.hi - y.lo) * height};
  }
};

// The sample's x as a tooltip shows it: its category's name on a category axis.
std::string x_text(double x, const std::vector<std::string>& categories) {
  const double index = std::round(x);
  if (!categories.empty() && index == x && index >= 0 && index < double(categories.size())) {
    return categories[size_t(index)];
  }
  return svg_number(x);
}

void draw_series(SvgDocument& doc, const LineSeries& s, const PlotFrame& frame,
                 const std::string& color, const std::string& dash,
                 const std::vector<std::string>& categories) {
  // Runs of usable samples: one for the whole series, or one per stretch between NaNs with gaps.
  std::vector<std::vector<size_t>> runs(1);
  for (size_t i = 0; i < s.x.size(); ++i) {
    if (usable(s, i)) {
      runs.back().push_back(i);
    } else if (s.gaps && !runs.back().empty()) {
      runs.emplace_back();
    }
  }
  doc.begin_group("series");
  for (const std::vector<size_t>& run : runs) {
    if (s.points_only || run.size() < 2) continue;
    std::vector<SvgPoint> points;
    for (size_t i : run) points.push_back(frame.at(s.x[i], s.y[i]));
    doc.polyline(points, {.stroke = color, .stroke_width = 1.8, .dash = dash, .tooltip = s.name});
  }
  for (const std::vector<size_t>& run : runs) {
    // A lone point has no line to show, so it always gets its marker.
    if (!(s.points_only || s.markers || run.size() == 1)) continue;
    for (size_t i : run) {
      const SvgPoint p = frame.at(s.x[i], s.y[i]);
      doc.circle(p.x, p.y, kMarkerRadius,
                 {.fill = color,
                  .tooltip = s.name + " (" + x_text(s.x[i], categories) + ", " +
                             format_significant(s.y[i], 4) + ")"});
    }
  }
  doc.end_group();
}

LegendEntry legend_entry(const LineSeries& s, const std::string& color, const std::string& dash) {
  const LegendSwatch swatch = s.points_only ? LegendSwatch::kPoint
                              : s.markers   ? LegendSwatch::kLineAndPoint
                                            : LegendSwatch::kLine;
  return {.name = s.name, .color = color, .swatch = swatch, .dash = dash};
}

}  // namespace

std::string line_chart_svg(const std::vector<LineSeries>& left,
                           const std::vector<LineSeries>& right, const LineChartStyle& style) {
  validate(left, style);
  validate(right, style);
  const bool has_right = !right.empty();
  AxisTicks x_ticks = ticks_over({&left, &right}, true, 6);
  if (!style.x_categories.empty()) {
    // One tick per category at 0, 1, 2, ..., with half a step of room at either end.
    const size_t n = style.x_categories.size();
    x_ticks = {-0.5, double(n) - 0.5, 1, {}, style.x_categories};
    for (size_t i = 0; i < n; ++i) x_ticks.values.push_back(double(i));
  }
  const AxisSpec x_axis{.side = AxisSide::kBottom,
                        .length = kPlotWidth,
                        .ticks = x_ticks,
                        .label = style.x_label,
                        .grid_length = kPlotHeight};
  AxisSpec left_axis{.side = AxisSide::kLeft,
                     .length = kPlotHeight,
                     .ticks = ticks_over({&left}, false, 5),
                     .label = style.y_label,
                     .grid_length = kPlotWidth};
  AxisSpec right_axis{.side = AxisSide::kRight,
                      .length = kPlotHeight,
                      .ticks = ticks_over({&right}, false, 5),
                      .label = style.right_y_label};

  // Colours run on from the left series to the right ones, so no two series share one.
  std::vector<LegendEntry> legend;
  for (size_t i = 0; i < left.size(); ++i) {
    legend.push_back(legend_entry(left[i], hex_color(series_color(i)), ""));
  }
  for (size_t i = 0; i < right.size(); ++i) {
    legend.push_back(legend_entry(right[i], hex_color(series_color(left.size() + i)), kRightDash));
  }

  const PlotFrame frame{.left = std::round(kMargin + axis_extent(left_axis)),
                        .top = SvgDocument::kTitleBand + 10,
                        .width = kPlotWidth,
                        .height = kPlotHeight,
                        .x = x_axis.ticks,
                        .y = left_axis.ticks};
  const double plot_bottom = frame.top + kPlotHeight;
  const double legend_top = plot_bottom + axis_extent(x_axis) + 4;
  const double right_extent = has_right ? axis_extent(right_axis) : 0;
  SvgDocument doc(frame.left + kPlotWidth + right_extent + kMargin,
                  legend_top + legend_height(legend, kPlotWidth) + kMargin, style.title);

  AxisSpec bottom = x_axis;
  bottom.x = frame.left, bottom.y = plot_bottom;
  draw_axis(doc, bottom);
  left_axis.x = frame.left, left_axis.y = plot_bottom;
  draw_axis(doc, left_axis);
  if (has_right) {
    right_axis.x = frame.left + kPlotWidth, right_axis.y = plot_bottom;
    draw_axis(doc, right_axis);
  }
  for (size_t i = 0; i < left.size(); ++i) {
    draw_series(doc, left[i], frame, legend[i].color, "", style.x_categories);
  }
  PlotFrame right_frame = frame;
  right_frame.y = right_axis.ticks;
  for (size_t i = 0; i < right.size(); ++i) {
    draw_series(doc, right[i], right_frame, legend[left.size() + i].color, kRightDash,
                style.x_categories);
  }
  draw_legend(doc, legend, frame.left, legend_top, kPlotWidth);
  return doc.str();
}

}  // namespace dikkat
