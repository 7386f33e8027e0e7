#pragma once
// A self-contained SVG document written by hand: no drawing library, no fonts, images, scripts or
// style sheets from elsewhere, so a file opens the same in any browser years later. All text is
// XML-escaped and any byte string (including invalid UTF-8) still gives well-formed XML.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dikkat {

enum class TextAnchor { kStart, kMiddle, kEnd };

struct TextStyle {
  double size = 12;
  TextAnchor anchor = TextAnchor::kStart;
  double rotate_degrees = 0;  // clockwise, about the anchor point
  bool bold = false;
  bool monospace = false;
  std::string fill = "#222222";
};

struct ShapeStyle {
  std::string fill = "none";
  std::string stroke = "none";
  double stroke_width = 1;
  double opacity = 1;
  std::string dash{};     // stroke-dasharray such as "4 3"; empty draws a solid stroke
  std::string tooltip{};  // shown on hover (a <title> child); empty adds none
};

struct SvgPoint {
  double x, y;
};

struct GradientStop {
  double offset;  // 0 = top, 1 = bottom
  std::string color;
};

class SvgDocument {
 public:
  // The band at the top that the visible title takes; charts draw below it.
  static constexpr double kTitleBand = 40;

  // The canvas widens when needed so the visible title is never clipped.
  SvgDocument(double width, double height, std::string title);

  double width() const { return width_; }
  double height() const { return height_; }

  void rect(double x, double y, double w, double h, const ShapeStyle& style);
  void circle(double cx, double cy, double r, const ShapeStyle& style);
  void line(double x1, double y1, double x2, double y2, const ShapeStyle& style);
  void polyline(const std::vector<SvgPoint>& points, const ShapeStyle& style);
  // A line from (x1, y1) with a filled triangular head at (x2, y2), in the stroke colour.
  void arrow(double x1, double y1, double x2, double y2, const ShapeStyle& style);
  void text(double x, double y, std::string_view content, const TextStyle& style);

  // <g class="name">: names the parts of a chart (cells, bars, labels) for readers and tests.
  void begin_group(std::string_view name);
  void end_group();

  // Paint references ("url(#id)") usable as a fill; a hatch of one colour is defined once.
  std::string vertical_gradient(const std::vector<GradientStop>& stops);
  std::string hatch_pattern(std::string_view line_color);

  std::string str() const;
  void write(const std::string& path) const;  // atomically: a reader never sees half a file

 private:
  std::string arrow_marker(const std::string& color);
  std::string next_id(std::string_view prefix);

  double width_, height_;
  std::string title_;
  std::string defs_, body_;
  std::map<std::string, std::string> shared_def_ids_;  // "arrow #rrggbb" -> its id in <defs>
  int open_groups_ = 0;
  int ids_issued_ = 0;
};

// Escapes &, <, >, " and ' and replaces what XML 1.0 forbids (control characters, malformed
// UTF-8, U+FFFE/U+FFFF) with U+FFFD, so any input yields a parseable document.
std::string xml_escape(std::string_view utf8);

// At most two decimals and no trailing zeros ("12.5", "3", "-0.25"): keeps big files small.
// Non-finite numbers print as 0 so a stray NaN cannot make the document invalid.
std::string svg_number(double value);

// Approximate rendered width of `utf8` in a sans-serif font, for layout: wide (CJK, emoji)
// characters count as one em, others as 0.6 em.
double estimate_text_width(std::string_view utf8, double font_size);

}  // namespace dikkat
