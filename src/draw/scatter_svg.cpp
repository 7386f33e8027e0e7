#include "draw/scatter_svg.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "draw/colormap.h"
#include "draw/svg.h"
#include "draw/svg_axis.h"
#include "error.h"

namespace dikkat {
namespace {

constexpr double kPlotSize = 400;  // side of each panel's square plot area
constexpr double kPanelGap = 50;
constexpr double kPanelTitleBand = 26;
constexpr double kMargin = 20;
constexpr double kPointRadius = 4.5;
constexpr double kLabelFont = 11;
constexpr double kLabelOverhang = 30;  // a label beside the rightmost point reaches past the plot
// 3-D box tick labels and axis titles sit this far outside the projected box.
constexpr double kBoxMargin = 40;
const std::string kPointColor = "#3b6ea5";
const std::string kGhostColor = "#9a9a9a";

struct SharedRanges {
  AxisTicks x, y, z;
};

void validate(const std::vector<ScatterPanel>& panels, int dims) {
  if (dims != 2 && dims != 3) {
    throw Error("scatter plot: dims must be 2 or 3, got " + std::to_string(dims));
  }
  if (panels.empty()) throw Error("scatter plot: no panels");
  for (const ScatterPanel& panel : panels) {
    if (!panel.ghosts.empty() && panel.ghosts.size() != panel.points.size()) {
      throw Error("scatter panel '" + panel.title + "': " + std::to_string(panel.ghosts.size()) +
                  " earlier positions for " + std::to_string(panel.points.size()) + " points");
    }
    for (const auto* list : {&panel.points, &panel.ghosts}) {
      for (const ScatterPoint& p : *list) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y) || (dims == 3 && !std::isfinite(p.z))) {
          throw Error("scatter panel '" + panel.title + "': point '" + p.label +
                      "' has a non-finite coordinate");
        }
      }
    }
  }
}

// One range per axis over every point and ghost of every panel, padded so that points at the
// extremes do not sit on the frame.
SharedRanges shared_ranges(const std::vector<ScatterPanel>& panels) {
  std::array<double, 3> lo, hi;
  lo.fill(INFINITY), hi.fill(-INFINITY);
  for (const ScatterPanel& panel : panels) {
    for (const auto* list : {&panel.points, &panel.ghosts}) {
      for (const ScatterPoint& p : *list) {
        const std::array<double, 3> v = {p.x, p.y, p.z};
        for (int a = 0; a < 3; ++a) lo[a] = std::min(lo[a], v[a]), hi[a] = std::max(hi[a], v[a]);
      }
    }
  }
  std::array<AxisTicks, 3> ticks;
  for (int a = 0; a < 3; ++a) {
    const double pad = (hi[a] - lo[a]) * 0.06;
    ticks[a] = nice_ticks(lo[a] - pad, hi[a] + pad);  // no points at all: lo > hi, gives [0, 1]
  }
  return {ticks[0], ticks[1], ticks[2]};
}

double fraction(double v, const AxisTicks& t) { return (v - t.lo) / (t.hi - t.lo); }

// Ends the arrow short of the point's circle so that its head stays visible.
void draw_move_arrow(SvgDocument& doc, SvgPoint from, SvgPoint to, double radius) {
  const double dx = to.x - from.x, dy = to.y - from.y, length = std::hypot(dx, dy);
  if (length <= radius + 2) return;  // the point barely moved; an arrow would be all head
  const double keep = (length - radius - 1) / length;
  doc.arrow(from.x, from.y, from.x + dx * keep, from.y + dy * keep,
            {.stroke = kGhostColor, .stroke_width = 1, .opacity = 0.8});
}

std::string point_tooltip(const ScatterPoint& p, int dims) {
  std::string s = p.label + " (" + svg_number(p.x) + ", " + svg_number(p.y);
  if (dims == 3) s += ", " + svg_number(p.z);
  return s + ")";
}

void draw_panel_2d(SvgDocument& doc, const ScatterPanel& panel, const SharedRanges& ranges,
                   double left, double top, const ScatterStyle& style) {
  const double bottom = top + kPlotSize;
  draw_axis(doc, {.side = AxisSide::kBottom,
                  .x = left,
                  .y = bottom,
                  .length = kPlotSize,
                  .ticks = ranges.x,
                  .label = style.x_label,
                  .grid_length = kPlotSize});
  draw_axis(doc, {.side = AxisSide::kLeft,
                  .x = left,
                  .y = bottom,
                  .length = kPlotSize,
                  .ticks = ranges.y,
                  .label = style.y_label,
                  .grid_length = kPlotSize});
  const auto at = [&](const ScatterPoint& p) {
    return SvgPoint{left + fraction(p.x, ranges.x) * kPlotSize,
                    bottom - fraction(p.y, ranges.y) * kPlotSize};
  };
  doc.begin_group("ghosts");
  for (size_t i = 0; i < panel.ghosts.size(); ++i) {
    const SvgPoint from = at(panel.ghosts[i]);
    doc.circle(
        from.x, from.y, kPointRadius - 1,
        {.fill = kGhostColor, .opacity = 0.45, .tooltip = point_tooltip(panel.ghosts[i], 2)});
    draw_move_arrow(doc, from, at(panel.points[i]), kPointRadius);
  }
  doc.end_group();
  doc.begin_group("points");
  for (const ScatterPoint& p : panel.points) {
    const SvgPoint c = at(p);
    doc.circle(c.x, c.y, kPointRadius,
               {.fill = kPointColor,
                .stroke = "#ffffff",
                .stroke_width = 0.8,
                .tooltip = point_tooltip(p, 2)});
  }
  doc.end_group();
  doc.begin_group("point-labels");
  for (const ScatterPoint& p : panel.points) {
    const SvgPoint c = at(p);
    doc.text(c.x + kPointRadius + 2, c.y - kPointRadius, p.label,
             {.size = kLabelFont, .monospace = style.monospace_labels});
  }
  doc.end_group();
}

// A fixed oblique view: the data cube [-1, 1]^3 turned by the azimuth about z, seen from a
// direction raised by the elevation. Screen y grows downwards; `nearness` grows towards the eye.
struct Projection {
  double cos_az, sin_az, cos_el, sin_el;
  double scale, center_x, center_y;

  struct Projected {
    double x, y, nearness;
  };

  Projected unscaled(double nx, double ny, double nz) const {
    const double turned_x = nx * cos_az - ny * sin_az;
    const double turned_y = nx * sin_az + ny * cos_az;  // depth into the screen before tilting
    return {turned_x, -(turned_y * sin_el + nz * cos_el), -turned_y * cos_el + nz * sin_el};
  }
  Projected operator()(double nx, double ny, double nz) const {
    const Projected p = unscaled(nx, ny, nz);
    return {center_x + p.x * scale, center_y + p.y * scale, p.nearness};
  }
  SvgPoint screen(double nx, double ny, double nz) const {
    const Projected p = (*this)(nx, ny, nz);
    return {p.x, p.y};
  }
};

// Corner c (0..7) of the cube [-1, 1]^3: bit 0 picks x, bit 1 y, bit 2 z.
std::array<double, 3> cube_corner(int c) {
  return {c & 1 ? 1.0 : -1.0, c & 2 ? 1.0 : -1.0, c & 4 ? 1.0 : -1.0};
}

Projection make_projection(const ScatterStyle& style, double left, double top) {
  const double az = style.azimuth_degrees * std::numbers::pi / 180;
  const double el = style.elevation_degrees * std::numbers::pi / 180;
  Projection view{std::cos(az), std::sin(az), std::cos(el), std::sin(el), 1, 0, 0};
  double min_x = INFINITY, max_x = -INFINITY, min_y = INFINITY, max_y = -INFINITY;
  for (int corner = 0; corner < 8; ++corner) {
    const auto [cx, cy, cz] = cube_corner(corner);
    const auto p = view.unscaled(cx, cy, cz);
    min_x = std::min(min_x, p.x), max_x = std::max(max_x, p.x);
    min_y = std::min(min_y, p.y), max_y = std::max(max_y, p.y);
  }
  const double inner = kPlotSize - 2 * kBoxMargin;
  view.scale = inner / std::max(max_x - min_x, max_y - min_y);
  view.center_x = left + kPlotSize / 2 - (min_x + max_x) / 2 * view.scale;
  view.center_y = top + kPlotSize / 2 - (min_y + max_y) / 2 * view.scale;
  return view;
}

// The box's edges, a floor grid at the x and y ticks, and three labelled axes along silhouette
// edges: x and y along the floor's front edges, z up the leftmost vertical edge.
void draw_box_3d(SvgDocument& doc, const Projection& view, const SharedRanges& ranges,
                 const ScatterStyle& style) {
  const auto n = [](double v, const AxisTicks& t) { return fraction(v, t) * 2 - 1; };
  const ShapeStyle grid{.stroke = "#ececec"};
  const ShapeStyle edge{.stroke = "#c8c8c8"};
  doc.begin_group("box");
  for (double v : ranges.x.values) {
    const SvgPoint a = view.screen(n(v, ranges.x), -1, -1), b = view.screen(n(v, ranges.x), 1, -1);
    doc.line(a.x, a.y, b.x, b.y, grid);
  }
  for (double v : ranges.y.values) {
    const SvgPoint a = view.screen(-1, n(v, ranges.y), -1), b = view.screen(1, n(v, ranges.y), -1);
    doc.line(a.x, a.y, b.x, b.y, grid);
  }
  for (int from = 0; from < 8; ++from) {
    for (int bit : {1, 2, 4}) {
      if (from & bit) continue;  // each edge once, from its low end
      const auto [ax, ay, az] = cube_corner(from);
      const auto [bx, by, bz] = cube_corner(from | bit);
      const SvgPoint a = view.screen(ax, ay, az), b = view.screen(bx, by, bz);
      doc.line(a.x, a.y, b.x, b.y, edge);
    }
  }
  doc.end_group();

  // The floor edges nearest the eye carry x and y; the z axis stands at the leftmost corner.
  const double front_y = view(0, -1, -1).nearness >= view(0, 1, -1).nearness ? -1 : 1;
  const double front_x = view(-1, 0, -1).nearness >= view(1, 0, -1).nearness ? -1 : 1;
  std::array<double, 2> leftmost = {-1, -1};
  for (double cx : {-1.0, 1.0}) {
    for (double cy : {-1.0, 1.0}) {
      if (view.screen(cx, cy, -1).x < view.screen(leftmost[0], leftmost[1], -1).x) {
        leftmost = {cx, cy};
      }
    }
  }
  const SvgPoint box_center = view.screen(0, 0, 0);
  struct Axis3 {
    const AxisTicks& ticks;
    std::string_view label;
    std::array<double, 3> fixed;  // the edge's position; NaN marks the coordinate that varies
  };
  const Axis3 axes[] = {{ranges.x, style.x_label, {NAN, front_y, -1}},
                        {ranges.y, style.y_label, {front_x, NAN, -1}},
                        {ranges.z, style.z_label, {leftmost[0], leftmost[1], NAN}}};
  doc.begin_group("axis");
  for (const Axis3& axis : axes) {
    const auto point_on = [&](double t) {
      std::array<double, 3> p = axis.fixed;
      for (double& c : p) c = std::isnan(c) ? t : c;
      return view.screen(p[0], p[1], p[2]);
    };
    // Labels go outwards: away from the middle of the box, through the edge's midpoint.
    const SvgPoint mid = point_on(0);
    const double ox = mid.x - box_center.x, oy = mid.y - box_center.y;
    const double olen = std::max(std::hypot(ox, oy), 1e-9);
    const double ux = ox / olen, uy = oy / olen;
    const SvgPoint a = point_on(-1), b = point_on(1);
    doc.line(a.x, a.y, b.x, b.y, {.stroke = "#555555"});
    const TextAnchor anchor = ux < -0.35  ? TextAnchor::kEnd
                              : ux > 0.35 ? TextAnchor::kStart
                                          : TextAnchor::kMiddle;
    for (double v : axis.ticks.values) {
      const SvgPoint p = point_on(n(v, axis.ticks));
      doc.text(p.x + ux * 10, p.y + uy * 10 + 4, format_tick(v, axis.ticks.step),
               {.size = 10, .anchor = anchor, .fill = "#555555"});
    }
    doc.text(mid.x + ux * 38, mid.y + uy * 38 + 4, axis.label,
             {.size = 12, .anchor = anchor, .bold = true});
  }
  doc.end_group();
}

// Pale blue far away to deep blue up close, like objects seen through haze.
std::string depth_color(double closeness) {
  const Rgb far{0xa9, 0xc4, 0xe0}, near{0x1d, 0x4a, 0x85};
  const auto mix = [closeness](uint8_t a, uint8_t b) {
    return uint8_t(std::lround(a + (b - a) * closeness));
  };
  return hex_color({mix(far.r, near.r), mix(far.g, near.g), mix(far.b, near.b)});
}

void draw_panel_3d(SvgDocument& doc, const ScatterPanel& panel, const SharedRanges& ranges,
                   double left, double top, const ScatterStyle& style) {
  const Projection view = make_projection(style, left, top);
  draw_box_3d(doc, view, ranges, style);
  const auto at = [&](const ScatterPoint& p) {
    return view(fraction(p.x, ranges.x) * 2 - 1, fraction(p.y, ranges.y) * 2 - 1,
                fraction(p.z, ranges.z) * 2 - 1);
  };
  // Nearness over the whole box maps to 0 (farthest corner) .. 1 (nearest corner).
  double far = INFINITY, near = -INFINITY;
  for (int c = 0; c < 8; ++c) {
    const auto [cx, cy, cz] = cube_corner(c);
    const double d = view(cx, cy, cz).nearness;
    far = std::min(far, d), near = std::max(near, d);
  }
  const auto closeness = [&](double d) { return std::clamp((d - far) / (near - far), 0.0, 1.0); };

  doc.begin_group("ghosts");
  for (size_t i = 0; i < panel.ghosts.size(); ++i) {
    const auto from = at(panel.ghosts[i]), to = at(panel.points[i]);
    doc.circle(
        from.x, from.y, kPointRadius - 1,
        {.fill = kGhostColor, .opacity = 0.45, .tooltip = point_tooltip(panel.ghosts[i], 3)});
    draw_move_arrow(doc, {from.x, from.y}, {to.x, to.y}, kPointRadius);
  }
  doc.end_group();
  // Far points first so that nearer ones (larger, darker) are drawn over them.
  std::vector<size_t> order(panel.points.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return at(panel.points[a]).nearness < at(panel.points[b]).nearness;
  });
  doc.begin_group("points");
  for (size_t i : order) {
    const auto p = at(panel.points[i]);
    const double t = closeness(p.nearness);
    doc.circle(p.x, p.y, 3 + 2.5 * t,
               {.fill = depth_color(t),
                .stroke = "#ffffff",
                .stroke_width = 0.6,
                .tooltip = point_tooltip(panel.points[i], 3)});
  }
  doc.end_group();
  doc.begin_group("point-labels");
  for (size_t i : order) {
    const auto p = at(panel.points[i]);
    const double t = closeness(p.nearness);
    doc.text(p.x + 5 + 2.5 * t, p.y - 4 - 2 * t, panel.points[i].label,
             {.size = 9.5 + 2 * t,
              .monospace = style.monospace_labels,
              .fill = t > 0.5 ? "#222222" : "#666666"});
  }
  doc.end_group();
}

}  // namespace

std::string scatter_svg(const std::vector<ScatterPanel>& panels, int dims,
                        const ScatterStyle& style) {
  validate(panels, dims);
  const SharedRanges ranges = shared_ranges(panels);
  // 2-D panels need room on the left and below for their axes; 3-D boxes carry their own, but
  // the z title reaches a little left of the plot square.
  const double axis_left =
      dims == 2 ? axis_extent({.side = AxisSide::kLeft, .ticks = ranges.y, .label = style.y_label})
                : 24;
  const double axis_below =
      dims == 2 ? axis_extent({.side = AxisSide::kBottom, .label = style.x_label}) : 0;
  const double pitch = axis_left + kPlotSize + kPanelGap;
  const double top = SvgDocument::kTitleBand + kPanelTitleBand;
  SvgDocument doc(kMargin + double(panels.size()) * pitch - kPanelGap + kLabelOverhang + kMargin,
                  top + kPlotSize + axis_below + kMargin, style.title);
  for (size_t i = 0; i < panels.size(); ++i) {
    const double left = kMargin + double(i) * pitch + axis_left;
    doc.begin_group("panel");
    doc.text(left + kPlotSize / 2, top - 10, panels[i].title,
             {.size = 13, .anchor = TextAnchor::kMiddle, .bold = true});
    if (dims == 2) {
      draw_panel_2d(doc, panels[i], ranges, left, top, style);
    } else {
      draw_panel_3d(doc, panels[i], ranges, left, top, style);
    }
    doc.end_group();
  }
  return doc.str();
}

}  // namespace dikkat
