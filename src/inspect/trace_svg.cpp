#include "inspect/trace_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "draw/colormap.h"
#include "draw/svg.h"

namespace dikkat {

namespace {

constexpr double kLeft = 90, kRight = 30, kCellW = 40, kCellH = 16, kPanelGap = 18;
constexpr double kHeader = 34, kStepGap = 14, kBarRow = 18, kBarWidth = 300;

struct Layout {
  int64_t heads, rows, cols, shown;  // shown: columns drawn (at most dims)
};

Layout layout_of(const Tensor& t, int64_t dims) {
  const bool per_head = t.shape.size() == 3;
  const int64_t heads = per_head ? t.size(0) : 1, rows = t.size(per_head ? 1 : 0);
  const int64_t cols = t.size(-1);
  return {heads, rows, cols, std::min(cols, dims)};
}

double step_height(const Layout& l) { return kHeader + double(l.rows) * kCellH + kStepGap; }
double step_width(const Layout& l) {
  return double(l.heads) * (double(l.shown) * kCellW + kPanelGap);
}

std::string cell_text(float v) {
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[16];
  std::snprintf(buf, sizeof buf, std::fabs(v) >= 100 ? "%.0f" : "%.2f", double(v));
  return buf;
}

void draw_step(SvgDocument& doc, const Tensor& t, const Layout& l, const std::string& title,
               const std::vector<std::string>& labels, bool probabilities, double y) {
  char shape[64];
  std::snprintf(
      shape, sizeof shape, "  (%s%s)", shape_to_string(t.shape).c_str(),
      l.shown < l.cols ? (", first " + std::to_string(l.shown) + " values shown").c_str() : "");
  doc.text(kLeft, y + 16, title + shape, {.size = 12, .bold = true});
  float extent = 0.0f;
  for (float v : t.data)
    if (std::isfinite(v)) extent = std::max(extent, std::fabs(v));
  if (extent == 0.0f) extent = 1.0f;
  const double top = y + kHeader;
  for (int64_t r = 0; r < l.rows; ++r)
    doc.text(kLeft - 8, top + double(r) * kCellH + kCellH * 0.72, labels[size_t(r)],
             {.size = 11, .anchor = TextAnchor::kEnd, .monospace = true});
  for (int64_t h = 0; h < l.heads; ++h) {
    const double left = kLeft + double(h) * (double(l.shown) * kCellW + kPanelGap);
    if (l.heads > 1)
      doc.text(left, top - 4, "head " + std::to_string(h + 1), {.size = 10, .fill = "#555555"});
    doc.rect(left, top, double(l.shown) * kCellW, double(l.rows) * kCellH,
             {.fill = doc.hatch_pattern("#d0d0d0")});
    doc.begin_group("cells");
    for (int64_t r = 0; r < l.rows; ++r)
      for (int64_t c = 0; c < l.shown; ++c) {
        const float v = t.data[size_t((h * l.rows + r) * l.cols + c)];
        const double x = left + double(c) * kCellW, cy = top + double(r) * kCellH;
        if (std::isinf(v)) {  // the causal mask: no colour, the hatch shows through
          doc.text(x + kCellW / 2, cy + kCellH * 0.72, cell_text(v),
                   {.size = 9, .anchor = TextAnchor::kMiddle, .fill = "#777777"});
          continue;
        }
        const Rgb color = probabilities
                              ? scale_color(ColorScale::kViridis, v)
                              : scale_color(ColorScale::kBlueWhiteRed, 0.5 + 0.5 * v / extent);
        doc.rect(x, cy, kCellW, kCellH, {.fill = hex_color(color)});
        doc.text(x + kCellW / 2, cy + kCellH * 0.72, cell_text(v),
                 {.size = 9, .anchor = TextAnchor::kMiddle, .fill = contrasting_text_color(color)});
      }
    doc.end_group();
  }
}

}  // namespace

std::string trace_svg(const ActivationTrace& trace, const TraceFigure& figure) {
  double width = kLeft + kBarWidth + 120, height = SvgDocument::kTitleBand + 10;
  for (const auto& e : trace.entries()) {
    const Layout l = layout_of(e.value, figure.dims);
    width = std::max(width, kLeft + step_width(l) + kRight);
    height += step_height(l);
  }
  height += kHeader + double(figure.next.size()) * kBarRow + 20;
  SvgDocument doc(width, height, figure.title);
  double y = SvgDocument::kTitleBand + 10;
  for (size_t i = 0; i < trace.entries().size(); ++i) {
    const auto& e = trace.entries()[i];
    const Layout l = layout_of(e.value, figure.dims);
    const bool probabilities = e.name.ends_with("attn.weights");
    draw_step(doc, e.value, l, std::to_string(i + 2) + ". " + figure.step_titles[i],
              figure.step_labels.empty() ? figure.token_labels : figure.step_labels[i],
              probabilities, y);
    y += step_height(l);
  }
  doc.text(kLeft, y + 16, "next token: softmax of the last position's logits",
           {.size = 12, .bold = true});
  y += kHeader;
  doc.begin_group("bars");
  for (const NextToken& t : figure.next) {
    doc.rect(kLeft, y + 2, std::max(1.0, t.probability * kBarWidth), kBarRow - 4,
             {.fill = hex_color(series_color(0))});
    y += kBarRow;
  }
  doc.end_group();
  y -= kBarRow * double(figure.next.size());
  for (const NextToken& t : figure.next) {
    doc.text(kLeft - 8, y + kBarRow * 0.7, t.label,
             {.size = 11, .anchor = TextAnchor::kEnd, .monospace = true});
    char p[24];
    std::snprintf(p, sizeof p, "%.4f", t.probability);
    doc.text(kLeft + std::max(1.0, t.probability * kBarWidth) + 6, y + kBarRow * 0.7, p,
             {.size = 10});
    y += kBarRow;
  }
  return doc.str();
}

}  // namespace dikkat
