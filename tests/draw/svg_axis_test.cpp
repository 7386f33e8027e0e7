#include "draw/svg_axis.h"

#include <gtest/gtest.h>

#include <cmath>

#include "draw/svg_test_support.h"

namespace dikkat {
namespace {

TEST(SvgAxis, NiceTicksCoverTheRangeWithRoundSteps) {
  const AxisTicks t = nice_ticks(0, 0.93);
  EXPECT_DOUBLE_EQ(t.lo, 0);
  EXPECT_DOUBLE_EQ(t.hi, 1);
  EXPECT_DOUBLE_EQ(t.step, 0.2);
  ASSERT_EQ(t.values.size(), 6u);
  EXPECT_DOUBLE_EQ(t.values.back(), 1);
  const AxisTicks steps = nice_ticks(0, 2000, 6);
  EXPECT_DOUBLE_EQ(steps.hi, 2000);
  EXPECT_DOUBLE_EQ(steps.step, 500);
}

TEST(SvgAxis, NiceTicksWidenAConstantRangeAroundItsValue) {
  const AxisTicks t = nice_ticks(5, 5);
  EXPECT_LT(t.lo, 5);
  EXPECT_GT(t.hi, 5);
  const AxisTicks zero = nice_ticks(0, 0);
  EXPECT_LT(zero.lo, 0);
  EXPECT_GT(zero.hi, 0);
}

TEST(SvgAxis, NiceTicksOfNothingAreZeroToOne) {
  const AxisTicks t = nice_ticks(INFINITY, -INFINITY);
  EXPECT_DOUBLE_EQ(t.lo, 0);
  EXPECT_DOUBLE_EQ(t.hi, 1);
  EXPECT_DOUBLE_EQ(nice_ticks(std::nan(""), 3).lo, 0);
}

TEST(SvgAxis, NiceTicksHaveAnExactZeroWhenTheRangeCrossesIt) {
  const AxisTicks t = nice_ticks(-0.3, 0.7);
  EXPECT_NE(std::find(t.values.begin(), t.values.end(), 0.0), t.values.end());
}

TEST(SvgAxis, FormatTickUsesAsManyDecimalsAsTheStepNeeds) {
  EXPECT_EQ(format_tick(0.2, 0.2), "0.2");
  EXPECT_EQ(format_tick(1, 0.2), "1.0");
  EXPECT_EQ(format_tick(1500, 500), "1500");
  EXPECT_EQ(format_tick(0.0004, 0.0002), "0.0004");
  EXPECT_EQ(format_tick(2e-5, 1e-5), "2e-05");
}

TEST(SvgAxis, FormatSignificantKeepsTheRequestedDigits) {
  EXPECT_EQ(format_significant(0.041327, 3), "0.0413");
  EXPECT_EQ(format_significant(1, 3), "1");
}

TEST(SvgAxis, DrawsALabelledTickForEveryValueAndTheAxisTitle) {
  for (AxisSide side : {AxisSide::kBottom, AxisSide::kLeft, AxisSide::kRight}) {
    SvgDocument doc(400, 400, "axis");
    draw_axis(doc, {.side = side,
                    .x = 100,
                    .y = 300,
                    .length = 200,
                    .ticks = nice_ticks(0, 1),
                    .label = "loss",
                    .grid_length = 50});
    testing::ParsedSvg svg(doc.str());
    ASSERT_TRUE(svg.ok()) << svg.error();
    for (const char* tick : {"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}) {
      EXPECT_TRUE(svg.has_text(tick)) << tick;
    }
    EXPECT_TRUE(svg.has_text("loss"));
  }
}

TEST(SvgAxis, ExtentGrowsWithTheWidestTickLabel) {
  const AxisSpec narrow{.side = AxisSide::kLeft, .ticks = nice_ticks(0, 1), .label = "y"};
  const AxisSpec wide{.side = AxisSide::kLeft, .ticks = nice_ticks(0, 123456), .label = "y"};
  EXPECT_GT(axis_extent(wide), axis_extent(narrow));
}

}  // namespace
}  // namespace dikkat
