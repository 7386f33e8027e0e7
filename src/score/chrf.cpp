#include "score/chrf.h"

#include <cstdio>

#include "error.h"
#include "score/ngram_counts.h"
#include "score/python_str.h"
#include "score/sacrebleu_signature.h"

namespace dikkat {
namespace {

bool is_ascii_punctuation(char32_t c) {
  return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
         (c >= 0x7B && c <= 0x7E);
}

// chrF++'s words: whitespace-separated, with one ASCII punctuation character split off the end
// of a longer word or, failing that, off its start ("(hi)" gives "(hi" and ")"), as chrF++.py.
std::u32string words_for_chrf(std::u32string_view text) {
  std::u32string out;
  const auto push = [&out](std::u32string_view word) {
    if (!out.empty()) out.push_back(U' ');
    out.append(word);
  };
  for (std::u32string_view w : split_python_whitespace(text)) {
    if (w.size() > 1 && is_ascii_punctuation(w.back())) {
      push(w.substr(0, w.size() - 1)), push(w.substr(w.size() - 1));
    } else if (w.size() > 1 && is_ascii_punctuation(w.front())) {
      push(w.substr(0, 1)), push(w.substr(1));
    } else {
      push(w);
    }
  }
  return out;
}

std::u32string without_whitespace(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (!is_python_space(c)) out.push_back(c);
  }
  return out;
}

// A sentence's n-gram counts for every order; the strings own what the keys view.
struct SentenceNgrams {
  std::u32string chars, words;
  std::vector<NgramCounts> orders;
};

void count_ngrams(std::u32string_view text, const ChrfOptions& options, SentenceNgrams& out) {
  out.orders.clear();  // before the strings its keys view change
  out.chars = options.whitespace ? std::u32string(text) : without_whitespace(text);
  for (int n = 1; n <= options.char_order; ++n)
    out.orders.push_back(char_ngram_counts(out.chars, n));
  if (options.word_order > 0) {
    out.words = words_for_chrf(text);
    const std::vector<std::u32string_view> words = split_python_whitespace(out.words);
    for (int n = 1; n <= options.word_order; ++n) out.orders.push_back(word_ngram_counts(words, n));
  }
}

std::string format_fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

}  // namespace

void ChrfStatistics::add(const ChrfStatistics& other) {
  if (counts.size() < other.counts.size()) counts.resize(other.counts.size(), 0);
  for (size_t i = 0; i < other.counts.size(); ++i) counts[i] += other.counts[i];
}

ChrfStatistics chrf_sentence_statistics(std::u32string_view hyp,
                                        const std::vector<std::u32string_view>& refs,
                                        const ChrfOptions& options) {
  if (refs.empty()) throw Error("chrF needs at least one reference per sentence");
  const std::u32string hyp_lower = options.lowercase ? python_lower(hyp) : std::u32string();
  SentenceNgrams hyp_ngrams;
  count_ngrams(options.lowercase ? std::u32string_view(hyp_lower) : hyp, options, hyp_ngrams);

  ChrfStatistics best;
  double best_f = -1.0;
  SentenceNgrams ref_ngrams;
  for (std::u32string_view ref : refs) {
    const std::u32string ref_lower = options.lowercase ? python_lower(ref) : std::u32string();
    count_ngrams(options.lowercase ? std::u32string_view(ref_lower) : ref, options, ref_ngrams);
    ChrfStatistics stats;
    for (size_t k = 0; k < hyp_ngrams.orders.size(); ++k) {
      const NgramCounts& h = hyp_ngrams.orders[k];
      const NgramCounts& r = ref_ngrams.orders[k];
      stats.counts.push_back(r.empty() ? 0 : total_count(h));
      stats.counts.push_back(total_count(r));
      stats.counts.push_back(clipped_matches(h, r));
    }
    const double f = chrf_f_score(stats, options);
    if (f > best_f) best_f = f, best = std::move(stats);
  }
  return best;
}

double chrf_f_score(const ChrfStatistics& statistics, const ChrfOptions& options) {
  const int orders = options.char_order + options.word_order;
  if (int(statistics.counts.size()) != 3 * orders) {
    throw Error("chrF statistics hold " + std::to_string(statistics.counts.size() / 3) +
                " n-gram orders, the options " + std::to_string(orders));
  }
  constexpr double kEps = 1e-16;
  const double factor = double(options.beta) * double(options.beta);
  double summed_f = 0, avg_precision = 0, avg_recall = 0;
  int effective = 0;
  for (int i = 0; i < orders; ++i) {
    const int64_t n_hyp = statistics.counts[3 * i], n_ref = statistics.counts[3 * i + 1],
                  n_match = statistics.counts[3 * i + 2];
    const double precision = n_hyp > 0 ? double(n_match) / double(n_hyp) : kEps;
    const double recall = n_ref > 0 ? double(n_match) / double(n_ref) : kEps;
    const double denominator = factor * precision + recall;
    summed_f += denominator > 0 ? (1 + factor) * precision * recall / denominator : kEps;
    if (n_hyp > 0 && n_ref > 0) {
      avg_precision += precision;
      avg_recall += recall;
      ++effective;
    }
  }
  if (options.eps_smoothing) return 100 * summed_f / orders;
  if (effective == 0) return 0.0;
  avg_precision /= effective;
  avg_recall /= effective;
  if (avg_precision + avg_recall == 0) return 0.0;
  double score = (1 + factor) * avg_precision * avg_recall;
  score /= factor * avg_precision + avg_recall;
  return 100 * score;
}

ChrfScore chrf_from_statistics(const ChrfStatistics& statistics, const ChrfOptions& options) {
  return {chrf_f_score(statistics, options), statistics};
}

std::string chrf_name(const ChrfOptions& options) {
  return "chrF" + std::to_string(options.beta) + std::string(size_t(options.word_order), '+');
}

std::string chrf_signature(const ChrfOptions& options, int nrefs) {
  return format_signature({{"nrefs", nrefs_field(nrefs)},
                           {"case", options.lowercase ? "lc" : "mixed"},
                           {"eff", options.eps_smoothing ? "no" : "yes"},
                           {"nc", std::to_string(options.char_order)},
                           {"nw", std::to_string(options.word_order)},
                           {"space", options.whitespace ? "yes" : "no"}});
}

std::string format_chrf(const ChrfScore& score, const ChrfOptions& options,
                        const std::string& signature, int width) {
  return chrf_name(options) + (signature.empty() ? "" : "|" + signature) + " = " +
         format_fixed(score.score, width);
}

}  // namespace dikkat
