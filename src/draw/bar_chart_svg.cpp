#include "draw/bar_chart_svg.h"

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
constexpr double kPlotWidth = 480;
constexpr double kBarHeight = 13;
constexpr double kBarGap = 1;     // between the bars of one group
constexpr double kGroupGap = 10;  // between groups
constexpr double kLabelFont = 12;
constexpr double kValueFont = 10;
constexpr double kValueRoom = 48;  // right of the plot, for the value printed after the longest bar

void validate(const std::vector<BarGroup>& groups, const std::vector<std::string>& series_names,
              const BarChartStyle& style) {
  const std::string name = "bar chart '" + style.title + "'";
  if (series_names.empty()) throw Error(name + ": no series names");
  for (const BarGroup& group : groups) {
    if (group.values.size() != series_names.size()) {
      throw Error(name + ": group '" + group.label + "' has " +
                  std::to_string(group.values.size()) + " values for " +
                  std::to_string(series_names.size()) + " series");
    }
    for (double v : group.values) {
      if (!std::isfinite(v) || v < 0) {
        throw Error(name + ": group '" + group.label + "' has value " + std::to_string(v) +
                    ", expected a finite value >= 0");
      }
    }
  }
}

}  // namespace

std::string bar_chart_svg(const std::vector<BarGroup>& groups,
                          const std::vector<std::string>& series_names,
                          const BarChartStyle& style) {
  validate(groups, series_names, style);
  double largest = 0;
  double widest_label = 0;
  for (const BarGroup& group : groups) {
    largest = std::max(largest, *std::max_element(group.values.begin(), group.values.end()));
    widest_label = std::max(widest_label, estimate_text_width(group.label, kLabelFont));
  }
  const AxisTicks ticks = nice_ticks(0, largest > 0 ? largest : 1);
  const double series = double(series_names.size());
  const double band = series * kBarHeight + (series - 1) * kBarGap + kGroupGap;

  std::vector<LegendEntry> legend;
  for (size_t s = 0; s < series_names.size(); ++s) {
    legend.push_back({.name = series_names[s], .color = hex_color(series_color(s))});
  }
  const double plot_left = std::round(kMargin + widest_label + 10);
  const double legend_top = SvgDocument::kTitleBand;
  const double plot_top = legend_top + legend_height(legend, kPlotWidth) + 10;
  const double plot_height = std::max(double(groups.size()) * band, band);
  const AxisSpec axis{.side = AxisSide::kBottom,
                      .x = plot_left,
                      .y = plot_top + plot_height,
                      .length = kPlotWidth,
                      .ticks = ticks,
                      .label = style.value_label,
                      .grid_length = plot_height};
  SvgDocument doc(plot_left + kPlotWidth + kValueRoom + kMargin,
                  axis.y + axis_extent(axis) + kMargin, style.title);
  draw_legend(doc, legend, plot_left, legend_top, kPlotWidth);
  draw_axis(doc, axis);

  const auto bar_length = [&](double v) { return v / ticks.hi * kPlotWidth; };
  doc.begin_group("bars");
  for (size_t g = 0; g < groups.size(); ++g) {
    const double group_top = plot_top + double(g) * band + kGroupGap / 2;
    for (size_t s = 0; s < series_names.size(); ++s) {
      const double v = groups[g].values[s];
      const double y = group_top + double(s) * (kBarHeight + kBarGap);
      doc.rect(plot_left, y, bar_length(v), kBarHeight,
               {.fill = hex_color(series_color(s)),
                .tooltip = groups[g].label + " \u00b7 " + series_names[s] + ": " +
                           format_significant(v, 3)});
      if (style.show_values) {
        doc.text(plot_left + bar_length(v) + 4, y + kBarHeight / 2 + kValueFont * 0.35,
                 format_significant(v, 3), {.size = kValueFont, .fill = "#555555"});
      }
    }
  }
  doc.end_group();
  doc.begin_group("group-labels");
  for (size_t g = 0; g < groups.size(); ++g) {
    const double middle = plot_top + (double(g) + 0.5) * band;
    doc.text(plot_left - 8, middle + kLabelFont * 0.35, groups[g].label,
             {.size = kLabelFont, .anchor = TextAnchor::kEnd, .monospace = style.monospace_labels});
  }
  doc.end_group();
  return doc.str();
}

}  // namespace dikkat
