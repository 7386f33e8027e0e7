// Source-length buckets: each bucket is scored as a corpus of its own sentences.
#include "score/length_buckets.h"

#include <gtest/gtest.h>

#include <cmath>

#include "draw/svg_test_support.h"
#include "error.h"
#include "score/length_chart_svg.h"

namespace dikkat {
namespace {

TEST(ScoreLengthBuckets, BoundariesAndLabels) {
  const std::vector<LengthBucket>& b = source_length_buckets();
  ASSERT_EQ(b.size(), 6u);
  const std::vector<std::string> labels = {"1-5", "6-10", "11-15", "16-20", "21-30", "31+"};
  for (size_t i = 0; i < b.size(); ++i) EXPECT_EQ(b[i].label(), labels[i]);
  EXPECT_EQ(length_bucket_index(0), 0u);  // an empty source line counts in 1-5
  EXPECT_EQ(length_bucket_index(5), 0u);
  EXPECT_EQ(length_bucket_index(6), 1u);
  EXPECT_EQ(length_bucket_index(20), 3u);
  EXPECT_EQ(length_bucket_index(21), 4u);
  EXPECT_EQ(length_bucket_index(30), 4u);
  EXPECT_EQ(length_bucket_index(31), 5u);
  EXPECT_EQ(length_bucket_index(1000), 5u);
  EXPECT_EQ(source_word_count("Bu bir\xC2\xA0"
                              "deneme, değil mi?"),
            5u);
}

std::string words(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += (i ? " w" : "w") + std::to_string(i);
  return s;
}

TEST(ScoreLengthBuckets, EachBucketScoresLikeItsOwnCorpus) {
  const std::vector<std::string> sources = {words(3), words(8), words(4), words(40)};
  const std::vector<std::string> hyps = {"the cat sat on the mat", "a dog", "the cat sat",
                                         "it rained all day long in the city"};
  const std::vector<std::vector<std::string>> refs = {{"the cat sat on a mat", "a dog barked",
                                                       "the cat sat down",
                                                       "it rained all day in the city"}};
  const ScoreOptions options;
  const SentenceStatistics stats = sentence_statistics(hyps, refs, options);
  const std::vector<BucketScores> buckets = score_by_source_length(sources, stats, options);
  ASSERT_EQ(buckets.size(), 6u);
  const std::vector<size_t> sizes = {2, 1, 0, 0, 0, 1};
  for (size_t b = 0; b < 6; ++b) EXPECT_EQ(buckets[b].scores.sentences, sizes[b]) << b;

  const CorpusScores alone = score_corpus({hyps[0], hyps[2]}, {{refs[0][0], refs[0][2]}}, options);
  EXPECT_EQ(buckets[0].scores.bleu->score, alone.bleu->score);
  EXPECT_EQ(buckets[0].scores.chrf->score, alone.chrf->score);
  EXPECT_EQ(buckets[0].scores.bleu->statistics.hyp_len, 9);
}

TEST(ScoreLengthBuckets, SourceWithAnotherLineCountIsAnError) {
  const ScoreOptions options;
  const SentenceStatistics stats = sentence_statistics({"a b"}, {{"a b"}}, options);
  EXPECT_THROW(score_by_source_length({"x", "y"}, stats, options), Error);
}

TEST(ScoreLengthChart, OnePointPerNonEmptyBucketAndGapsForEmptyOnes) {
  const ScoreOptions options;
  const std::vector<std::string> hyps = {"a b c d", "e f g h i", "a b c d e f g"};
  const std::vector<std::vector<std::string>> refs = {{"a b c d", "e f g x i", "a b c d e f h"}};
  const SentenceStatistics stats = sentence_statistics(hyps, refs, options);
  // Buckets 1-5, 11-15 and 31+ hold sentences; 6-10 lies between two of them.
  const std::vector<BucketScores> buckets =
      score_by_source_length({words(2), words(12), words(33)}, stats, options);
  testing::ParsedSvg svg(quality_by_length_svg(buckets, options, "quality"));
  ASSERT_TRUE(svg.ok()) << svg.error();
  const auto series = svg.select("//g[@class='series']");
  ASSERT_EQ(series.size(), 2u);  // BLEU and chrF2
  for (const pugi::xml_node& g : series) {
    size_t circles = 0, polylines = 0;
    for (const pugi::xml_node& child : g.children()) {
      circles += std::string(child.name()) == "circle";
      polylines += std::string(child.name()) == "polyline";
    }
    EXPECT_EQ(circles, 3u);
    EXPECT_EQ(polylines, 0u);  // no two non-empty buckets are neighbours
  }
  EXPECT_TRUE(svg.has_text("1-5 (n=1)"));
  EXPECT_TRUE(svg.has_text("6-10 (n=0)"));
  EXPECT_TRUE(svg.has_text("31+ (n=1)"));
  EXPECT_TRUE(svg.has_text("BLEU"));
  EXPECT_TRUE(svg.has_text("chrF2"));
}

}  // namespace
}  // namespace dikkat
