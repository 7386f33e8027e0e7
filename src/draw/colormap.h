#pragma once
// Colour scales for the charts: a perceptually uniform sequential scale for values in [0, 1]
// (attention weights, probabilities), a diverging one for signed values, a categorical palette
// for series, and the colour bar that explains a scale.
#include <cstddef>
#include <cstdint>
#include <string>

#include "draw/svg.h"

namespace dikkat {

struct Rgb {
  uint8_t r, g, b;
};

enum class ColorScale {
  kViridis,       // sequential: dark purple (low) through teal to yellow (high)
  kBlueWhiteRed,  // diverging: blue (low), white (middle), red (high)
};

// The colour at position t in [0, 1] (clamped; NaN gives the low end).
Rgb scale_color(ColorScale scale, double t);

// "#rrggbb".
std::string hex_color(Rgb color);

// Near-black or white, whichever reads better on `background` (by relative luminance).
std::string contrasting_text_color(Rgb background);

// Tableau 10: distinct colours for chart series; cycles after ten.
Rgb series_color(size_t index);

struct ColorBar {
  double x = 0, y = 0;  // top-left corner of the gradient strip
  double width = 14, height = 200;
  ColorScale scale = ColorScale::kViridis;
  double lo = 0, hi = 1;  // the values at the bottom and the top of the strip
  std::string label{};
};

// A vertical gradient strip with ticks and values on its right and the label beside them.
void draw_color_bar(SvgDocument& doc, const ColorBar& bar);

// How far the colour bar reaches right of bar.x, ticks and label included.
double color_bar_width(const ColorBar& bar);

}  // namespace dikkat
