#include "draw/svg_legend.h"

#include <algorithm>

namespace dikkat {
namespace {

constexpr double kRowHeight = 20;
constexpr double kSwatchWidth = 22;
constexpr double kFontSize = 12;
constexpr double kEntryGap = 18;

double entry_width(const LegendEntry& entry) {
  return kSwatchWidth + 6 + estimate_text_width(entry.name, kFontSize);
}

// The top-left corner of each entry, rows wrapped at max_width.
std::vector<SvgPoint> entry_positions(const std::vector<LegendEntry>& entries, double max_width) {
  std::vector<SvgPoint> positions;
  double x = 0, y = 0;
  for (const LegendEntry& entry : entries) {
    if (x > 0 && x + entry_width(entry) > max_width) x = 0, y += kRowHeight;
    positions.push_back({x, y});
    x += entry_width(entry) + kEntryGap;
  }
  return positions;
}

}  // namespace

double legend_height(const std::vector<LegendEntry>& entries, double max_width) {
  if (entries.empty()) return 0;
  return entry_positions(entries, max_width).back().y + kRowHeight;
}

void draw_legend(SvgDocument& doc, const std::vector<LegendEntry>& entries, double x, double y,
                 double max_width) {
  const std::vector<SvgPoint> positions = entry_positions(entries, max_width);
  doc.begin_group("legend");
  for (size_t i = 0; i < entries.size(); ++i) {
    const LegendEntry& e = entries[i];
    const double left = x + positions[i].x, middle = y + positions[i].y + kRowHeight / 2;
    if (e.swatch == LegendSwatch::kBox) {
      doc.rect(left + 5, middle - 6, 12, 12, {.fill = e.color});
    }
    if (e.swatch == LegendSwatch::kLine || e.swatch == LegendSwatch::kLineAndPoint) {
      doc.line(left, middle, left + kSwatchWidth, middle,
               {.stroke = e.color, .stroke_width = 2, .dash = e.dash});
    }
    if (e.swatch == LegendSwatch::kPoint || e.swatch == LegendSwatch::kLineAndPoint) {
      doc.circle(left + kSwatchWidth / 2, middle, 3.5, {.fill = e.color});
    }
    doc.text(left + kSwatchWidth + 6, middle + kFontSize * 0.35, e.name, {.size = kFontSize});
  }
  doc.end_group();
}

}  // namespace dikkat
