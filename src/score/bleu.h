#pragma once
// Corpus BLEU (Papineni et al., 2002) exactly as sacreBLEU 2.x computes it: word n-grams of
// orders 1..4 after the 13a tokenizer, clipped counts summed over the whole corpus, their
// geometric mean, and a brevity penalty for a translation shorter than its references.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "score/tokenizer_13a.h"

namespace dikkat {

// How BLEU treats an n-gram order with no match (Chen & Cherry, 2014, the methods sacreBLEU names).
enum class BleuSmoothing {
  kNone,   // the precision is 0, and so is BLEU
  kFloor,  // the count of matches becomes `smooth_value` (default 0.1)
  kAddK,   // orders 2..N add `smooth_value` (default 1) to both matches and n-grams
  kExp     // mteval-v13a's default: the k-th empty order counts 1 / 2^k matches
};

// "none", "floor", "add-k", "exp"; and back (Error naming the choices for anything else).
const char* smoothing_name(BleuSmoothing smoothing);
BleuSmoothing parse_smoothing(const std::string& name);

struct BleuOptions {
  BleuTokenizer tokenizer = BleuTokenizer::k13a;
  bool lowercase = false;  // Python's str.lower() on hypothesis and references
  BleuSmoothing smoothing = BleuSmoothing::kExp;
  double smooth_value = NAN;  // NaN: the method's default
  int max_ngram_order = 4;
  // Average only the orders the hypotheses have n-grams of (sentence-level BLEU); sacreBLEU's
  // corpus BLEU keeps this off, so a corpus of sentences shorter than 4 words scores 0.
  bool effective_order = false;
};

// BLEU's sufficient statistics for one sentence, or summed over many.
struct BleuStatistics {
  int64_t hyp_len = 0;  // hypothesis words
  int64_t ref_len = 0;  // words of the reference closest in length (the shorter one on a tie)
  std::vector<int64_t> matches;  // per order 1..N: hypothesis n-grams found in a reference,
                                 // each clipped to its largest count in any one reference
  std::vector<int64_t> totals;   // per order: hypothesis n-grams
  void add(const BleuStatistics& other);
};

struct BleuScore {
  double score = 0;  // 0..100
  BleuStatistics statistics;
  std::vector<double> precisions;  // per order, in percent, after smoothing
  double brevity_penalty = 0;      // exp(1 - ref_len / hyp_len) when shorter, else 1
  double ratio = 0;                // hyp_len / ref_len (0 without reference words)
};

// One sentence's statistics against its references (raw text: this lower-cases, strips trailing
// whitespace and tokenizes as `options` say). `refs` must not be empty.
BleuStatistics bleu_sentence_statistics(std::u32string_view hyp,
                                        const std::vector<std::u32string_view>& refs,
                                        const BleuOptions& options);

// The score from (summed) statistics: sacreBLEU's BLEU.compute_bleu.
BleuScore bleu_from_statistics(const BleuStatistics& statistics, const BleuOptions& options);

// "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1"; floor and add-k name their value
// ("smooth:floor[0.10]").
std::string bleu_signature(const BleuOptions& options, int nrefs);

// sacreBLEU's text line: "BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17
// ref_len = 18)", with "BLEU|<signature> = ..." when a signature is given. `width` is the number
// of decimals of the score (sacreBLEU's -w).
std::string format_bleu(const BleuScore& score, const std::string& signature = "", int width = 2);

}  // namespace dikkat
