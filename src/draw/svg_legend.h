#pragma once
// A chart legend: entries (a swatch and a name) laid out left to right, wrapping onto further
// rows when they do not fit the width.
#include <string>
#include <vector>

#include "draw/svg.h"

namespace dikkat {

enum class LegendSwatch { kBox, kLine, kPoint, kLineAndPoint };

struct LegendEntry {
  std::string name{};
  std::string color{};
  LegendSwatch swatch = LegendSwatch::kBox;
  std::string dash{};  // the line's dash pattern, for kLine and kLineAndPoint
};

// The height the legend takes when wrapped to `max_width`.
double legend_height(const std::vector<LegendEntry>& entries, double max_width);

// Draws the legend with its first row's top edge at y.
void draw_legend(SvgDocument& doc, const std::vector<LegendEntry>& entries, double x, double y,
                 double max_width);

}  // namespace dikkat
