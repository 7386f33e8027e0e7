#include "draw/bar_chart_svg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "draw/svg_test_support.h"
#include "error.h"

namespace dikkat {
namespace {

const std::vector<std::string> kTemperatures = {"T=0.5", "T=1", "T=2"};

// One group per tricky label; series s of group g has value (g + 1) * (s + 1) / 100.
std::vector<BarGroup> groups() {
  std::vector<BarGroup> out;
  const std::vector<std::string>& labels = testing::tricky_labels();
  for (size_t g = 0; g < labels.size(); ++g) {
    BarGroup group{.label = labels[g]};
    for (size_t s = 0; s < kTemperatures.size(); ++s) {
      group.values.push_back(double((g + 1) * (s + 1)) / 100);
    }
    out.push_back(group);
  }
  return out;
}

const BarChartStyle kStyle{.title = "Next character after \"Merhaba\"",
                           .value_label = "probability"};

TEST(BarChart, DrawsOneBarPerValueAndEveryGroupLabel) {
  testing::ParsedSvg svg(bar_chart_svg(groups(), kTemperatures, kStyle));
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_EQ(svg.count("//g[@class='bars']/rect"), groups().size() * kTemperatures.size());
  std::vector<std::string> labels;
  for (const pugi::xml_node& n : svg.select("//g[@class='group-labels']/text")) {
    labels.push_back(n.child_value());
  }
  EXPECT_EQ(labels, testing::tricky_labels());
}

TEST(BarChart, TitleValueAxisAndLegendArePresent) {
  testing::ParsedSvg svg(bar_chart_svg(groups(), kTemperatures, kStyle));
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_STREQ(svg.root().child("title").child_value(), "Next character after \"Merhaba\"");
  EXPECT_TRUE(svg.has_text("probability"));
  EXPECT_TRUE(svg.has_text("0.0"));  // the value axis starts at zero
  for (const std::string& name : kTemperatures) {
    EXPECT_EQ(svg.count("//g[@class='legend']/text[text()='" + name + "']"), 1u) << name;
  }
}

TEST(BarChart, BarLengthsAreProportionalToValues) {
  testing::ParsedSvg svg(bar_chart_svg(groups(), kTemperatures, kStyle));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const std::vector<pugi::xml_node> bars = svg.select("//g[@class='bars']/rect");
  // Group 0: 0.01, 0.02, 0.03; group 1: 0.02, ...
  const double unit = bars[0].attribute("width").as_double();
  EXPECT_GT(unit, 0);
  EXPECT_NEAR(bars[1].attribute("width").as_double(), 2 * unit, 0.02);
  EXPECT_NEAR(bars[5].attribute("width").as_double(), 6 * unit, 0.03);
  EXPECT_STREQ(bars[1].child("title").child_value(), "< · T=1: 0.02");
}

TEST(BarChart, EachSeriesKeepsOneColourAcrossGroups) {
  testing::ParsedSvg svg(bar_chart_svg(groups(), kTemperatures, kStyle));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const std::vector<pugi::xml_node> bars = svg.select("//g[@class='bars']/rect");
  std::set<std::string> series_fills;
  for (size_t s = 0; s < 3; ++s) {
    series_fills.insert(bars[s].attribute("fill").value());
    for (size_t i = s; i < bars.size(); i += 3) {
      EXPECT_STREQ(bars[i].attribute("fill").value(), bars[s].attribute("fill").value());
    }
  }
  EXPECT_EQ(series_fills.size(), 3u);
}

TEST(BarChart, AllZeroValuesAndNoGroupsStillDrawAnAxis) {
  testing::ParsedSvg zeros(bar_chart_svg({{.label = "a", .values = {0, 0}}}, {"x", "y"}, kStyle));
  ASSERT_TRUE(zeros.ok()) << zeros.error();
  EXPECT_TRUE(zeros.has_text("1.0"));
  testing::ParsedSvg none(bar_chart_svg({}, {"x"}, kStyle));
  ASSERT_TRUE(none.ok()) << none.error();
  EXPECT_EQ(none.count("//g[@class='bars']/rect"), 0u);
  EXPECT_TRUE(none.has_text("probability"));
}

TEST(BarChart, RejectsMissingSeriesMismatchedGroupsAndBadValues) {
  EXPECT_THROW(bar_chart_svg(groups(), {}, kStyle), Error);
  EXPECT_THROW(bar_chart_svg({{.label = "a", .values = {0.1}}}, kTemperatures, kStyle), Error);
  EXPECT_THROW(bar_chart_svg({{.label = "a", .values = {-0.1}}}, {"x"}, kStyle), Error);
  EXPECT_THROW(bar_chart_svg({{.label = "a", .values = {NAN}}}, {"x"}, kStyle), Error);
}

}  // namespace
}  // namespace dikkat
