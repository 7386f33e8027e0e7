#include "draw/colormap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "draw/svg_test_support.h"

namespace dikkat {
namespace {

double luminance(Rgb c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; }

TEST(Colormap, ViridisEndsAreMatplotlibsEnds) {
  EXPECT_EQ(hex_color(scale_color(ColorScale::kViridis, 0)), "#440154");
  EXPECT_EQ(hex_color(scale_color(ColorScale::kViridis, 1)), "#fde725");
}

TEST(Colormap, ViridisGetsSteadilyLighterAsValuesGrow) {
  double previous = -1;
  for (int i = 0; i <= 40; ++i) {
    const double now = luminance(scale_color(ColorScale::kViridis, i / 40.0));
    EXPECT_GT(now, previous) << "at " << i / 40.0;
    previous = now;
  }
}

TEST(Colormap, ValuesOutsideTheUnitRangeAreClampedAndNaNIsLow) {
  EXPECT_EQ(hex_color(scale_color(ColorScale::kViridis, -3)), "#440154");
  EXPECT_EQ(hex_color(scale_color(ColorScale::kViridis, 7)), "#fde725");
  EXPECT_EQ(hex_color(scale_color(ColorScale::kViridis, std::nan(""))), "#440154");
}

TEST(Colormap, DivergingScaleRunsBlueWhiteRed) {
  const Rgb low = scale_color(ColorScale::kBlueWhiteRed, 0);
  const Rgb mid = scale_color(ColorScale::kBlueWhiteRed, 0.5);
  const Rgb high = scale_color(ColorScale::kBlueWhiteRed, 1);
  EXPECT_GT(low.b, low.r);
  EXPECT_GT(high.r, high.b);
  EXPECT_GE(std::min({mid.r, mid.g, mid.b}), 240);
}

TEST(Colormap, HexColorIsLowercaseHashRrggbb) {
  EXPECT_EQ(hex_color({255, 0, 171}), "#ff00ab");
  EXPECT_EQ(hex_color({0, 0, 0}), "#000000");
}

TEST(Colormap, ContrastingTextIsWhiteOnDarkAndDarkOnLight) {
  EXPECT_EQ(contrasting_text_color(scale_color(ColorScale::kViridis, 0)), "#ffffff");
  EXPECT_NE(contrasting_text_color(scale_color(ColorScale::kViridis, 1)), "#ffffff");
  EXPECT_NE(contrasting_text_color({247, 247, 247}), "#ffffff");
}

TEST(Colormap, SeriesColoursAreDistinctForTenSeries) {
  std::set<std::string> seen;
  for (size_t i = 0; i < 10; ++i) seen.insert(hex_color(series_color(i)));
  EXPECT_EQ(seen.size(), 10u);
}

TEST(Colormap, ColorBarDrawsAGradientWithTicksAndItsLabel) {
  SvgDocument doc(300, 300, "bar");
  const ColorBar bar{.x = 10, .y = 50, .height = 200, .label = "attention weight"};
  draw_color_bar(doc, bar);
  testing::ParsedSvg svg(doc.str());
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_GE(svg.count("//defs/linearGradient/stop"), 2u);
  const pugi::xml_node strip = svg.select("//g[@class='color-bar']/rect").at(0);
  EXPECT_EQ(std::string(strip.attribute("fill").value()).rfind("url(#", 0), 0u);
  EXPECT_TRUE(svg.has_text("attention weight"));
  EXPECT_TRUE(svg.has_text("0.0"));
  EXPECT_TRUE(svg.has_text("1.0"));
  EXPECT_GT(color_bar_width(bar), bar.width + 30);
}

TEST(Colormap, ColorBarOfASignedRangeOnlyTicksValuesInsideIt) {
  SvgDocument doc(300, 300, "bar");
  draw_color_bar(doc, {.scale = ColorScale::kBlueWhiteRed, .lo = -0.37, .hi = 0.37});
  testing::ParsedSvg svg(doc.str());
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_TRUE(svg.has_text("0.0"));
  EXPECT_TRUE(svg.has_text("-0.2"));
  EXPECT_FALSE(svg.has_text("-0.4"));
}

}  // namespace
}  // namespace dikkat
