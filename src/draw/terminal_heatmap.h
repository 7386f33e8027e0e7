#pragma once
// Tables and heatmaps for the terminal: values shaded with the same colour scale as the SVGs
// (24-bit ANSI backgrounds) when colour is on, or with a density ramp of characters when it is
// off, so a table piped to a file still reads.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dikkat {

// Colour only for a terminal: not when stdout is redirected, not with --no-color, and not when
// the NO_COLOR environment variable is set (no-color.org).
bool stdout_wants_color(bool no_color_flag);

// Columns `s` takes in a terminal: one per code point, two for East Asian wide characters.
int64_t display_width(std::string_view s);
// `s` cut to `width` columns (ending in "…" when cut) and padded with spaces to exactly `width`.
std::string fit_to_width(std::string_view s, int64_t width, bool align_right = false);

struct TerminalTable {
  std::vector<std::string> row_labels, col_labels;
  int64_t rows = 0, cols = 0;
  std::vector<float> values;   // rows * cols; NaN prints as blank
  float lo = 0.0f, hi = 1.0f;  // the colour scale's range
  int decimals = 2;
};

// Each cell as a number, shaded by value; rows and columns labelled (numbered from 1 in a first
// header line, so long labels stay readable).
std::string render_value_table(const TerminalTable& t, bool color);
// Each cell as two shaded blanks (or a ramp character twice without colour): a compact heatmap.
std::string render_mini_heatmap(const TerminalTable& t, bool color);
// A bar of `width` columns for `fraction` in [0, 1], drawn with eighth blocks.
std::string horizontal_bar(double fraction, int width);

}  // namespace dikkat
