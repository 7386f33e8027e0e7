// chrF and chrF++ against sacreBLEU's own published test vectors (test/test_chrf.py, README.md);
// each test names the list it takes its cases from. sacreBLEU checks them to 1e-4, as here.
#include "score/chrf.h"

#include <gtest/gtest.h>

#include "score/corpus_scores.h"
#include "score/sacrebleu_signature.h"

namespace dikkat {
namespace {

using Refs = std::vector<std::vector<std::string>>;

double corpus_chrf(const std::vector<std::string>& hyps, const std::vector<std::string>& refs,
                   const ChrfOptions& options) {
  ScoreOptions o;
  o.bleu = false;
  o.chrf_options = options;
  return score_corpus(hyps, {refs}, o).chrf->score;
}

struct Case {
  std::vector<std::string> hyps, refs;
  double expected;
};

// test_chrf.py: test_cases, run with char_order 6, word_order 0, beta 3, eps_smoothing=True.
TEST(ChrfSacrebleuVectors, EpsilonSmoothingCases) {
  const std::vector<Case> cases = {
      {{"abcdefg"}, {"hijklmnop"}, 0.0},
      {{"a"}, {"b"}, 0.0},
      {{""}, {"b"}, 0.0},
      {{""}, {"ref"}, 0.0},
      {{""}, {"reference"}, 0.0},
      {{"aa"}, {"ab"}, 8.3333},
      {{"a", "b"}, {"a", "c"}, 8.3333},
      {{"a"}, {"a"}, 16.6667},
      {{"a b c"}, {"a b c"}, 50.0},
      {{"a b c"}, {"abc"}, 50.0},
      {{" risk assessment must be made of those who are qualified and expertise in the sector - "
        "these are the scientists ."},
       {"risk assessment has to be undertaken by those who are qualified and expert in that area "
        "- that is the scientists ."},
       63.361730},
      {{" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "},
       {"Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."},
       64.1302698},
      {{"Niemand hat die Absicht, eine Mauer zu errichten"},
       {"Niemand hat die Absicht, eine Mauer zu errichten"},
       100.0}};
  for (const Case& c : cases) {
    EXPECT_NEAR(corpus_chrf(c.hyps, c.refs, {.beta = 3, .eps_smoothing = true}), c.expected, 1e-4)
        << c.hyps[0];
  }
}

// test_chrf.py: test_cases_effective_order (sacreBLEU's default averaging), beta 3.
TEST(ChrfSacrebleuVectors, EffectiveOrderCases) {
  const std::vector<Case> cases = {
      {{"a"}, {"a"}, 100.0},       {{""}, {"reference"}, 0.0}, {{"a b c"}, {"a b c"}, 100.0},
      {{"a b c"}, {"abc"}, 100.0}, {{""}, {"c"}, 0.0},         {{"a", "b"}, {"a", "c"}, 50.0},
      {{"aa"}, {"ab"}, 25.0}};
  for (const Case& c : cases) {
    EXPECT_NEAR(corpus_chrf(c.hyps, c.refs, {.beta = 3}), c.expected, 1e-4) << c.hyps[0];
  }
}

// test_chrf.py: test_cases_keep_whitespace (remove_whitespace=False), beta 3.
TEST(ChrfSacrebleuVectors, KeepWhitespaceCases) {
  const std::vector<Case> cases = {
      {{"Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."},
       {"Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."},
       67.3481606},
      {{"risk assessment must be made of those who are qualified and expertise in the sector - "
        "these are the scientists ."},
       {"risk assessment has to be undertaken by those who are qualified and expert in that area "
        "- that is the scientists ."},
       65.2414427}};
  for (const Case& c : cases) {
    EXPECT_NEAR(corpus_chrf(c.hyps, c.refs, {.beta = 3, .whitespace = true}), c.expected, 1e-4)
        << c.hyps[0];
  }
}

// test_chrf.py: test_sentence_level_chrf (sentence_chrf: beta 2, eps_smoothing=True). Czech
// text: n-grams are of code points, not bytes.
TEST(ChrfSacrebleuVectors, SentenceLevelCases) {
  const std::vector<Case> cases = {
      {{"Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře."},
       {"Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře."},
       39.14078509},
      {{"Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři."},
       {"A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři."},
       31.22557079},
      {{"Lapali po dechu, jejich životy skončily dřív, než skutečně začaly."},
       {"Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli."},
       57.15704367}};
  for (const Case& c : cases) {
    EXPECT_NEAR(corpus_chrf(c.hyps, c.refs, {.eps_smoothing = true}), c.expected, 1e-4)
        << c.hyps[0];
  }
}

const std::vector<std::string> kHyps = {"The dog bit the man.", "It wasn't surprising.",
                                        "The man had just bitten him."};
const Refs kRefs = {
    {"The dog bit the man.", "It was not unexpected.", "The man bit him first."},
    {"The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."}};

// README.md ("Multiple references"): CHRF().corpus_score(sys, refs) prints "chrF2 = 59.73".
TEST(ChrfSacrebleuVectors, ReadmeMultiReferenceScore) {
  ScoreOptions o;
  o.bleu = false;
  const CorpusScores s = score_corpus(kHyps, kRefs, o);
  EXPECT_EQ(format_chrf(*s.chrf, o.chrf_options), "chrF2 = 59.73");
  EXPECT_EQ(format_chrf(*s.chrf, o.chrf_options, chrf_signature(o.chrf_options, s.nrefs)),
            std::string("chrF2|nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:") +
                kSacrebleuVersion + " = 59.73");
}

// chrF++ on the README example. sacreBLEU publishes chrF++ figures only for WMT17 systems
// (test.sh), which are not available offline; these constants were produced by running
// sacreBLEU 2.x's CHRF code (metrics/chrf.py with helpers.py, transcribed into a scratch script)
// with word_order=2, and the per-order counts pin down the word n-grams chrF++ adds.
TEST(ChrfPlusPlus, ReadmeExampleMatchesSacrebleuCode) {
  ScoreOptions o;
  o.bleu = false;
  o.chrf_options.word_order = 2;
  const CorpusScores both = score_corpus(kHyps, kRefs, o);
  EXPECT_NEAR(both.chrf->score, 59.15310444399262, 1e-9);
  EXPECT_EQ(both.chrf->statistics.counts,
            (std::vector<int64_t>{58, 56, 46, 55, 53, 36, 52, 50, 31, 49, 47, 26,
                                  46, 44, 22, 43, 41, 18, 17, 18, 12, 14, 15, 7}));
  const CorpusScores first = score_corpus(kHyps, {kRefs[0]}, o);
  EXPECT_NEAR(first.chrf->score, 51.7309698503746, 1e-9);
  EXPECT_EQ(chrf_name(o.chrf_options), "chrF2++");
  EXPECT_EQ(
      chrf_signature(o.chrf_options, 2),
      std::string("nrefs:2|case:mixed|eff:yes|nc:6|nw:2|space:no|version:") + kSacrebleuVersion);
}

// chrF++.py's word split: one punctuation character comes off the end, or else the start, of a
// word longer than one character: "(hi)" gives "(hi" and ")".
TEST(ChrfPlusPlus, SplitsOnePunctuationCharacterOffAWord) {
  const ChrfOptions words_only{.char_order = 0, .word_order = 1};
  // Hypothesis words "(hi" and ")" against reference words "(", "hi" and ")": only ")" matches.
  const ChrfStatistics s = chrf_sentence_statistics(U"(hi)", {U"( hi )"}, words_only);
  EXPECT_EQ(s.counts, (std::vector<int64_t>{2, 3, 1}));
  // "hi." splits into "hi" and ".", and ".5" into "." and "5".
  const ChrfStatistics t = chrf_sentence_statistics(U"hi. .5", {U"hi . . 5"}, words_only);
  EXPECT_EQ(t.counts, (std::vector<int64_t>{4, 4, 4}));
}

// sacreBLEU's CHRF._get_match_statistics: an order the reference has no n-gram of counts none of
// the hypothesis's either ("don't count hits if no reference exists for that n-gram"). The corpus
// score was produced by running sacreBLEU 2.x's CHRF code (transcribed into a scratch script).
TEST(ChrfCorpus, OrdersTheReferenceLacksCountNoHypothesisNgrams) {
  const ChrfStatistics s = chrf_sentence_statistics(U"abcdefg", {U"ab"}, {});
  EXPECT_EQ(s.counts, (std::vector<int64_t>{7, 2, 2, 6, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_NEAR(corpus_chrf({"abcdefg", "hello world"}, {"ab", "hello there world"}, {}),
              39.86910443722112, 1e-9);
}

TEST(ChrfScoreScale, IsZeroToHundredAsSacrebleu2) {
  // sacreBLEU 1.x and some papers print chrF on 0..1: 0.687 there is 68.7 here.
  EXPECT_NEAR(corpus_chrf({"a b c"}, {"a b c"}, {}), 100.0, 1e-12);
  EXPECT_EQ(chrf_signature({.lowercase = true, .whitespace = true, .eps_smoothing = true}, 1),
            std::string("nrefs:1|case:lc|eff:no|nc:6|nw:0|space:yes|version:") + kSacrebleuVersion);
}

}  // namespace
}  // namespace dikkat
