#pragma once
// chrF (Popović, 2015) and chrF++ (Popović, 2017) exactly as sacreBLEU 2.x computes them: the
// F-score of character n-grams of orders 1..6 (spaces removed), recall weighted beta = 2 times as
// much as precision, from n-gram counts summed over the whole corpus. chrF++ adds word unigrams
// and bigrams. Scores are on sacreBLEU 2.x's 0..100 scale: a paper's "chrF 0.687" is 68.7 here.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dikkat {

struct ChrfOptions {
  int char_order = 6;
  int word_order = 0;  // 2 gives chrF++
  int beta = 2;
  bool lowercase = false;   // Python's str.lower() on hypothesis and references
  bool whitespace = false;  // keep spaces inside character n-grams
  // chrF++.py's (and NLTK's) averaging over all orders, an empty order counting as 1e-16; off:
  // sacreBLEU's default, which averages precision and recall over the orders present.
  bool eps_smoothing = false;
};

// Per order (the character orders, then the word orders) three counts: hypothesis n-grams (0
// when the reference has none of this order), reference n-grams and matches (clipped).
struct ChrfStatistics {
  std::vector<int64_t> counts;
  void add(const ChrfStatistics& other);
};

struct ChrfScore {
  double score = 0;  // 0..100
  ChrfStatistics statistics;
};

// One sentence's statistics: with several references, those of the reference that gives the
// sentence the highest chrF (the first one on a tie). `refs` must not be empty.
ChrfStatistics chrf_sentence_statistics(std::u32string_view hyp,
                                        const std::vector<std::u32string_view>& refs,
                                        const ChrfOptions& options);

// The F-beta score (0..100) of (summed) statistics.
double chrf_f_score(const ChrfStatistics& statistics, const ChrfOptions& options);
ChrfScore chrf_from_statistics(const ChrfStatistics& statistics, const ChrfOptions& options);

// "chrF2", or "chrF2++" with word order 2 (one '+' per word order).
std::string chrf_name(const ChrfOptions& options);

// "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.5.1"
std::string chrf_signature(const ChrfOptions& options, int nrefs);

// sacreBLEU's text line: "chrF2 = 68.70", or "chrF2|<signature> = 68.70".
std::string format_chrf(const ChrfScore& score, const ChrfOptions& options,
                        const std::string& signature = "", int width = 2);

}  // namespace dikkat
