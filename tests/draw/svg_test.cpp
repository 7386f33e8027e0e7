#include "draw/svg.h"

#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

#include "draw/svg_test_support.h"
#include "io/file_io.h"
#include "test_support.h"
#include "tokenize/utf8.h"

namespace dikkat {
namespace {

// True when every character is one XML 1.0 allows (checked on valid UTF-8 only).
bool only_xml_characters(const std::string& s) {
  for (char32_t cp : decode_utf8(s, "svg")) {
    const bool allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                         (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
    if (!allowed) return false;
  }
  return true;
}

TEST(SvgDocument, StrIsAnSvgWithNamespaceSizeTitleAndVisibleTitle) {
  SvgDocument doc(300, 200, "Attention & more");
  testing::ParsedSvg svg(doc.str());
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_STREQ(svg.root().attribute("xmlns").value(), "http://www.w3.org/2000/svg");
  EXPECT_STREQ(svg.root().attribute("width").value(), "300");
  EXPECT_STREQ(svg.root().attribute("height").value(), "200");
  EXPECT_STREQ(svg.root().child("title").child_value(), "Attention & more");
  EXPECT_TRUE(svg.has_text("Attention & more"));
}

TEST(SvgDocument, CanvasWidensSoTheTitleIsNotClipped) {
  const std::string title(80, 'W');
  SvgDocument doc(100, 100, title);
  EXPECT_GT(doc.width(), estimate_text_width(title, 17));
}

TEST(SvgDocument, PrimitivesWriteTheirElementsAndTooltips) {
  SvgDocument doc(200, 200, "t");
  doc.begin_group("parts");
  doc.rect(1, 2, 3, 4, {.fill = "#ff0000", .stroke = "#000000", .tooltip = "a → b: 0.5"});
  doc.circle(10, 20, 3, {.fill = "#00ff00", .opacity = 0.5});
  doc.line(0, 0, 10, 10, {.stroke = "#0000ff", .dash = "4 3"});
  doc.polyline({{0, 0}, {1.005, 2}, {3, 4.25}}, {.stroke = "#123456"});
  doc.arrow(0, 0, 50, 50, {.stroke = "#999999"});
  doc.text(5, 6, "label",
           {.size = 9,
            .anchor = TextAnchor::kEnd,
            .rotate_degrees = -90,
            .bold = true,
            .monospace = true});
  doc.end_group();
  testing::ParsedSvg svg(doc.str());
  ASSERT_TRUE(svg.ok()) << svg.error();
  const pugi::xml_node rect = svg.select("//g[@class='parts']/rect").at(0);
  EXPECT_STREQ(rect.attribute("fill").value(), "#ff0000");
  EXPECT_STREQ(rect.attribute("stroke").value(), "#000000");
  EXPECT_STREQ(rect.child("title").child_value(), "a → b: 0.5");
  EXPECT_STREQ(svg.select("//g[@class='parts']/circle").at(0).attribute("opacity").value(), "0.5");
  EXPECT_STREQ(svg.select("//g[@class='parts']/line").at(0).attribute("stroke-dasharray").value(),
               "4 3");
  EXPECT_STREQ(svg.select("//polyline").at(0).attribute("points").value(), "0,0 1,2 3,4.25");
  const pugi::xml_node text = svg.select("//g[@class='parts']/text").at(0);
  EXPECT_STREQ(text.attribute("text-anchor").value(), "end");
  EXPECT_STREQ(text.attribute("font-weight").value(), "bold");
  EXPECT_STREQ(text.attribute("transform").value(), "rotate(-90 5 6)");
  EXPECT_NE(std::string(text.attribute("font-family").value()).find("monospace"),
            std::string::npos);
}

TEST(SvgDocument, ArrowHeadIsAMarkerDefinedInTheDocumentInTheStrokeColour) {
  SvgDocument doc(100, 100, "t");
  doc.arrow(0, 0, 10, 10, {.stroke = "#abcdef"});
  doc.arrow(5, 5, 10, 10, {.stroke = "#abcdef"});
  testing::ParsedSvg svg(doc.str());
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_EQ(svg.count("//defs/marker"), 1u);  // one marker per colour, however many arrows
  const std::string marker_id = svg.select("//defs/marker").at(0).attribute("id").value();
  for (const pugi::xml_node& line : svg.select("//line[@marker-end]")) {
    EXPECT_EQ(std::string(line.attribute("marker-end").value()), "url(#" + marker_id + ")");
  }
  EXPECT_STREQ(svg.select("//defs/marker/path").at(0).attribute("fill").value(), "#abcdef");
}

TEST(SvgDocument, TextSurvivesTheRoundTripThroughAnXmlParser) {
  SvgDocument doc(100, 100, "t");
  for (const std::string& label : testing::tricky_labels()) doc.text(0, 0, label, {});
  testing::ParsedSvg svg(doc.str());
  ASSERT_TRUE(svg.ok()) << svg.error();
  for (const std::string& label : testing::tricky_labels()) {
    EXPECT_TRUE(svg.has_text(label)) << "missing label '" << label << "'";
  }
}

TEST(SvgDocument, AnyBytesInTextAndTooltipsStillGiveWellFormedUtf8Xml) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  SvgDocument doc(100, 100, std::string("title\x01\xff", 6));
  for (int i = 0; i < 200; ++i) {
    std::string junk;
    for (int k = 0; k < 12; ++k) junk += char(byte(rng));
    doc.text(0, 0, junk, {});
    doc.rect(0, 0, 1, 1, {.fill = "#000000", .tooltip = junk});
  }
  const std::string out = doc.str();
  testing::ParsedSvg svg(out);
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_NO_THROW(decode_utf8(out, "svg"));
  EXPECT_TRUE(only_xml_characters(out));
}

TEST(SvgDocument, HasNoExternalReferences) {
  SvgDocument doc(100, 100, "t");
  doc.arrow(0, 0, 10, 10, {.stroke = "#000000"});
  doc.rect(0, 0, 5, 5, {.fill = doc.vertical_gradient({{0, "#000000"}, {1, "#ffffff"}})});
  doc.rect(0, 0, 5, 5, {.fill = doc.hatch_pattern("#cccccc")});
  std::string out = doc.str();
  out.erase(out.find("http://www.w3.org/2000/svg"), 26);
  EXPECT_EQ(out.find("href"), std::string::npos);
  EXPECT_EQ(out.find("http"), std::string::npos);
  EXPECT_EQ(out.find("@import"), std::string::npos);
  EXPECT_EQ(out.find("<image"), std::string::npos);
  for (size_t at = out.find("url("); at != std::string::npos; at = out.find("url(", at + 1)) {
    EXPECT_EQ(out[at + 4], '#') << "url() must point inside the document";
  }
}

TEST(SvgDocument, GradientAndHatchAreDefinedAndReferencedById) {
  SvgDocument doc(100, 100, "t");
  const std::string gradient = doc.vertical_gradient({{0, "#000000"}, {1, "#ffffff"}});
  const std::string hatch = doc.hatch_pattern("#cccccc");
  EXPECT_NE(gradient, hatch);
  testing::ParsedSvg svg(doc.str());
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_EQ(svg.count("//defs/linearGradient/stop"), 2u);
  EXPECT_EQ(svg.count("//defs/pattern"), 1u);
  const std::string gradient_id = svg.select("//defs/linearGradient").at(0).attribute("id").value();
  EXPECT_EQ(gradient, "url(#" + gradient_id + ")");
}

TEST(SvgDocument, WriteReplacesTheFileAtomically) {
  testing::TempDir dir;
  const std::string path = dir.file("chart.svg");
  testing::write_text(path, "old");
  SvgDocument doc(100, 100, "new chart");
  doc.write(path);
  EXPECT_EQ(read_file(path), doc.str());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(SvgDocument, UnbalancedGroupsAreAProgrammingError) {
  SvgDocument doc(100, 100, "t");
  EXPECT_THROW(doc.end_group(), std::logic_error);
  doc.begin_group("open");
  EXPECT_THROW(doc.str(), std::logic_error);
}

TEST(XmlEscape, EscapesTheFiveMarkupCharacters) {
  EXPECT_EQ(xml_escape("<a & \"b\" 'c'>"), "&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;");
}

TEST(XmlEscape, KeepsTurkishCjkAndEmojiAsTheyAre) {
  EXPECT_EQ(xml_escape("ğüşıöç İ 漢字 😀 ␣"), "ğüşıöç İ 漢字 😀 ␣");
}

TEST(XmlEscape, ReplacesForbiddenCharactersAndMalformedUtf8WithReplacementCharacter) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(xml_escape(std::string("a\0b", 3)), "a" + fffd + "b");
  EXPECT_EQ(xml_escape("\x01\x08\x0b\x1f"), fffd + fffd + fffd + fffd);
  EXPECT_EQ(xml_escape("\t\n\r"), "\t\n\r");                  // whitespace XML allows
  EXPECT_EQ(xml_escape("\xff"), fffd);                        // not a UTF-8 byte
  EXPECT_EQ(xml_escape("\xc3"), fffd);                        // truncated sequence
  EXPECT_EQ(xml_escape("\xc0\xaf"), fffd + fffd);             // overlong '/'
  EXPECT_EQ(xml_escape("\xed\xa0\x80"), fffd + fffd + fffd);  // a UTF-16 surrogate
  EXPECT_EQ(xml_escape("\xef\xbf\xbe"), fffd);                // U+FFFE, a non-character
}

TEST(SvgNumber, PrintsAtMostTwoDecimalsWithoutTrailingZeros) {
  EXPECT_EQ(svg_number(1.0), "1");
  EXPECT_EQ(svg_number(2.5), "2.5");
  EXPECT_EQ(svg_number(3.14159), "3.14");
  EXPECT_EQ(svg_number(1234.567), "1234.57");
  EXPECT_EQ(svg_number(-0.001), "0");
  EXPECT_EQ(svg_number(-12.25), "-12.25");
  EXPECT_EQ(svg_number(std::nan("")), "0");
  EXPECT_EQ(svg_number(INFINITY), "0");
}

TEST(EstimateTextWidth, WideCharactersTakeAWholeEm) {
  EXPECT_DOUBLE_EQ(estimate_text_width("ab", 10), 12);
  EXPECT_DOUBLE_EQ(estimate_text_width("漢😀", 10), 20);
  EXPECT_DOUBLE_EQ(estimate_text_width("ş", 10), 6);  // one character, though two bytes
}

}  // namespace
}  // namespace dikkat
