#include "draw/svg_legend.h"

#include <gtest/gtest.h>

#include "draw/svg_test_support.h"

namespace dikkat {
namespace {

std::vector<LegendEntry> entries() {
  return {{.name = "train loss", .color = "#4e79a7", .swatch = LegendSwatch::kLine},
          {.name = "validation loss", .color = "#f28e2b", .swatch = LegendSwatch::kLineAndPoint},
          {.name = "T=2", .color = "#e15759", .swatch = LegendSwatch::kBox},
          {.name = "ş < &", .color = "#76b7b2", .swatch = LegendSwatch::kPoint}};
}

TEST(SvgLegend, DrawsEveryNameWithASwatchOfItsKind) {
  SvgDocument doc(600, 200, "legend");
  draw_legend(doc, entries(), 10, 50, 580);
  testing::ParsedSvg svg(doc.str());
  ASSERT_TRUE(svg.ok()) << svg.error();
  for (const LegendEntry& e : entries()) EXPECT_TRUE(svg.has_text(e.name)) << e.name;
  EXPECT_EQ(svg.count("//g[@class='legend']/line"), 2u);
  EXPECT_EQ(svg.count("//g[@class='legend']/circle"), 2u);
  EXPECT_EQ(svg.count("//g[@class='legend']/rect"), 1u);
}

TEST(SvgLegend, WrapsOntoMoreRowsWhenNarrow) {
  EXPECT_GT(legend_height(entries(), 100), legend_height(entries(), 1000));
  EXPECT_EQ(legend_height({}, 100), 0);
}

}  // namespace
}  // namespace dikkat
