#include "draw/scatter_svg.h"

#include <gtest/gtest.h>

#include <cmath>

#include "draw/svg_test_support.h"
#include "error.h"

namespace dikkat {
namespace {

// One point per tricky label, spread on a spiral so that no two coincide.
std::vector<ScatterPoint> spiral(double scale) {
  std::vector<ScatterPoint> points;
  const std::vector<std::string>& labels = testing::tricky_labels();
  for (size_t i = 0; i < labels.size(); ++i) {
    const double a = double(i) * 0.9, r = scale * (1 + double(i));
    points.push_back({labels[i], r * std::cos(a), r * std::sin(a), scale * double(i) - 3});
  }
  return points;
}

std::vector<ScatterPanel> before_and_after() {
  ScatterPanel before{.title = "step 0", .points = spiral(0.1)};
  ScatterPanel after{.title = "step 2000", .points = spiral(1.0), .ghosts = spiral(0.1)};
  return {before, after};
}

// The text of every point label in the document, in order.
std::vector<std::string> point_labels(const testing::ParsedSvg& svg) {
  std::vector<std::string> labels;
  for (const pugi::xml_node& n : svg.select("//g[@class='point-labels']/text")) {
    labels.push_back(n.child_value());
  }
  return labels;
}

// The circle whose tooltip starts with `label` followed by its coordinates.
pugi::xml_node point_circle(const testing::ParsedSvg& svg, const std::string& label) {
  for (const pugi::xml_node& c : svg.select("//g[@class='points']/circle")) {
    if (std::string(c.child("title").child_value()).rfind(label + " (", 0) == 0) return c;
  }
  return {};
}

TEST(Scatter, TwoDimensionalPanelsDrawEveryPointWithItsLabel) {
  const std::vector<ScatterPanel> panels = before_and_after();
  testing::ParsedSvg svg(scatter_svg(panels, 2, {.title = "Token embeddings"}));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const size_t n = testing::tricky_labels().size();
  EXPECT_EQ(svg.count("//g[@class='panel']"), 2u);
  EXPECT_EQ(svg.count("//g[@class='points']/circle"), 2 * n);
  const std::vector<std::string>& tricky = testing::tricky_labels();
  std::vector<std::string> expected = tricky;
  expected.insert(expected.end(), tricky.begin(), tricky.end());
  EXPECT_EQ(point_labels(svg), expected);
  for (const char* text : {"Token embeddings", "step 0", "step 2000", "PC1", "PC2"}) {
    EXPECT_TRUE(svg.has_text(text)) << text;
  }
  EXPECT_FALSE(svg.has_text("PC3"));
}

TEST(Scatter, GhostsAreFaintCirclesWithAnArrowToTheirPoint) {
  testing::ParsedSvg svg(scatter_svg(before_and_after(), 2, {}));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const size_t n = testing::tricky_labels().size();
  EXPECT_EQ(svg.count("//g[@class='ghosts']/circle"), n);
  EXPECT_EQ(svg.count("//g[@class='ghosts']/line[@marker-end]"), n);
  for (const pugi::xml_node& ghost : svg.select("//g[@class='ghosts']/circle")) {
    EXPECT_LT(ghost.attribute("opacity").as_double(), 1);
  }
}

TEST(Scatter, PanelsShareOneCoordinateRange) {
  const ScatterPanel small{.title = "a", .points = {{"p", 0, 0, 0}, {"q", 1, 1, 0}}};
  const ScatterPanel large{.title = "b", .points = {{"r", 1, 1, 0}, {"s", 10, 10, 0}}};
  testing::ParsedSvg svg(scatter_svg({small, large}, 2, {}));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const pugi::xml_node q = point_circle(svg, "q"), r = point_circle(svg, "r");
  ASSERT_TRUE(q && r);
  // The same coordinates land at the same height and the same offset within their panel.
  EXPECT_DOUBLE_EQ(q.attribute("cy").as_double(), r.attribute("cy").as_double());
  const pugi::xml_node p = point_circle(svg, "p"), s = point_circle(svg, "s");
  EXPECT_GT(s.attribute("cx").as_double() - r.attribute("cx").as_double(),
            q.attribute("cx").as_double() - p.attribute("cx").as_double());
}

TEST(Scatter, CustomAxisTitlesAreUsed) {
  testing::ParsedSvg svg(scatter_svg(before_and_after(), 3,
                                     {.x_label = "PC 1 (41%)", .y_label = "β", .z_label = "<z>"}));
  ASSERT_TRUE(svg.ok()) << svg.error();
  for (const char* text : {"PC 1 (41%)", "β", "<z>"}) EXPECT_TRUE(svg.has_text(text)) << text;
}

TEST(Scatter, ThreeDimensionalPlotKeepsEveryPointLabelAndAllThreeAxes) {
  const std::vector<ScatterPanel> panels = before_and_after();
  testing::ParsedSvg svg(scatter_svg(panels, 3, {.title = "3-D"}));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const size_t n = testing::tricky_labels().size();
  EXPECT_EQ(svg.count("//g[@class='points']/circle"), 2 * n);
  EXPECT_EQ(svg.count("//g[@class='ghosts']/circle"), n);
  std::vector<std::string> labels = point_labels(svg);
  std::sort(labels.begin(), labels.end());  // drawn far to near, not in input order
  const std::vector<std::string>& tricky = testing::tricky_labels();
  std::vector<std::string> expected = tricky;
  expected.insert(expected.end(), tricky.begin(), tricky.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(labels, expected);
  for (const char* text : {"3-D", "PC1", "PC2", "PC3"}) EXPECT_TRUE(svg.has_text(text)) << text;
  EXPECT_GE(svg.count("//g[@class='box']/line"), 12u * 2);  // the cube's edges, in each panel
}

TEST(Scatter, NearerPointsAreDrawnLargerAndLaterInThreeD) {
  // With the default view the eye is on the low-y side of the box.
  const ScatterPanel panel{.title = "depth",
                           .points = {{"near", 0, -1, 0}, {"far", 0, 1, 0}, {"mid", 0, 0, 1}}};
  testing::ParsedSvg svg(scatter_svg({panel}, 3, {}));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const pugi::xml_node near = point_circle(svg, "near"), far = point_circle(svg, "far");
  ASSERT_TRUE(near && far);
  EXPECT_GT(near.attribute("r").as_double(), far.attribute("r").as_double());
  EXPECT_STRNE(near.attribute("fill").value(), far.attribute("fill").value());
  EXPECT_EQ(point_labels(svg).back(), "near");
}

TEST(Scatter, APanelWithoutPointsStillDrawsItsAxes) {
  testing::ParsedSvg svg(scatter_svg({ScatterPanel{.title = "empty"}}, 2, {}));
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_TRUE(svg.has_text("empty"));
  EXPECT_TRUE(svg.has_text("PC1"));
  EXPECT_EQ(svg.count("//circle"), 0u);
}

TEST(Scatter, RejectsBadDimsMismatchedGhostsAndNonFiniteCoordinates) {
  std::vector<ScatterPanel> panels = before_and_after();
  EXPECT_THROW(scatter_svg(panels, 4, {}), Error);
  EXPECT_THROW(scatter_svg({}, 2, {}), Error);
  panels[1].ghosts.pop_back();
  EXPECT_THROW(scatter_svg(panels, 2, {}), Error);
  panels = before_and_after();
  panels[0].points[0].y = NAN;
  EXPECT_THROW(scatter_svg(panels, 2, {}), Error);
  panels = before_and_after();
  panels[0].points[0].z = INFINITY;
  EXPECT_NO_THROW(scatter_svg(panels, 2, {}));  // z plays no part in 2-D
  EXPECT_THROW(scatter_svg(panels, 3, {}), Error);
}

}  // namespace
}  // namespace dikkat
