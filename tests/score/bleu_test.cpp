// Corpus BLEU against sacreBLEU's own published test vectors. Each test names the sacreBLEU file
// and list it takes its cases from (test/test_bleu.py, test/test_sentence_bleu.py, README.md);
// the expected numbers are sacreBLEU's, with its tolerances or tighter.
#include "score/bleu.h"

#include <gtest/gtest.h>

#include "error.h"
#include "score/corpus_scores.h"
#include "score/sacrebleu_signature.h"

namespace dikkat {
namespace {

using Refs = std::vector<std::vector<std::string>>;

BleuScore corpus_bleu(const std::vector<std::string>& hyps, const Refs& refs,
                      const BleuOptions& options = {}) {
  ScoreOptions o;
  o.chrf = false;
  o.bleu_options = options;
  return *score_corpus(hyps, refs, o).bleu;
}

// sacreBLEU's raw_corpus_bleu: no tokenizer, floor smoothing, effective order.
BleuOptions raw_options(double floor_value = 0.1) {
  return {.tokenizer = BleuTokenizer::kNone,
          .smoothing = BleuSmoothing::kFloor,
          .smooth_value = floor_value,
          .effective_order = true};
}

BleuStatistics stats(std::vector<int64_t> matches, std::vector<int64_t> totals, int64_t hyp_len,
                     int64_t ref_len) {
  return {.hyp_len = hyp_len, .ref_len = ref_len, .matches = matches, .totals = totals};
}

// test_bleu.py's _hyps and _refs (sacreBLEU's README example).
const std::vector<std::string> kHyps = {"The dog bit the man.", "It wasn't surprising.",
                                        "The man had just bitten him."};
const Refs kRefs = {
    {"The dog bit the man.", "It was not unexpected.", "The man bit him first."},
    {"The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."}};

// test_bleu.py: test_corpus_bleu_cases (all but the 'intl' tokenizer, which dikkat lacks).
TEST(BleuSacrebleuVectors, CorpusBleuCases) {
  EXPECT_NEAR(corpus_bleu(kHyps, kRefs).score, 48.530827, 1e-6);
  EXPECT_EQ(corpus_bleu({"", "", ""}, kRefs).score, 0.0);  // empty hypotheses are kept
  EXPECT_NEAR(corpus_bleu(kHyps, kRefs, {.tokenizer = BleuTokenizer::kNone}).score, 49.1919566,
              1e-6);
  EXPECT_NEAR(corpus_bleu(kHyps, kRefs, {.tokenizer = BleuTokenizer::k13a}).score, 48.530827, 1e-6);
  EXPECT_NEAR(corpus_bleu(kHyps, kRefs, {.smoothing = BleuSmoothing::kNone}).score, 48.530827,
              1e-6);
}

// test_bleu.py: test_raw_bleu_cases (expected values are BLEU / 100, checked to 1e-8).
TEST(BleuSacrebleuVectors, RawBleuCases) {
  EXPECT_NEAR(
      corpus_bleu({"this is a test", "another test"}, {{"ref1", "ref2"}}, raw_options(0.01)).score /
          100,
      0.0, 1e-8);
  EXPECT_NEAR(corpus_bleu({"this is a test"}, {{"this is a test"}}, raw_options(0.01)).score / 100,
              1.0, 1e-8);
  EXPECT_NEAR(corpus_bleu({"this is a fest"}, {{"this is a test"}}, raw_options(0.01)).score / 100,
              0.223606797749979, 1e-8);
}

// test_bleu.py: test_case_effective_order.
TEST(BleuSacrebleuVectors, EffectiveOrderCases) {
  EXPECT_NEAR(corpus_bleu({"test"}, {{"a test"}}, raw_options(0.01)).score / 100,
              0.3678794411714425, 1e-8);
  EXPECT_NEAR(corpus_bleu({"a test"}, {{"a test"}}, raw_options(0.01)).score / 100, 1.0, 1e-8);
  EXPECT_NEAR(corpus_bleu({"a little test"}, {{"a test"}}, raw_options(0.01)).score / 100,
              0.03218297948685433, 1e-8);
}

// test_bleu.py: test_case_statistics and test_case_offset.
TEST(BleuSacrebleuVectors, StatisticsAndFloorOffset) {
  const std::vector<std::string> hyp = {"am I am a character sequence"};
  const Refs ref = {{"I am a symbol string sequence a a"}};
  const BleuScore s = corpus_bleu(hyp, ref, raw_options(0.01));
  EXPECT_EQ(s.statistics.matches, (std::vector<int64_t>{4, 2, 1, 0}));
  EXPECT_EQ(s.statistics.totals, (std::vector<int64_t>{6, 5, 4, 3}));
  EXPECT_NEAR(corpus_bleu(hyp, ref, raw_options(0.0)).score / 100, 0.0, 1e-8);
  EXPECT_NEAR(corpus_bleu(hyp, ref, raw_options()).score / 100, 0.1555722182, 1e-8);
  EXPECT_NEAR(corpus_bleu(hyp, ref, raw_options(NAN)).score / 100, 0.1555722182, 1e-8);
}

// test_bleu.py: test_case_scoring (BLEU.compute_bleu's default smoothing is 'none').
TEST(BleuSacrebleuVectors, ScoringFromStatistics) {
  const BleuScore s = bleu_from_statistics(stats({9, 7, 5, 3}, {10, 8, 6, 4}, 11, 11),
                                           {.smoothing = BleuSmoothing::kNone});
  EXPECT_NEAR(s.score / 100, 0.8375922397, 1e-8);
}

// test_bleu.py: test_case_degenerate_stats, floor smoothing with each offset: all exactly 0.
TEST(BleuSacrebleuVectors, DegenerateStatisticsScoreZero) {
  struct Case {
    BleuStatistics s;
    double offset;
  };
  const std::vector<Case> cases = {{stats({0, 0, 0, 0}, {4, 4, 2, 1}, 0, 1), 0.0},
                                   {stats({0, 0, 0, 0}, {10, 11, 12, 0}, 14, 10), 0.0},
                                   {stats({0, 0, 0, 0}, {0, 0, 0, 0}, 0, 0), 0.0},
                                   {stats({6, 5, 4, 0}, {6, 5, 4, 3}, 6, 6), 0.0},
                                   {stats({0, 0, 0, 0}, {0, 0, 0, 0}, 0, 0), 0.1},
                                   {stats({0, 0, 0, 0}, {0, 0, 0, 0}, 1, 5), 0.01}};
  for (const Case& c : cases) {
    const BleuOptions o{.smoothing = BleuSmoothing::kFloor, .smooth_value = c.offset};
    EXPECT_EQ(bleu_from_statistics(c.s, o).score, 0.0) << "offset " << c.offset;
  }
}

// test_bleu.py: test_bleu_max_order, compared as sacreBLEU does, formatted to two decimals.
TEST(BleuSacrebleuVectors, MaxNgramOrder) {
  const std::vector<std::string> expected = {"77.65", "60.50", "53.93", "48.53", "46.14", "43.28"};
  for (int order = 1; order <= 6; ++order) {
    const BleuScore s = corpus_bleu(kHyps, kRefs, {.max_ngram_order = order});
    char formatted[32];
    std::snprintf(formatted, sizeof formatted, "%.2f", s.score);
    EXPECT_EQ(formatted, expected[order - 1]) << "order " << order;
  }
}

// test_sentence_bleu.py: test_api_sentence_bleu with effective order, every smoothing and the
// 13a and none tokenizers ('intl' and 'char' left out). sacreBLEU checks these to 1e-3, the
// precision its expected values are written with.
TEST(BleuSacrebleuVectors, SentenceBleuSmoothingCases) {
  const std::vector<std::string> sys = {
      "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;"};
  const Refs ref = {{"producţia de zahăr brut se exprimă în zahăr alb;"}};
  struct Case {
    BleuSmoothing smoothing;
    double value;
    BleuTokenizer tokenizer;
    double expected;
  };
  const auto k13a = BleuTokenizer::k13a;
  const std::vector<Case> cases = {{BleuSmoothing::kExp, NAN, k13a, 8.493},
                                   {BleuSmoothing::kNone, NAN, k13a, 0.0},
                                   {BleuSmoothing::kFloor, NAN, k13a, 4.51688},
                                   {BleuSmoothing::kFloor, 0.1, k13a, 4.51688},
                                   {BleuSmoothing::kFloor, 0.5, k13a, 10.10},
                                   {BleuSmoothing::kAddK, NAN, k13a, 14.882},
                                   {BleuSmoothing::kAddK, 1, k13a, 14.882},
                                   {BleuSmoothing::kAddK, 2, k13a, 21.389},
                                   {BleuSmoothing::kExp, NAN, BleuTokenizer::kNone, 7.347}};
  for (const Case& c : cases) {
    const BleuOptions o{.tokenizer = c.tokenizer,
                        .smoothing = c.smoothing,
                        .smooth_value = c.value,
                        .effective_order = true};
    EXPECT_NEAR(corpus_bleu(sys, ref, o).score, c.expected, 1e-3)
        << smoothing_name(c.smoothing) << " " << c.value << " " << tokenizer_name(c.tokenizer);
  }
}

// test_sentence_bleu.py: test_cases_zero_bleu (sacreBLEU issue #141): no match at any order is 0
// whatever the smoothing.
TEST(BleuSacrebleuVectors, NoMatchIsZeroWithEverySmoothing) {
  for (BleuSmoothing s :
       {BleuSmoothing::kExp, BleuSmoothing::kNone, BleuSmoothing::kFloor, BleuSmoothing::kAddK}) {
    const BleuOptions o{.smoothing = s, .effective_order = true};
    EXPECT_EQ(corpus_bleu({"this is a cat"}, {{"okay thanks"}}, o).score, 0.0) << smoothing_name(s);
  }
}

// README.md ("Multiple references"): the whole printed line and the signature, with sacreBLEU's
// version (2.0.0 there) replaced by the one dikkat names.
TEST(BleuSacrebleuVectors, ReadmeScoreLinesAndSignatures) {
  const BleuScore s = corpus_bleu(kHyps, kRefs);
  EXPECT_EQ(
      format_bleu(s),
      "BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)");
  EXPECT_EQ(bleu_signature({}, 2), std::string("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|") +
                                       "version:" + kSacrebleuVersion);
  EXPECT_EQ(
      bleu_signature({}, -1),
      std::string("nrefs:var|case:mixed|eff:no|tok:13a|smooth:exp|version:") + kSacrebleuVersion);
  // sacreBLEU 2.x (metrics/base.py) refuses a sentence whose references are all empty.
  const Refs none_for_first = {{"", "It was not unexpected.", "The man bit him first."},
                               {"", "No one was surprised.", "The man had bitten the dog."}};
  EXPECT_THROW(corpus_bleu(kHyps, none_for_first), Error);
}

// An empty reference line leaves that sentence with fewer references (sacreBLEU's variable
// number of references): its statistics are those against the references it has.
TEST(BleuCorpus, EmptyReferenceLinesLeaveFewerReferences) {
  ScoreOptions o;
  o.chrf = false;
  const Refs one_missing = {{"", "It was not unexpected.", "The man bit him first."}, kRefs[1]};
  const SentenceStatistics mixed = sentence_statistics(kHyps, one_missing, o);
  const SentenceStatistics alone = sentence_statistics({kHyps[0]}, {{kRefs[1][0]}}, o);
  const SentenceStatistics both = sentence_statistics(kHyps, kRefs, o);
  EXPECT_EQ(mixed.bleu[0].matches, alone.bleu[0].matches);
  EXPECT_EQ(mixed.bleu[0].ref_len, alone.bleu[0].ref_len);
  EXPECT_EQ(mixed.bleu[2].matches, both.bleu[2].matches);
  EXPECT_EQ(mixed.nrefs, -1);
  EXPECT_EQ(both.nrefs, 2);
}

// sacreBLEU's multi-reference rules (metrics/bleu.py): an n-gram's matches are clipped to its
// largest count in any one reference, not the sum over references, and the reference length is
// the one closest to the hypothesis length, the shorter of two equally close ones.
TEST(BleuCorpus, MultipleReferencesClipToTheLargestCountAndTakeTheClosestLength) {
  ScoreOptions o;
  o.chrf = false;
  const SentenceStatistics s = sentence_statistics({"the the the"}, {{"the cat"}, {"the dog"}}, o);
  EXPECT_EQ(s.bleu[0].matches[0], 1);
  const SentenceStatistics tie = sentence_statistics({"a b c d e"}, {{"a b c d e f"}, {"a b c d"}},
                                                     o);  // 6 and 4 words, both 1 away from 5
  EXPECT_EQ(tie.bleu[0].ref_len, 4);
  const SentenceStatistics nearest =
      sentence_statistics({"a b c"}, {{"a b c d e f g"}, {"a b"}, {"a b c d"}}, o);
  EXPECT_EQ(nearest.bleu[0].ref_len, 2);  // 2 and 4 are both 1 away: the shorter wins
}

TEST(BleuSignature, NamesSmoothingValuesCaseAndTokenizer) {
  EXPECT_EQ(bleu_signature({.smoothing = BleuSmoothing::kFloor}, 1),
            std::string("nrefs:1|case:mixed|eff:no|tok:13a|smooth:floor[0.10]|version:") +
                kSacrebleuVersion);
  EXPECT_EQ(bleu_signature({.tokenizer = BleuTokenizer::kNone,
                            .lowercase = true,
                            .smoothing = BleuSmoothing::kAddK,
                            .effective_order = true},
                           3),
            std::string("nrefs:3|case:lc|eff:yes|tok:none|smooth:add-k[1.00]|version:") +
                kSacrebleuVersion);
  EXPECT_EQ(parse_smoothing("add-k"), BleuSmoothing::kAddK);
  EXPECT_THROW(parse_smoothing("exponential"), Error);
}

}  // namespace
}  // namespace dikkat
