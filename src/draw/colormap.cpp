#include "draw/colormap.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "draw/svg_axis.h"

namespace dikkat {
namespace {

// matplotlib's viridis sampled at ten evenly spaced points; linear interpolation between them
// stays within a few units of the full 256-entry table.
constexpr std::array<Rgb, 10> kViridis = {{{0x44, 0x01, 0x54},
                                           {0x48, 0x28, 0x78},
                                           {0x3e, 0x49, 0x89},
                                           {0x31, 0x68, 0x8e},
                                           {0x26, 0x82, 0x8e},
                                           {0x1f, 0x9e, 0x89},
                                           {0x35, 0xb7, 0x79},
                                           {0x6e, 0xce, 0x58},
                                           {0xb5, 0xde, 0x2b},
                                           {0xfd, 0xe7, 0x25}}};

// ColorBrewer's 9-class RdBu, reversed so that low is blue and high is red.
constexpr std::array<Rgb, 9> kBlueWhiteRed = {{{0x21, 0x66, 0xac},
                                               {0x43, 0x93, 0xc3},
                                               {0x92, 0xc5, 0xde},
                                               {0xd1, 0xe5, 0xf0},
                                               {0xf7, 0xf7, 0xf7},
                                               {0xfd, 0xdb, 0xc7},
                                               {0xf4, 0xa5, 0x82},
                                               {0xd6, 0x60, 0x4d},
                                               {0xb2, 0x18, 0x2b}}};

constexpr std::array<Rgb, 10> kTableau10 = {{{0x4e, 0x79, 0xa7},
                                             {0xf2, 0x8e, 0x2b},
                                             {0xe1, 0x57, 0x59},
                                             {0x76, 0xb7, 0xb2},
                                             {0x59, 0xa1, 0x4f},
                                             {0xed, 0xc9, 0x48},
                                             {0xb0, 0x7a, 0xa1},
                                             {0xff, 0x9d, 0xa7},
                                             {0x9c, 0x75, 0x5f},
                                             {0xba, 0xb0, 0xac}}};

template <size_t N>
Rgb interpolate(const std::array<Rgb, N>& anchors, double t) {
  t = std::isnan(t) ? 0.0 : std::clamp(t, 0.0, 1.0);
  const double position = t * double(N - 1);
  const size_t i = std::min(size_t(position), N - 2);
  const double f = position - double(i);
  const auto mix = [f](uint8_t a, uint8_t b) {
    return uint8_t(std::lround(double(a) + (double(b) - double(a)) * f));
  };
  const Rgb& a = anchors[i];
  const Rgb& b = anchors[i + 1];
  return {mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b)};
}

double linear_channel(uint8_t c) {
  const double s = c / 255.0;
  return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
}

AxisSpec color_bar_axis(const ColorBar& bar) {
  AxisTicks ticks = nice_ticks(bar.lo, bar.hi);
  // The strip shows exactly [lo, hi]; nice ticks may reach past it, so keep the ones inside.
  std::erase_if(ticks.values, [&](double v) {
    const double slack = 1e-9 * (bar.hi - bar.lo);
    return v < bar.lo - slack || v > bar.hi + slack;
  });
  ticks.lo = bar.lo, ticks.hi = bar.hi;
  return {.side = AxisSide::kRight,
          .x = bar.x + bar.width,
          .y = bar.y + bar.height,
          .length = bar.height,
          .ticks = ticks,
          .label = bar.label};
}

}  // namespace

Rgb scale_color(ColorScale scale, double t) {
  return scale == ColorScale::kViridis ? interpolate(kViridis, t) : interpolate(kBlueWhiteRed, t);
}

std::string hex_color(Rgb color) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", color.r, color.g, color.b);
  return buffer;
}

std::string contrasting_text_color(Rgb background) {
  const double luminance = 0.2126 * linear_channel(background.r) +
                           0.7152 * linear_channel(background.g) +
                           0.0722 * linear_channel(background.b);
  // 0.18 is where black and white text have equal contrast ratios against the background.
  return luminance > 0.18 ? "#111111" : "#ffffff";
}

Rgb series_color(size_t index) { return kTableau10[index % kTableau10.size()]; }

void draw_color_bar(SvgDocument& doc, const ColorBar& bar) {
  constexpr int kStops = 16;
  std::vector<GradientStop> stops;
  for (int i = 0; i <= kStops; ++i) {
    const double offset = double(i) / kStops;
    stops.push_back({offset, hex_color(scale_color(bar.scale, 1.0 - offset))});
  }
  doc.begin_group("color-bar");
  doc.rect(bar.x, bar.y, bar.width, bar.height,
           {.fill = doc.vertical_gradient(stops), .stroke = "#888888", .stroke_width = 0.5});
  draw_axis(doc, color_bar_axis(bar));
  doc.end_group();
}

double color_bar_width(const ColorBar& bar) { return bar.width + axis_extent(color_bar_axis(bar)); }

}  // namespace dikkat
