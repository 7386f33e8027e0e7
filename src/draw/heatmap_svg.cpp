#include "draw/heatmap_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "draw/svg.h"
#include "draw/svg_axis.h"
#include "error.h"

namespace dikkat {
namespace {

// Past this many cells a tooltip per cell makes the file several times larger for little use.
constexpr int64_t kMaxCellsWithTooltips = 128 * 128;
constexpr double kAxisLabelFont = 13;
constexpr double kAxisLabelBand = 24;
constexpr double kMargin = 20;

void validate(const HeatmapPanel& panel) {
  const std::string name = "heatmap '" + panel.title + "'";
  if (panel.rows < 1 || panel.cols < 1) {
    throw Error(name + ": rows and cols must be at least 1, got " + std::to_string(panel.rows) +
                " x " + std::to_string(panel.cols));
  }
  if (int64_t(panel.values.size()) != panel.rows * panel.cols) {
    throw Error(name + ": expected rows * cols = " + std::to_string(panel.rows * panel.cols) +
                " values, got " + std::to_string(panel.values.size()));
  }
  if (int64_t(panel.row_labels.size()) != panel.rows ||
      int64_t(panel.col_labels.size()) != panel.cols) {
    throw Error(name + ": expected " + std::to_string(panel.rows) + " row labels and " +
                std::to_string(panel.cols) + " column labels, got " +
                std::to_string(panel.row_labels.size()) + " and " +
                std::to_string(panel.col_labels.size()));
  }
}

void validate(const HeatmapStyle& style) {
  if (!(style.lo < style.hi)) {
    throw Error("heatmap '" + style.title + "': the value range needs lo < hi, got [" +
                std::to_string(style.lo) + ", " + std::to_string(style.hi) + "]");
  }
}

double widest_label(const std::vector<std::string>& labels, double font_size) {
  double widest = 0;
  for (const std::string& label : labels) {
    widest = std::max(widest, estimate_text_width(label, font_size));
  }
  return widest;
}

// Column labels stand upright only when every one fits within its column.
bool rotate_column_labels(const std::vector<std::string>& labels, double font, double cell) {
  return widest_label(labels, font) > cell * 0.9;
}

double column_label_extent(const std::vector<std::string>& labels, double font, double cell) {
  return (rotate_column_labels(labels, font, cell) ? widest_label(labels, font) : font) + 8;
}

std::string two_decimals(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return std::string(buffer) == "-0.00" ? "0.00" : buffer;  // a tiny negative is still zero
}

struct MatrixLayout {
  double x, y;  // top-left corner of the first cell
  double cell;
  double label_font;
  bool tooltips;
  double value_font;  // 0 = no values printed in the cells
};

void draw_cells(SvgDocument& doc, const HeatmapPanel& panel, const HeatmapStyle& style,
                const MatrixLayout& at) {
  const double width = double(panel.cols) * at.cell, height = double(panel.rows) * at.cell;
  // Missing values get no cell, so the hatching underneath shows through.
  const bool any_missing =
      std::any_of(panel.values.begin(), panel.values.end(), [](float v) { return std::isnan(v); });
  if (any_missing) doc.rect(at.x, at.y, width, height, {.fill = doc.hatch_pattern("#d0d0d0")});
  doc.begin_group("cells");
  for (int64_t r = 0; r < panel.rows; ++r) {
    for (int64_t c = 0; c < panel.cols; ++c) {
      const float value = panel.values[size_t(r * panel.cols + c)];
      if (std::isnan(value)) continue;
      const Rgb color = scale_color(style.scale, (value - style.lo) / (style.hi - style.lo));
      ShapeStyle cell_style{.fill = hex_color(color)};
      if (at.tooltips) {
        cell_style.tooltip = panel.row_labels[size_t(r)] + " \u2192 " +
                             panel.col_labels[size_t(c)] + ": " + format_significant(value, 4);
      }
      const double x = at.x + double(c) * at.cell, y = at.y + double(r) * at.cell;
      doc.rect(x, y, at.cell, at.cell, cell_style);
      if (at.value_font > 0) {
        doc.text(x + at.cell / 2, y + at.cell / 2 + at.value_font * 0.35, two_decimals(value),
                 {.size = at.value_font,
                  .anchor = TextAnchor::kMiddle,
                  .fill = contrasting_text_color(color)});
      }
    }
  }
  doc.end_group();
  doc.rect(at.x, at.y, width, height, {.stroke = "#999999", .stroke_width = 0.5});
}

void draw_row_labels(SvgDocument& doc, const std::vector<std::string>& labels,
                     const MatrixLayout& at, bool monospace) {
  doc.begin_group("row-labels");
  for (size_t r = 0; r < labels.size(); ++r) {
    doc.text(at.x - 5, at.y + (double(r) + 0.5) * at.cell + at.label_font * 0.35, labels[r],
             {.size = at.label_font, .anchor = TextAnchor::kEnd, .monospace = monospace});
  }
  doc.end_group();
}

void draw_column_labels(SvgDocument& doc, const std::vector<std::string>& labels, double rows,
                        const MatrixLayout& at, bool monospace) {
  const bool rotated = rotate_column_labels(labels, at.label_font, at.cell);
  const double below = at.y + rows * at.cell;
  doc.begin_group("column-labels");
  for (size_t c = 0; c < labels.size(); ++c) {
    const double center = at.x + (double(c) + 0.5) * at.cell;
    if (rotated) {
      // Reads upwards and ends just under the matrix; glyphs sit left of the baseline.
      doc.text(center + at.label_font * 0.35, below + 5, labels[c],
               {.size = at.label_font,
                .anchor = TextAnchor::kEnd,
                .rotate_degrees = -90,
                .monospace = monospace});
    } else {
      doc.text(center, below + 4 + at.label_font, labels[c],
               {.size = at.label_font, .anchor = TextAnchor::kMiddle, .monospace = monospace});
    }
  }
  doc.end_group();
}

// Axis titles kept inside the canvas even when they are longer than the matrix is wide or tall.
void draw_axis_titles(SvgDocument& doc, const HeatmapStyle& style, double matrix_x, double matrix_y,
                      double matrix_w, double matrix_h, double x_label_baseline) {
  const TextStyle font{.size = kAxisLabelFont, .anchor = TextAnchor::kMiddle};
  if (!style.x_label.empty()) {
    const double half = estimate_text_width(style.x_label, kAxisLabelFont) / 2;
    doc.text(std::max(matrix_x + matrix_w / 2, kMargin + half), x_label_baseline, style.x_label,
             font);
  }
  if (!style.y_label.empty()) {
    const double half = estimate_text_width(style.y_label, kAxisLabelFont) / 2;
    TextStyle rotated = font;
    rotated.rotate_degrees = -90;
    doc.text(kMargin + kAxisLabelFont, std::max(matrix_y + matrix_h / 2, matrix_y + half),
             style.y_label, rotated);
  }
}

// A y title longer than the matrix is tall hangs below it; an x title longer than the matrix is
// wide starts at the left margin. The canvas must reach that far.
double y_title_length(const HeatmapStyle& style) {
  return estimate_text_width(style.y_label, kAxisLabelFont);
}

double x_title_right_end(const HeatmapStyle& style) {
  return kMargin + estimate_text_width(style.x_label, kAxisLabelFont);
}

}  // namespace

std::string heatmap_svg(const HeatmapPanel& panel, const HeatmapStyle& style) {
  validate(panel);
  validate(style);
  MatrixLayout at{};
  at.cell = std::clamp(std::floor(640.0 / double(std::max(panel.rows, panel.cols))), 4.0, 44.0);
  at.label_font = std::min(12.0, at.cell * 0.85);
  at.tooltips = panel.rows * panel.cols <= kMaxCellsWithTooltips;
  if (style.show_values) {
    // "0.42" is four characters, "-0.42" five; below 7 px the digits are not worth printing.
    const double chars = style.lo < 0 ? 5 : 4;
    const double font = std::min(11.0, at.cell * 0.85 / (chars * 0.6));
    at.value_font = font >= 7 ? font : 0;
  }
  const double y_band = style.y_label.empty() ? 0 : kAxisLabelBand;
  at.x = std::round(kMargin + y_band + widest_label(panel.row_labels, at.label_font) + 8);
  at.y = SvgDocument::kTitleBand + 10;
  const double matrix_w = double(panel.cols) * at.cell, matrix_h = double(panel.rows) * at.cell;
  const double labels_below = column_label_extent(panel.col_labels, at.label_font, at.cell);
  const double x_label_baseline = at.y + matrix_h + labels_below + kAxisLabelFont + 4;

  const ColorBar bar{.x = at.x + matrix_w + 24,
                     .y = at.y,
                     .height = std::clamp(matrix_h, 160.0, 480.0),
                     .scale = style.scale,
                     .lo = style.lo,
                     .hi = style.hi,
                     .label = style.color_bar_label};
  const double content_bottom =
      std::max({style.x_label.empty() ? at.y + matrix_h + labels_below : x_label_baseline + 4,
                at.y + bar.height + 8, at.y + y_title_length(style)});
  const double content_right = std::max(bar.x + color_bar_width(bar), x_title_right_end(style));
  SvgDocument doc(content_right + kMargin, content_bottom + kMargin, style.title);
  draw_cells(doc, panel, style, at);
  draw_row_labels(doc, panel.row_labels, at, style.monospace_labels);
  draw_column_labels(doc, panel.col_labels, double(panel.rows), at, style.monospace_labels);
  draw_axis_titles(doc, style, at.x, at.y, matrix_w, matrix_h, x_label_baseline);
  draw_color_bar(doc, bar);
  return doc.str();
}

std::string heatmap_grid_svg(const std::vector<HeatmapPanel>& panels, int64_t columns,
                             const HeatmapStyle& style) {
  if (panels.empty()) throw Error("heatmap grid '" + style.title + "': no panels");
  if (columns < 1) throw Error("heatmap grid '" + style.title + "': columns must be at least 1");
  validate(style);
  const HeatmapPanel& first = panels.front();
  for (const HeatmapPanel& panel : panels) {
    validate(panel);
    if (panel.rows != first.rows || panel.cols != first.cols) {
      throw Error("heatmap grid '" + style.title + "': panel '" + panel.title + "' is " +
                  std::to_string(panel.rows) + " x " + std::to_string(panel.cols) +
                  ", the first is " + std::to_string(first.rows) + " x " +
                  std::to_string(first.cols));
    }
  }
  constexpr double kPanelTitleBand = 16, kGapX = 14, kGapY = 10;
  const int64_t grid_rows = (int64_t(panels.size()) + columns - 1) / columns;
  const int64_t grid_cols = std::min<int64_t>(columns, int64_t(panels.size()));
  const double cell =
      std::clamp(std::floor(240.0 / double(std::max(first.rows, first.cols))), 2.0, 14.0);
  const double label_font = std::min(10.0, cell * 0.85);
  const double panel_w = double(first.cols) * cell, panel_h = double(first.rows) * cell;
  const double labels_below = column_label_extent(first.col_labels, label_font, cell);
  const double y_band = style.y_label.empty() ? 0 : kAxisLabelBand;
  const double left = std::round(kMargin + y_band + widest_label(first.row_labels, label_font) + 8);
  const double top = SvgDocument::kTitleBand + 6;
  const double pitch_x = panel_w + kGapX, pitch_y = kPanelTitleBand + panel_h + kGapY;
  const double grid_w = double(grid_cols) * pitch_x - kGapX;
  const double grid_h = double(grid_rows) * pitch_y - kGapY + labels_below;
  const double x_label_baseline = top + grid_h + kAxisLabelFont + 4;

  const ColorBar bar{.x = left + grid_w + 24,
                     .y = top + kPanelTitleBand,
                     .height = std::clamp(grid_h - kPanelTitleBand, 160.0, 400.0),
                     .scale = style.scale,
                     .lo = style.lo,
                     .hi = style.hi,
                     .label = style.color_bar_label};
  const double content_bottom =
      std::max({style.x_label.empty() ? top + grid_h : x_label_baseline + 4, bar.y + bar.height + 8,
                top + y_title_length(style)});
  const double content_right = std::max(bar.x + color_bar_width(bar), x_title_right_end(style));
  SvgDocument doc(content_right + kMargin, content_bottom + kMargin, style.title);
  const bool tooltips = int64_t(panels.size()) * first.rows * first.cols <= kMaxCellsWithTooltips;
  for (size_t i = 0; i < panels.size(); ++i) {
    const auto grid_row = int64_t(i) / columns, grid_col = int64_t(i) % columns;
    const MatrixLayout at{.x = left + double(grid_col) * pitch_x,
                          .y = top + double(grid_row) * pitch_y + kPanelTitleBand,
                          .cell = cell,
                          .label_font = label_font,
                          .tooltips = tooltips,
                          .value_font = 0};
    doc.begin_group("panel");
    const double title_font =
        std::min(11.0, panel_w / std::max(estimate_text_width(panels[i].title, 1.0), 1.0));
    doc.text(at.x + panel_w / 2, at.y - 5, panels[i].title,
             {.size = title_font, .anchor = TextAnchor::kMiddle, .fill = "#333333"});
    draw_cells(doc, panels[i], style, at);
    // Labels only on the outer edges: left of the first column, under the lowest panels.
    if (grid_col == 0) draw_row_labels(doc, first.row_labels, at, style.monospace_labels);
    if (int64_t(i) + columns >= int64_t(panels.size())) {
      draw_column_labels(doc, first.col_labels, double(first.rows), at, style.monospace_labels);
    }
    doc.end_group();
  }
  draw_axis_titles(doc, style, left, top, grid_w, grid_h, x_label_baseline);
  draw_color_bar(doc, bar);
  return doc.str();
}

}  // namespace dikkat
