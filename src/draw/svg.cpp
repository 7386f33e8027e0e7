#include "draw/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "io/file_io.h"

namespace dikkat {
namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8
// Fonts every system already has; names left unquoted (valid CSS) so no &apos; repeats on
// every monospace label.
constexpr std::string_view kSansFonts =
    "system-ui, -apple-system, Segoe UI, DejaVu Sans, Helvetica, Arial, sans-serif";
constexpr std::string_view kMonoFonts =
    "ui-monospace, DejaVu Sans Mono, Menlo, Consolas, Liberation Mono, monospace";

// Decodes the code point starting at s[i] and advances i past it; a malformed sequence
// (bad lead byte, truncated, overlong, surrogate, above U+10FFFF) gives kInvalid and skips one
// byte, so decoding always makes progress.
char32_t next_code_point(std::string_view s, size_t& i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  int length = 0;
  char32_t cp = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07;
  } else {
    ++i;
    return kInvalid;
  }
  if (i + length > s.size()) {
    ++i;
    return kInvalid;
  }
  for (int k = 1; k < length; ++k) {
    const auto byte = static_cast<unsigned char>(s[i + k]);
    if ((byte & 0xC0) != 0x80) {
      ++i;
      return kInvalid;
    }
    cp = (cp << 6) | (byte & 0x3F);
  }
  constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kSmallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kInvalid;
  }
  i += length;
  return cp;
}

// XML 1.0's Char production.
bool allowed_in_xml(char32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

bool is_wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) || cp >= 0x20000;
}

// SVG collapses runs of spaces and drops leading/trailing ones unless told to keep them.
bool needs_preserved_space(std::string_view s) {
  return !s.empty() && (s.front() == ' ' || s.back() == ' ' || s.find("  ") != s.npos);
}

std::string attr(std::string_view name, std::string_view value) {
  return std::string(" ") + std::string(name) + "=\"" + xml_escape(value) + "\"";
}

std::string attr(std::string_view name, double value) {
  return std::string(" ") + std::string(name) + "=\"" + svg_number(value) + "\"";
}

std::string paint_attributes(const ShapeStyle& style) {
  std::string out = attr("fill", style.fill);
  if (style.stroke != "none") {
    out += attr("stroke", style.stroke);
    if (style.stroke_width != 1) out += attr("stroke-width", style.stroke_width);
    if (!style.dash.empty()) out += attr("stroke-dasharray", style.dash);
  }
  if (style.opacity != 1) out += attr("opacity", style.opacity);
  return out;
}

// Closes an element, nesting the tooltip inside it when there is one.
std::string close_element(std::string_view name, const ShapeStyle& style) {
  if (style.tooltip.empty()) return "/>\n";
  return "><title>" + xml_escape(style.tooltip) + "</title></" + std::string(name) + ">\n";
}

}  // namespace

std::string xml_escape(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  size_t i = 0;
  while (i < utf8.size()) {
    const size_t start = i;
    const char32_t cp = next_code_point(utf8, i);
    if (cp == kInvalid || !allowed_in_xml(cp)) {
      out += kReplacement;
    } else if (cp == '&') {
      out += "&amp;";
    } else if (cp == '<') {
      out += "&lt;";
    } else if (cp == '>') {
      out += "&gt;";
    } else if (cp == '"') {
      out += "&quot;";
    } else if (cp == '\'') {
      out += "&apos;";
    } else {
      out.append(utf8.substr(start, i - start));
    }
  }
  return out;
}

std::string svg_number(double value) {
  if (!std::isfinite(value)) return "0";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  std::string s = buffer;
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

double estimate_text_width(std::string_view utf8, double font_size) {
  double ems = 0;
  size_t i = 0;
  while (i < utf8.size()) ems += is_wide(next_code_point(utf8, i)) ? 1.0 : 0.6;
  return ems * font_size;
}

SvgDocument::SvgDocument(double width, double height, std::string title)
    : width_(std::max(width, estimate_text_width(title, 17) + 40)),
      height_(height),
      title_(std::move(title)) {}

void SvgDocument::rect(double x, double y, double w, double h, const ShapeStyle& style) {
  body_ += "<rect" + attr("x", x) + attr("y", y) + attr("width", std::max(w, 0.0)) +
           attr("height", std::max(h, 0.0)) + paint_attributes(style) +
           close_element("rect", style);
}

void SvgDocument::circle(double cx, double cy, double r, const ShapeStyle& style) {
  body_ += "<circle" + attr("cx", cx) + attr("cy", cy) + attr("r", r) + paint_attributes(style) +
           close_element("circle", style);
}

void SvgDocument::line(double x1, double y1, double x2, double y2, const ShapeStyle& style) {
  body_ += "<line" + attr("x1", x1) + attr("y1", y1) + attr("x2", x2) + attr("y2", y2) +
           paint_attributes(style) + close_element("line", style);
}

void SvgDocument::polyline(const std::vector<SvgPoint>& points, const ShapeStyle& style) {
  std::string coordinates;
  for (const SvgPoint& p : points) {
    if (!coordinates.empty()) coordinates += ' ';
    coordinates += svg_number(p.x) + "," + svg_number(p.y);
  }
  body_ += "<polyline" + attr("points", coordinates) + paint_attributes(style) +
           close_element("polyline", style);
}

void SvgDocument::arrow(double x1, double y1, double x2, double y2, const ShapeStyle& style) {
  const std::string marker = arrow_marker(style.stroke);
  body_ += "<line" + attr("x1", x1) + attr("y1", y1) + attr("x2", x2) + attr("y2", y2) +
           paint_attributes(style) + attr("marker-end", "url(#" + marker + ")") +
           close_element("line", style);
}

void SvgDocument::text(double x, double y, std::string_view content, const TextStyle& style) {
  std::string element = "<text" + attr("x", x) + attr("y", y);
  if (style.size != 12) element += attr("font-size", style.size);
  if (style.anchor == TextAnchor::kMiddle) element += attr("text-anchor", "middle");
  if (style.anchor == TextAnchor::kEnd) element += attr("text-anchor", "end");
  if (style.bold) element += attr("font-weight", "bold");
  if (style.monospace) element += attr("font-family", kMonoFonts);
  if (style.fill != "#222222") element += attr("fill", style.fill);
  if (style.rotate_degrees != 0) {
    element += attr("transform", "rotate(" + svg_number(style.rotate_degrees) + " " +
                                     svg_number(x) + " " + svg_number(y) + ")");
  }
  if (needs_preserved_space(content)) element += attr("xml:space", "preserve");
  body_ += element + ">" + xml_escape(content) + "</text>\n";
}

void SvgDocument::begin_group(std::string_view name) {
  body_ += "<g" + attr("class", name) + ">\n";
  ++open_groups_;
}

void SvgDocument::end_group() {
  if (open_groups_ == 0) throw std::logic_error("SvgDocument::end_group without begin_group");
  body_ += "</g>\n";
  --open_groups_;
}

std::string SvgDocument::vertical_gradient(const std::vector<GradientStop>& stops) {
  const std::string id = next_id("gradient");
  defs_ += "<linearGradient" + attr("id", id) + " x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">";
  for (const GradientStop& stop : stops) {
    defs_ += "<stop" + attr("offset", stop.offset) + attr("stop-color", stop.color) + "/>";
  }
  defs_ += "</linearGradient>\n";
  return "url(#" + id + ")";
}

std::string SvgDocument::hatch_pattern(std::string_view line_color) {
  // One pattern per colour serves every panel of a grid.
  auto [it, inserted] = shared_def_ids_.try_emplace("hatch " + std::string(line_color));
  if (!inserted) return "url(#" + it->second + ")";
  const std::string id = it->second = next_id("hatch");
  defs_ += "<pattern" + attr("id", id) +
           " width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
           "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>"
           "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\"" +
           attr("stroke", line_color) + " stroke-width=\"1.5\"/></pattern>\n";
  return "url(#" + id + ")";
}

std::string SvgDocument::arrow_marker(const std::string& color) {
  // SVG 1.1 markers cannot take the line's colour, so each colour gets its own marker.
  auto [it, inserted] = shared_def_ids_.try_emplace("arrow " + color);
  if (!inserted) return it->second;
  it->second = next_id("arrow");
  defs_ += "<marker" + attr("id", it->second) +
           " viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" "
           "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\"" +
           attr("fill", color) + "/></marker>\n";
  return it->second;
}

std::string SvgDocument::next_id(std::string_view prefix) {
  return std::string(prefix) + "-" + std::to_string(ids_issued_++);
}

std::string SvgDocument::str() const {
  if (open_groups_ != 0) throw std::logic_error("SvgDocument::str with an unclosed group");
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg";
  out += attr("xmlns", "http://www.w3.org/2000/svg") + attr("width", width_) +
         attr("height", height_) +
         attr("viewBox", "0 0 " + svg_number(width_) + " " + svg_number(height_)) +
         attr("font-family", kSansFonts) + attr("font-size", 12) + attr("fill", "#222222") + ">\n";
  out += "<title>" + xml_escape(title_) + "</title>\n";
  if (!defs_.empty()) out += "<defs>\n" + defs_ + "</defs>\n";
  // An opaque background keeps dark text readable in viewers with a dark theme.
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  out += "<text class=\"chart-title\" x=\"20\" y=\"27\" font-size=\"17\" font-weight=\"bold\">" +
         xml_escape(title_) + "</text>\n";
  out += body_;
  out += "</svg>\n";
  return out;
}

void SvgDocument::write(const std::string& path) const { write_file_atomic(path, str()); }

}  // namespace dikkat
