#include "draw/line_chart_svg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "draw/svg_test_support.h"
#include "error.h"

namespace dikkat {
namespace {

LineSeries series(const std::string& name, std::vector<double> x, std::vector<double> y) {
  return {.name = name, .x = std::move(x), .y = std::move(y)};
}

const LineChartStyle kStyle{.title = "Training run",
                            .x_label = "step",
                            .y_label = "loss",
                            .right_y_label = "learning rate"};

size_t polyline_point_count(const pugi::xml_node& polyline) {
  std::istringstream in(polyline.attribute("points").value());
  size_t n = 0;
  for (std::string pair; in >> pair;) ++n;
  return n;
}

TEST(LineChart, DrawsEachSeriesAsAPolylineWithOnePointPerSample) {
  const LineSeries train = series("train loss", {0, 10, 20, 30, 40}, {4.2, 3.1, 2.5, 2.2, 2.0});
  testing::ParsedSvg svg(line_chart_svg({train}, {}, kStyle));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const std::vector<pugi::xml_node> lines = svg.select("//g[@class='series']/polyline");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(polyline_point_count(lines[0]), 5u);
  EXPECT_EQ(svg.count("//g[@class='series']/circle"), 0u);
}

TEST(LineChart, NaNSamplesAreSkipped) {
  const LineSeries val = series("validation loss", {0, 10, 20, 30}, {4.0, NAN, 2.6, 2.3});
  const std::string out = line_chart_svg({val}, {}, kStyle);
  testing::ParsedSvg svg(out);
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_EQ(polyline_point_count(svg.select("//g[@class='series']/polyline").at(0)), 3u);
  EXPECT_EQ(out.find("nan"), std::string::npos);
}

TEST(LineChart, MarkedAndPointOnlySeriesGetOneCirclePerSample) {
  LineSeries val = series("validation loss", {0, 100, 200}, {4.0, 2.6, 2.3});
  val.markers = true;
  LineSeries dots = series("evals", {50, 150}, {3.0, 2.4});
  dots.points_only = true;
  testing::ParsedSvg svg(line_chart_svg({val, dots}, {}, kStyle));
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_EQ(svg.count("//g[@class='series']/polyline"), 1u);
  EXPECT_EQ(svg.count("//g[@class='series']/circle"), 5u);
}

TEST(LineChart, RightAxisSeriesAreDashedOnTheirOwnLabelledScale) {
  const LineSeries loss = series("train loss", {0, 1000, 2000}, {4.2, 1.9, 1.5});
  const LineSeries lr = series("learning rate", {0, 100, 2000}, {0, 1e-3, 1e-4});
  testing::ParsedSvg svg(line_chart_svg({loss}, {lr}, kStyle));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const std::vector<pugi::xml_node> lines = svg.select("//g[@class='series']/polyline");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_FALSE(lines[0].attribute("stroke-dasharray"));
  EXPECT_TRUE(lines[1].attribute("stroke-dasharray"));
  EXPECT_STRNE(lines[0].attribute("stroke").value(), lines[1].attribute("stroke").value());
  EXPECT_TRUE(svg.has_text("0.0010"));  // right-axis ticks on the learning-rate scale
  EXPECT_TRUE(svg.has_text("4"));       // left-axis ticks on the loss scale
  // The learning rate's peak reaches the top of the plot, like the loss's start does.
  auto top_of = [&](const pugi::xml_node& line) {
    std::istringstream in(line.attribute("points").value());
    double top = INFINITY;
    for (std::string pair; in >> pair;)
      top = std::min(top, std::stod(pair.substr(pair.find(',') + 1)));
    return top;
  };
  EXPECT_LT(top_of(lines[1]), top_of(lines[0]) + 40);
}

TEST(LineChart, TitleAxisLabelsAndLegendArePresent) {
  LineSeries val = series("validation loss", {0, 1}, {2, 1});
  val.markers = true;
  testing::ParsedSvg svg(line_chart_svg({series("train loss", {0, 1}, {3, 1}), val},
                                        {series("learning rate", {0, 1}, {1e-3, 1e-4})}, kStyle));
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_STREQ(svg.root().child("title").child_value(), "Training run");
  for (const char* text : {"Training run", "step", "loss", "learning rate"}) {
    EXPECT_TRUE(svg.has_text(text)) << text;
  }
  for (const char* name : {"train loss", "validation loss", "learning rate"}) {
    EXPECT_EQ(svg.count(std::string("//g[@class='legend']/text[text()='") + name + "']"), 1u);
  }
}

TEST(LineChart, EmptySinglePointAndConstantSeriesStillGiveAReadableChart) {
  const std::string out = line_chart_svg(
      {series("empty", {}, {}), series("one", {3}, {2}), series("flat", {0, 1, 2}, {5, 5, 5})}, {},
      kStyle);
  testing::ParsedSvg svg(out);
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_EQ(out.find("nan"), std::string::npos);
  EXPECT_EQ(out.find("inf"), std::string::npos);
  EXPECT_EQ(svg.count("//g[@class='series']/circle"), 1u);  // the lone point
  EXPECT_EQ(svg.count("//g[@class='series']/polyline"), 1u);

  testing::ParsedSvg flat(line_chart_svg({series("flat", {0, 1}, {5, 5})}, {}, kStyle));
  ASSERT_TRUE(flat.ok()) << flat.error();
  const pugi::xml_node line = flat.select("//g[@class='series']/polyline").at(0);
  std::istringstream in(line.attribute("points").value());
  std::string a, b;
  in >> a >> b;
  EXPECT_EQ(a.substr(a.find(',')), b.substr(b.find(',')));  // drawn level, inside the plot
  EXPECT_TRUE(flat.has_text("5.0"));

  testing::ParsedSvg nothing(line_chart_svg({}, {}, kStyle));
  ASSERT_TRUE(nothing.ok()) << nothing.error();
  EXPECT_TRUE(nothing.has_text("step"));
}

TEST(LineChart, SeriesWithGapsBreakTheLineAtNaN) {
  LineSeries scores = series("BLEU", {0, 1, 2, 3, 4, 5}, {20, 25, NAN, 30, 31, NAN});
  scores.gaps = true;
  testing::ParsedSvg svg(line_chart_svg({scores}, {}, kStyle));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const std::vector<pugi::xml_node> lines = svg.select("//g[@class='series']/polyline");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(polyline_point_count(lines[0]), 2u);
  EXPECT_EQ(polyline_point_count(lines[1]), 2u);
}

TEST(LineChart, CategoryAxisLabelsEachTickWithItsName) {
  LineChartStyle style = kStyle;
  style.x_categories = {"1-5", "6-10", "31+"};
  LineSeries s = series("chrF2", {0, 1, 2}, {50, 55, 48});
  s.markers = true;
  testing::ParsedSvg svg(line_chart_svg({s}, {}, style));
  ASSERT_TRUE(svg.ok()) << svg.error();
  for (const char* name : {"1-5", "6-10", "31+"}) EXPECT_TRUE(svg.has_text(name)) << name;
  EXPECT_FALSE(svg.has_text("0.5"));
  const pugi::xml_node first = svg.select("//g[@class='series']/circle/title").at(0);
  EXPECT_EQ(std::string(first.child_value()), "chrF2 (1-5, 50)");
}

TEST(LineChart, RejectsSeriesWhoseXAndYDifferInLength) {
  EXPECT_THROW(line_chart_svg({series("bad", {0, 1}, {1})}, {}, kStyle), Error);
  EXPECT_THROW(line_chart_svg({}, {series("bad", {0}, {})}, kStyle), Error);
}

}  // namespace
}  // namespace dikkat
