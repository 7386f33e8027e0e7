// dikkat score as a user runs it: sacreBLEU's lines, the JSON layout, the length buckets and
// their chart, and one clear line for each kind of bad input.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "draw/svg_test_support.h"
#include "score/sacrebleu_signature.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::expect_one_line_error;
using testing::run_dikkat;
using testing::shell_quote;

class ScoreCli : public ::testing::Test {
 protected:
  void SetUp() override {
    // sacreBLEU's README example (two references), with source sentences of 4, 8 and 35 words.
    write("hyp.txt", "The dog bit the man.\nIt wasn't surprising.\nThe man had just bitten him.\n");
    write("ref1.txt", "The dog bit the man.\nIt was not unexpected.\nThe man bit him first.\n");
    write("ref2.txt",
          "The dog had bit the man.\nNo one was surprised.\nThe man had bitten the dog.\n");
    std::string long_line;
    for (int i = 0; i < 35; ++i) long_line += i ? " word" : "word";
    write("src.txt",
          "Köpek adamı ısırdı.\nBu hiç de şaşırtıcı değildi, dedi biri.\n" + long_line + "\n");
  }
  void write(const std::string& name, const std::string& text) {
    testing::write_text(dir_.file(name), text);
  }
  std::string f(const std::string& name) const { return shell_quote(dir_.file(name)); }
  std::string both_refs() const { return " --ref " + f("ref1.txt") + " --ref " + f("ref2.txt"); }

  testing::TempDir dir_;
};

TEST_F(ScoreCli, PrintsSacrebleuLinesWithSignatures) {
  const auto r = run_dikkat("score --hyp " + f("hyp.txt") + both_refs());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string v = kSacrebleuVersion;
  EXPECT_EQ(r.out, "BLEU|nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:" + v +
                       " = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 "
                       "ref_len = 18)\n"
                       "chrF2|nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:" +
                       v + " = 59.73\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(ScoreCli, MetricsTokenizerAndLowercaseFlags) {
  const auto r = run_dikkat("score --hyp " + f("hyp.txt") + both_refs() +
                            " --metrics bleu --tokenize none --lowercase");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("BLEU|nrefs:2|case:lc|eff:no|tok:none|smooth:exp|"), std::string::npos);
  EXPECT_EQ(r.out.find("chrF"), std::string::npos);
  const auto c = run_dikkat("score --hyp " + f("hyp.txt") + both_refs() +
                            " --metrics chrf --chrf-word-order 2");
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_EQ(c.out.rfind("chrF2++|nrefs:2|case:mixed|eff:yes|nc:6|nw:2|space:no|", 0), 0u);
}

TEST_F(ScoreCli, WindowsLineEndsAndAMissingFinalNewlineScoreTheSame) {
  write("hyp_crlf.txt",
        "The dog bit the man.\r\nIt wasn't surprising.\r\nThe man had just bitten him.");
  const auto a = run_dikkat("score --hyp " + f("hyp.txt") + both_refs());
  const auto b = run_dikkat("score --hyp " + f("hyp_crlf.txt") + both_refs());
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(a.out, b.out);
}

TEST_F(ScoreCli, JsonHoldsScoresStatisticsAndSignatures) {
  const auto r = run_dikkat("score --json --hyp " + f("hyp.txt") + both_refs());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["sentences"], 3);
  EXPECT_EQ(j["refs"].size(), 2u);
  const nlohmann::json& bleu = j["bleu"];
  EXPECT_EQ(bleu["name"], "BLEU");
  EXPECT_NEAR(bleu["score"].get<double>(), 48.530827, 1e-6);
  EXPECT_EQ(bleu["counts"], nlohmann::json({14, 7, 5, 3}));
  EXPECT_EQ(bleu["totals"], nlohmann::json({17, 14, 11, 8}));
  EXPECT_EQ(bleu["hyp_len"], 17);
  EXPECT_EQ(bleu["ref_len"], 18);
  EXPECT_EQ(bleu["precisions"].size(), 4u);
  EXPECT_NEAR(bleu["bp"].get<double>(), 0.9428731438548749, 1e-12);
  EXPECT_EQ(bleu["signature"].get<std::string>().rfind("nrefs:2|case:mixed|", 0), 0u);
  EXPECT_EQ(bleu["line"].get<std::string>().rfind("BLEU|nrefs:2|", 0), 0u);
  const nlohmann::json& chrf = j["chrf"];
  EXPECT_EQ(chrf["name"], "chrF2");
  EXPECT_NEAR(chrf["score"].get<double>(), 59.7275178268, 1e-9);
  ASSERT_EQ(chrf["statistics"].size(), 6u);
  EXPECT_EQ(
      chrf["statistics"][0],
      nlohmann::json({{"kind", "char"}, {"order", 1}, {"hyp", 58}, {"ref", 56}, {"match", 46}}));
  EXPECT_FALSE(j.contains("buckets"));
}

TEST_F(ScoreCli, ByLengthPrintsATableAndJsonBuckets) {
  const std::string args =
      "score --hyp " + f("hyp.txt") + both_refs() + " --by-length --src " + f("src.txt");
  const auto text = run_dikkat(args);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("quality by source sentence length"), std::string::npos);
  EXPECT_NE(text.out.find("1-5               1"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("11-15             0        -        -"), std::string::npos) << text.out;

  const auto r = run_dikkat(args + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json buckets = nlohmann::json::parse(r.out)["buckets"];
  ASSERT_EQ(buckets.size(), 6u);
  const std::vector<int> sentences = {1, 1, 0, 0, 0, 1};
  for (size_t b = 0; b < 6; ++b) {
    EXPECT_EQ(buckets[b]["sentences"], sentences[b]) << b;
    EXPECT_EQ(buckets[b]["bleu"].is_null(), sentences[b] == 0) << b;
    EXPECT_EQ(buckets[b]["chrf"].is_null(), sentences[b] == 0) << b;
  }
  EXPECT_EQ(buckets[0]["range"], "1-5");
  EXPECT_EQ(buckets[0]["min_words"], 1);
  EXPECT_EQ(buckets[0]["max_words"], 5);
  EXPECT_EQ(buckets[5]["range"], "31+");
  EXPECT_TRUE(buckets[5]["max_words"].is_null());
  // The first sentence is a perfect translation of its bucket's only sentence.
  EXPECT_NEAR(buckets[0]["bleu"].get<double>(), 100.0, 1e-9);
}

TEST_F(ScoreCli, SvgChartHasAPointPerNonEmptyBucket) {
  const std::string svg_path = dir_.file("quality.svg");
  const auto r = run_dikkat("score --hyp " + f("hyp.txt") + both_refs() + " --by-length --src " +
                            f("src.txt") + " --svg " + shell_quote(svg_path));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote " + svg_path), std::string::npos);
  std::ifstream in(svg_path);
  const std::string svg_text((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  testing::ParsedSvg svg(svg_text);
  ASSERT_TRUE(svg.ok()) << svg.error();
  EXPECT_EQ(svg.count("//g[@class='series']"), 2u);
  EXPECT_EQ(svg.count("//g[@class='series']/circle"), 6u);    // 3 non-empty buckets x 2 metrics
  EXPECT_EQ(svg.count("//g[@class='series']/polyline"), 2u);  // 1-5 to 6-10, per metric
  EXPECT_TRUE(svg.has_text("31+ (n=1)"));
  EXPECT_TRUE(svg.has_text("source sentence length (words)"));
}

TEST_F(ScoreCli, MissingFile) {
  expect_one_line_error(run_dikkat("score --hyp /nonexistent/hyp.txt --ref " + f("ref1.txt")),
                        "/nonexistent/hyp.txt: cannot open");
}

TEST_F(ScoreCli, EmptyFile) {
  write("empty.txt", "");
  expect_one_line_error(run_dikkat("score --hyp " + f("hyp.txt") + " --ref " + f("empty.txt")),
                        "empty.txt: file is empty");
}

TEST_F(ScoreCli, InvalidUtf8NamesTheLine) {
  write("bad.txt", "The dog bit the man.\nIt wasn\xFFt.\nThe man.\n");
  expect_one_line_error(run_dikkat("score --hyp " + f("bad.txt") + " --ref " + f("ref1.txt")),
                        "bad.txt:2: invalid UTF-8 at byte offset 7");
}

TEST_F(ScoreCli, DifferentLineCountsSayBothCounts) {
  write("short.txt", "The dog bit the man.\nIt wasn't surprising.\n");
  expect_one_line_error(run_dikkat("score --hyp " + f("hyp.txt") + " --ref " + f("short.txt")),
                        "hyp.txt has 3 lines but " + dir_.file("short.txt") + " has 2");
  expect_one_line_error(run_dikkat("score --hyp " + f("hyp.txt") + " --ref " + f("ref1.txt") +
                                   " --by-length --src " + f("short.txt")),
                        "hyp.txt has 3 lines but " + dir_.file("short.txt") + " has 2");
}

TEST_F(ScoreCli, ByLengthWithoutSource) {
  expect_one_line_error(
      run_dikkat("score --hyp " + f("hyp.txt") + " --ref " + f("ref1.txt") + " --by-length"),
      "--by-length needs --src FILE");
  expect_one_line_error(run_dikkat("score --hyp " + f("hyp.txt") + " --ref " + f("ref1.txt") +
                                   " --svg " + f("x.svg")),
                        "--svg draws the quality-by-length chart");
}

TEST_F(ScoreCli, EmptyReferenceLine) {
  write("gap.txt", "The dog bit the man.\n\nThe man bit him first.\n");
  expect_one_line_error(run_dikkat("score --hyp " + f("hyp.txt") + " --ref " + f("gap.txt")),
                        "gap.txt:2: empty reference line");
  // With a second reference the sentence keeps that one (nrefs becomes "var").
  const auto r = run_dikkat("score --hyp " + f("hyp.txt") + " --ref " + f("gap.txt") + " --ref " +
                            f("ref2.txt"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("BLEU|nrefs:var|"), std::string::npos);
}

TEST_F(ScoreCli, UnknownMetricOrTokenizer) {
  expect_one_line_error(
      run_dikkat("score --hyp " + f("hyp.txt") + " --ref " + f("ref1.txt") + " --metrics bleu,ter"),
      "--metrics: unknown metric 'ter' (choose from: bleu, chrf)");
  expect_one_line_error(
      run_dikkat("score --hyp " + f("hyp.txt") + " --ref " + f("ref1.txt") + " --tokenize intl"),
      "--tokenize: unknown tokenizer 'intl'");
}

}  // namespace
}  // namespace dikkat
