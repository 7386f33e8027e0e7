#include "draw/svg_axis.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dikkat {
namespace {

constexpr double kTickLength = 5;
constexpr double kTickFontSize = 11;
constexpr double kLabelFontSize = 12;
constexpr double kGap = 8;

std::string tick_label(const AxisTicks& ticks, size_t i) {
  return i < ticks.labels.size() ? ticks.labels[i] : format_tick(ticks.values[i], ticks.step);
}

double widest_tick_label(const AxisTicks& ticks) {
  double widest = 0;
  for (size_t i = 0; i < ticks.values.size(); ++i) {
    widest = std::max(widest, estimate_text_width(tick_label(ticks, i), kTickFontSize));
  }
  return widest;
}

}  // namespace

AxisTicks nice_ticks(double lo, double hi, int target_intervals) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo <= 1e-12 * std::max(1.0, std::abs(lo))) {
    const double pad = lo == 0 ? 1 : std::abs(lo) * 0.1;
    lo -= pad, hi += pad;
  }
  const double raw_step = (hi - lo) / std::max(target_intervals, 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw_step)));
  const double ratio = raw_step / magnitude;
  const double step = magnitude * (ratio <= 1 ? 1 : ratio <= 2 ? 2 : ratio <= 5 ? 5 : 10);
  // The small slack keeps a bound that already sits on a tick from growing one more step.
  const double first = std::floor(lo / step + 1e-9) * step;
  const double last = std::ceil(hi / step - 1e-9) * step;
  AxisTicks ticks{first, last, step, {}};
  const auto intervals = static_cast<int64_t>(std::llround((last - first) / step));
  for (int64_t k = 0; k <= intervals; ++k) {
    const double v = first + double(k) * step;
    ticks.values.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  }
  return ticks;
}

std::string format_tick(double value, double step) {
  char buffer[64];
  if (step >= 1e-4 && std::abs(value) < 1e6) {
    const int decimals = std::max(0, int(std::ceil(-std::log10(step) - 1e-9)));
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
  }
  return buffer;
}

std::string format_significant(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return buffer;
}

void draw_axis(SvgDocument& doc, const AxisSpec& spec) {
  const AxisTicks& t = spec.ticks;
  const auto offset = [&](double v) { return (v - t.lo) / (t.hi - t.lo) * spec.length; };
  const ShapeStyle axis_stroke{.stroke = spec.color};
  const ShapeStyle grid_stroke{.stroke = "#e4e4e4"};
  const TextStyle tick_text{.size = kTickFontSize,
                            .anchor = spec.side == AxisSide::kBottom ? TextAnchor::kMiddle
                                      : spec.side == AxisSide::kLeft ? TextAnchor::kEnd
                                                                     : TextAnchor::kStart,
                            .fill = spec.color};
  doc.begin_group("axis");
  if (spec.side == AxisSide::kBottom) {
    for (size_t i = 0; i < t.values.size(); ++i) {
      const double px = spec.x + offset(t.values[i]);
      if (spec.grid_length > 0) doc.line(px, spec.y, px, spec.y - spec.grid_length, grid_stroke);
      doc.line(px, spec.y, px, spec.y + kTickLength, axis_stroke);
      doc.text(px, spec.y + kTickLength + 13, tick_label(t, i), tick_text);
    }
    doc.line(spec.x, spec.y, spec.x + spec.length, spec.y, axis_stroke);
    if (!spec.label.empty()) {
      doc.text(spec.x + spec.length / 2, spec.y + axis_extent(spec) - 4, spec.label,
               {.size = kLabelFontSize, .anchor = TextAnchor::kMiddle});
    }
  } else {
    const double direction = spec.side == AxisSide::kLeft ? -1 : 1;
    for (size_t i = 0; i < t.values.size(); ++i) {
      const double py = spec.y - offset(t.values[i]);
      if (spec.grid_length > 0) {
        doc.line(spec.x, py, spec.x - direction * spec.grid_length, py, grid_stroke);
      }
      doc.line(spec.x, py, spec.x + direction * kTickLength, py, axis_stroke);
      doc.text(spec.x + direction * (kTickLength + 3), py + 4, tick_label(t, i), tick_text);
    }
    doc.line(spec.x, spec.y, spec.x, spec.y - spec.length, axis_stroke);
    if (!spec.label.empty()) {
      // Rotated text grows away from its baseline on the side facing outwards, so the baseline
      // sits just past the tick labels.
      const double baseline = spec.x + direction * (kTickLength + 3 + widest_tick_label(t) + 6);
      doc.text(baseline, spec.y - spec.length / 2, spec.label,
               {.size = kLabelFontSize,
                .anchor = TextAnchor::kMiddle,
                .rotate_degrees = direction * 90});
    }
  }
  doc.end_group();
}

double axis_extent(const AxisSpec& spec) {
  const double label = spec.label.empty() ? 0 : kLabelFontSize + kGap;
  if (spec.side == AxisSide::kBottom) return kTickLength + 13 + 4 + label + 4;
  return kTickLength + 3 + widest_tick_label(spec.ticks) + (spec.label.empty() ? 0 : 6) + label;
}

}  // namespace dikkat
