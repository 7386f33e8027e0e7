#include "draw/heatmap_svg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "draw/svg_test_support.h"
#include "error.h"

namespace dikkat {
namespace {

// "r12": built by appending, since GCC 12 at -O3 warns falsely (-Wrestrict) on "r" + string.
std::string numbered(char prefix, int64_t n) {
  std::string label(1, prefix);
  label += std::to_string(n);
  return label;
}

// A rows x cols panel whose values run evenly from 0 to 1, labelled "r0", "c0", ...
HeatmapPanel ramp(int64_t rows, int64_t cols, const std::string& title = "panel") {
  HeatmapPanel p{.title = title, .rows = rows, .cols = cols};
  for (int64_t r = 0; r < rows; ++r) p.row_labels.push_back(numbered('r', r));
  for (int64_t c = 0; c < cols; ++c) p.col_labels.push_back(numbered('c', c));
  const double last = std::max<double>(double(rows * cols - 1), 1);
  for (int64_t i = 0; i < rows * cols; ++i) p.values.push_back(float(double(i) / last));
  return p;
}

HeatmapStyle style() {
  return {.title = "Attention · layer 1 · head 2",
          .x_label = "key token",
          .y_label = "query token",
          .color_bar_label = "attention weight"};
}

TEST(Heatmap, DrawsOneCellPerValueEachWithATooltip) {
  testing::ParsedSvg svg(heatmap_svg(ramp(3, 4), style()));
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_EQ(svg.count("//g[@class='cells']/rect"), 12u);
  EXPECT_EQ(svg.count("//g[@class='cells']/rect/title"), 12u);
  EXPECT_TRUE(svg.count("//g[@class='cells']/rect/title[text()='r1 → c2: 0.5455']"));
}

TEST(Heatmap, EveryRowAndColumnLabelIsText) {
  const std::vector<std::string>& tricky = testing::tricky_labels();
  HeatmapPanel p = ramp(int64_t(tricky.size()), int64_t(tricky.size()));
  p.row_labels = tricky;
  p.col_labels = tricky;
  testing::ParsedSvg svg(heatmap_svg(p, style()));
  ASSERT_TRUE(svg.ok()) << svg.error();
  for (const char* group : {"row-labels", "column-labels"}) {
    std::vector<std::string> drawn;
    for (const pugi::xml_node& n : svg.select(std::string("//g[@class='") + group + "']/text")) {
      drawn.push_back(n.child_value());
    }
    EXPECT_EQ(drawn, tricky) << group;
  }
}

TEST(Heatmap, TitleAxisLabelsAndColourBarLabelArePresent) {
  testing::ParsedSvg svg(heatmap_svg(ramp(2, 2), style()));
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_STREQ(svg.root().child("title").child_value(), "Attention · layer 1 · head 2");
  for (const char* text :
       {"Attention · layer 1 · head 2", "key token", "query token", "attention weight"}) {
    EXPECT_TRUE(svg.has_text(text)) << text;
  }
  EXPECT_EQ(svg.count("//g[@class='color-bar']"), 1u);
}

TEST(Heatmap, CellColoursFollowTheValues) {
  testing::ParsedSvg svg(heatmap_svg(ramp(4, 4), style()));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const std::vector<pugi::xml_node> cells = svg.select("//g[@class='cells']/rect");
  ASSERT_EQ(cells.size(), 16u);
  EXPECT_EQ(std::string(cells.front().attribute("fill").value()),
            hex_color(scale_color(ColorScale::kViridis, 0)));
  EXPECT_EQ(std::string(cells.back().attribute("fill").value()),
            hex_color(scale_color(ColorScale::kViridis, 1)));
  std::set<std::string> fills;
  for (const pugi::xml_node& c : cells) fills.insert(c.attribute("fill").value());
  EXPECT_GE(fills.size(), 12u);
}

TEST(Heatmap, PrintsValuesInBigCellsInAColourThatContrasts) {
  testing::ParsedSvg svg(heatmap_svg(ramp(2, 2), style()));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const std::vector<pugi::xml_node> values = svg.select("//g[@class='cells']/text");
  ASSERT_EQ(values.size(), 4u);
  EXPECT_STREQ(values.front().child_value(), "0.00");
  EXPECT_STREQ(values.back().child_value(), "1.00");
  EXPECT_STREQ(values.front().attribute("fill").value(), "#ffffff");  // on dark purple
  EXPECT_STRNE(values.back().attribute("fill").value(), "#ffffff");   // on yellow
  HeatmapStyle quiet = style();
  quiet.show_values = false;
  EXPECT_EQ(testing::ParsedSvg(heatmap_svg(ramp(2, 2), quiet)).count("//g[@class='cells']/text"),
            0u);
}

TEST(Heatmap, MissingValuesGetNoCellAndShowTheHatching) {
  HeatmapPanel p = ramp(3, 3);
  p.values[1] = p.values[2] = p.values[5] = NAN;  // a causal mask's upper triangle
  testing::ParsedSvg svg(heatmap_svg(p, style()));
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_EQ(svg.count("//g[@class='cells']/rect"), 6u);
  EXPECT_EQ(svg.count("//defs/pattern"), 1u);
  EXPECT_EQ(svg.count("//rect[starts-with(@fill, 'url(#hatch')]"), 1u);
}

TEST(Heatmap, SignedValuesOnTheDivergingScaleAreWhiteAtZero) {
  HeatmapPanel p{.title = "w",
                 .row_labels = {"a"},
                 .col_labels = {"x", "y", "z"},
                 .rows = 1,
                 .cols = 3,
                 .values = {-1, 0, 1}};
  HeatmapStyle s = style();
  s.lo = -1, s.hi = 1, s.scale = ColorScale::kBlueWhiteRed;
  testing::ParsedSvg svg(heatmap_svg(p, s));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const std::vector<pugi::xml_node> cells = svg.select("//g[@class='cells']/rect");
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_STREQ(cells[1].attribute("fill").value(), "#f7f7f7");
  EXPECT_TRUE(svg.has_text("-1.00"));
}

TEST(Heatmap, SingleCellMatrixIsDrawn) {
  testing::ParsedSvg svg(heatmap_svg(ramp(1, 1), style()));
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_EQ(svg.count("//g[@class='cells']/rect"), 1u);
  EXPECT_TRUE(svg.has_text("r0"));
  EXPECT_TRUE(svg.has_text("c0"));
}

TEST(Heatmap, LongAxisTitlesOnATinyMatrixStayInsideTheCanvas) {
  HeatmapStyle s = style();
  s.x_label = std::string(120, 'x');
  s.y_label = std::string(120, 'y');
  testing::ParsedSvg svg(heatmap_svg(ramp(1, 1), s));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const double width = svg.root().attribute("width").as_double();
  const double height = svg.root().attribute("height").as_double();
  const double length = estimate_text_width(s.x_label, 13);
  ASSERT_TRUE(svg.has_text(s.x_label));
  ASSERT_TRUE(svg.has_text(s.y_label));
  for (const pugi::xml_node& t : svg.select("//text")) {
    if (t.child_value() == s.x_label) {
      EXPECT_GE(t.attribute("x").as_double() - length / 2, 0);
      EXPECT_LE(t.attribute("x").as_double() + length / 2, width);
    }
    if (t.child_value() == s.y_label) {
      EXPECT_GE(t.attribute("y").as_double() - length / 2, SvgDocument::kTitleBand);
      EXPECT_LE(t.attribute("y").as_double() + length / 2, height);
    }
  }
}

TEST(Heatmap, A1024By1024MatrixKeepsEveryCellAndLabelButDropsCellTextAndTooltips) {
  const HeatmapPanel p = ramp(1024, 1024);
  testing::ParsedSvg svg(heatmap_svg(p, style()));
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_EQ(svg.count("//g[@class='cells']/rect"), 1024u * 1024u);
  EXPECT_EQ(svg.count("//g[@class='cells']/rect/title"), 0u);
  EXPECT_EQ(svg.count("//g[@class='cells']/text"), 0u);
  const std::vector<pugi::xml_node> rows = svg.select("//g[@class='row-labels']/text");
  const std::vector<pugi::xml_node> cols = svg.select("//g[@class='column-labels']/text");
  ASSERT_EQ(rows.size(), 1024u);
  ASSERT_EQ(cols.size(), 1024u);
  for (size_t i = 0; i < 1024; ++i) {
    EXPECT_EQ(rows[i].child_value(), p.row_labels[i]);
    EXPECT_EQ(cols[i].child_value(), p.col_labels[i]);
  }
  // Shrunk to fit a row: neighbouring labels must not overlap.
  const double font = rows[0].attribute("font-size").as_double();
  const double pitch = rows[1].attribute("y").as_double() - rows[0].attribute("y").as_double();
  EXPECT_GT(font, 0);
  EXPECT_LE(font, pitch);
}

TEST(Heatmap, RejectsValuesOrLabelsThatDoNotMatchTheShape) {
  HeatmapPanel p = ramp(2, 3);
  p.values.pop_back();
  EXPECT_THROW(heatmap_svg(p, style()), Error);
  p = ramp(2, 3);
  p.col_labels.pop_back();
  EXPECT_THROW(heatmap_svg(p, style()), Error);
  HeatmapStyle empty_range = style();
  empty_range.lo = empty_range.hi = 0.5;
  EXPECT_THROW(heatmap_svg(ramp(2, 2), empty_range), Error);
  EXPECT_THROW(heatmap_svg(ramp(0, 0), style()), Error);
}

std::vector<HeatmapPanel> layers_by_heads(int layers, int heads, int64_t tokens) {
  std::vector<HeatmapPanel> panels;
  for (int l = 1; l <= layers; ++l) {
    for (int h = 1; h <= heads; ++h) {
      panels.push_back(
          ramp(tokens, tokens, "layer " + std::to_string(l) + " · head " + std::to_string(h)));
    }
  }
  return panels;
}

TEST(HeatmapGrid, DrawsEveryPanelWithItsTitleAndOneSharedColourBar) {
  testing::ParsedSvg svg(heatmap_grid_svg(layers_by_heads(3, 4, 5), 4, style()));
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_EQ(svg.count("//g[@class='panel']"), 12u);
  EXPECT_EQ(svg.count("//g[@class='cells']/rect"), 12u * 25u);
  EXPECT_EQ(svg.count("//g[@class='color-bar']"), 1u);
  EXPECT_EQ(svg.count("//defs/linearGradient"), 1u);
  for (int l = 1; l <= 3; ++l) {
    for (int h = 1; h <= 4; ++h) {
      const std::string title = "layer " + std::to_string(l) + " · head " + std::to_string(h);
      EXPECT_TRUE(svg.has_text(title)) << title;
    }
  }
  for (const char* text :
       {"Attention · layer 1 · head 2", "key token", "query token", "attention weight"}) {
    EXPECT_TRUE(svg.has_text(text)) << text;
  }
}

TEST(HeatmapGrid, TokenLabelsRunAlongTheOuterEdges) {
  std::vector<HeatmapPanel> panels = layers_by_heads(2, 3, 6);
  for (HeatmapPanel& p : panels) p.row_labels = p.col_labels = {"<", "&", "ş", "漢", "😀", "␣"};
  testing::ParsedSvg svg(heatmap_grid_svg(panels, 3, style()));
  ASSERT_TRUE(svg.ok()) << svg.error();
  // Row labels beside each of the 2 grid rows, column labels under each of the 3 grid columns.
  EXPECT_EQ(svg.count("//g[@class='row-labels']"), 2u);
  EXPECT_EQ(svg.count("//g[@class='column-labels']"), 3u);
  for (const std::string& label : panels[0].row_labels) EXPECT_TRUE(svg.has_text(label)) << label;
}

TEST(HeatmapGrid, APartialLastRowStillLabelsEveryColumnFromBelow) {
  testing::ParsedSvg svg(heatmap_grid_svg(layers_by_heads(1, 5, 3), 4, style()));
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_EQ(svg.count("//g[@class='panel']"), 5u);
  EXPECT_EQ(svg.count("//g[@class='column-labels']"), 4u);
}

TEST(HeatmapGrid, MissingValuesInEveryPanelShareOneHatchPattern) {
  std::vector<HeatmapPanel> panels = layers_by_heads(2, 2, 3);
  for (HeatmapPanel& p : panels) p.values[1] = NAN;
  testing::ParsedSvg svg(heatmap_grid_svg(panels, 2, style()));
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_EQ(svg.count("//defs/pattern"), 1u);
  EXPECT_EQ(svg.count("//rect[starts-with(@fill, 'url(#hatch')]"), 4u);
  EXPECT_EQ(svg.count("//g[@class='cells']/rect"), 4u * 8u);
}

TEST(HeatmapGrid, RejectsPanelsOfDifferentShapes) {
  std::vector<HeatmapPanel> panels = layers_by_heads(1, 2, 4);
  panels.push_back(ramp(3, 3, "odd one"));
  EXPECT_THROW(heatmap_grid_svg(panels, 2, style()), Error);
  EXPECT_THROW(heatmap_grid_svg({}, 2, style()), Error);
  EXPECT_THROW(heatmap_grid_svg(layers_by_heads(1, 2, 4), 0, style()), Error);
}

}  // namespace
}  // namespace dikkat
