#include "draw/terminal_heatmap.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "draw/colormap.h"

namespace dikkat {

namespace {

// Decodes one code point at `i` (advancing it); malformed bytes count as one column each.
char32_t next_code_point(std::string_view s, size_t& i) {
  const unsigned char c = s[i];
  const int len = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xe  ? 3
                  : (c >> 3) == 0x1e ? 4
                                     : 1;
  if (len == 1 || i + len > s.size()) return char32_t(s[i++]);
  char32_t cp = c & (0x7f >> len);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (s[i + k] & 0x3f);
  i += len;
  return cp;
}

bool is_wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
         (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
         (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
         (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) ||
         (cp >= 0x20000 && cp <= 0x3fffd);
}

double unit(float v, float lo, float hi) {
  return hi > lo ? std::clamp((double(v) - lo) / (double(hi) - lo), 0.0, 1.0) : 0.0;
}

// Background from the SVGs' viridis scale, text in the colour that reads on it.
std::string shaded(const std::string& text, double t) {
  const Rgb bg = scale_color(ColorScale::kViridis, t);
  const bool dark_text = contrasting_text_color(bg) != "#ffffff";
  char esc[48];
  std::snprintf(esc, sizeof esc, "\x1b[48;2;%d;%d;%dm\x1b[%sm", bg.r, bg.g, bg.b,
                dark_text ? "30" : "97");
  return esc + text + "\x1b[0m";
}

// Ten steps from empty to full, for output without colour.
char density_char(double t) {
  static constexpr char ramp[] = " .:-=+*#%@";
  return ramp[std::min(9, int(t * 10.0))];
}

std::string row_header(const TerminalTable& t, int64_t r, int64_t label_width) {
  return fit_to_width(std::to_string(r + 1), 3, true) + " " +
         fit_to_width(t.row_labels[r], label_width) + " ";
}

int64_t widest_label(const std::vector<std::string>& labels, int64_t cap) {
  int64_t w = 1;
  for (const auto& l : labels) w = std::max(w, display_width(l));
  return std::min(w, cap);
}

}  // namespace

bool stdout_wants_color(bool no_color_flag) {
  return !no_color_flag && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

int64_t display_width(std::string_view s) {
  int64_t w = 0;
  for (size_t i = 0; i < s.size();) w += is_wide(next_code_point(s, i)) ? 2 : 1;
  return w;
}

std::string fit_to_width(std::string_view s, int64_t width, bool align_right) {
  std::string out;
  int64_t used = 0;
  if (display_width(s) > width) {
    for (size_t i = 0; i < s.size();) {
      const size_t start = i;
      const int64_t w = is_wide(next_code_point(s, i)) ? 2 : 1;
      if (used + w > width - 1) break;
      out.append(s.substr(start, i - start));
      used += w;
    }
    out += "…";
    ++used;
  } else {
    out = std::string(s);
    used = display_width(s);
  }
  const std::string pad(size_t(std::max<int64_t>(0, width - used)), ' ');
  return align_right ? pad + out : out + pad;
}

std::string render_value_table(const TerminalTable& t, bool color) {
  const int64_t label_w = widest_label(t.row_labels, 16);
  const int64_t cell_w = std::max<int64_t>(t.decimals + 3, 4);
  std::string out(size_t(4 + label_w + 1), ' ');
  for (int64_t c = 0; c < t.cols; ++c)
    out += fit_to_width(std::to_string(c + 1), cell_w, true) + " ";
  out += '\n';
  out.append(size_t(4 + label_w + 1), ' ');
  for (int64_t c = 0; c < t.cols; ++c) out += fit_to_width(t.col_labels[c], cell_w, true) + " ";
  out += "\n";
  for (int64_t r = 0; r < t.rows; ++r) {
    out += row_header(t, r, label_w);
    for (int64_t c = 0; c < t.cols; ++c) {
      const float v = t.values[r * t.cols + c];
      char num[32] = "";
      if (!std::isnan(v)) std::snprintf(num, sizeof num, "%.*f", t.decimals, double(v));
      const std::string cell = fit_to_width(num, cell_w, true);
      if (color && !std::isnan(v))
        out += shaded(cell, unit(v, t.lo, t.hi)) + " ";
      else
        out += cell + " ";
    }
    out += "\n";
  }
  return out;
}

std::string render_mini_heatmap(const TerminalTable& t, bool color) {
  const int64_t label_w = widest_label(t.row_labels, 12);
  std::string out;
  for (int64_t r = 0; r < t.rows; ++r) {
    out += row_header(t, r, label_w);
    for (int64_t c = 0; c < t.cols; ++c) {
      const float v = t.values[r * t.cols + c];
      const double u = std::isnan(v) ? 0.0 : unit(v, t.lo, t.hi);
      out += color ? shaded("  ", u) : std::string(2, density_char(u));
    }
    out += "\n";
  }
  return out;
}

std::string horizontal_bar(double fraction, int width) {
  static const char* eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  const int total = int(std::lround(std::clamp(fraction, 0.0, 1.0) * width * 8));
  std::string out;
  for (int i = 0; i < total / 8; ++i) out += "█";
  out += eighths[total % 8];
  return out;
}

}  // namespace dikkat
