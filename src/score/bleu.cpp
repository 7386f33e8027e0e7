#include "score/bleu.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "error.h"
#include "score/ngram_counts.h"
#include "score/python_str.h"
#include "score/sacrebleu_signature.h"

namespace dikkat {
namespace {

double default_smooth_value(BleuSmoothing smoothing) {
  return smoothing == BleuSmoothing::kFloor ? 0.1 : smoothing == BleuSmoothing::kAddK ? 1.0 : 0.0;
}

double smooth_value(const BleuOptions& options) {
  return std::isnan(options.smooth_value) ? default_smooth_value(options.smoothing)
                                          : options.smooth_value;
}

// sacreBLEU's my_log: log(0) is floored to a huge negative number instead of -inf.
double floored_log(double x) { return x == 0.0 ? -9999999999.0 : std::log(x); }

std::u32string preprocess(std::u32string_view line, const BleuOptions& options) {
  if (!options.lowercase)
    return tokenize_for_bleu(rstrip_python_whitespace(line), options.tokenizer);
  const std::u32string lower = python_lower(line);
  return tokenize_for_bleu(rstrip_python_whitespace(lower), options.tokenizer);
}

// Of the references' lengths, the one closest to the hypothesis length; the shorter on a tie.
int64_t closest_ref_len(int64_t hyp_len, const std::vector<int64_t>& ref_lens) {
  int64_t best = ref_lens.front();
  for (int64_t len : ref_lens) {
    const int64_t diff = std::llabs(hyp_len - len), best_diff = std::llabs(hyp_len - best);
    if (diff < best_diff || (diff == best_diff && len < best)) best = len;
  }
  return best;
}

std::string format_fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

}  // namespace

const char* smoothing_name(BleuSmoothing smoothing) {
  switch (smoothing) {
    case BleuSmoothing::kNone:
      return "none";
    case BleuSmoothing::kFloor:
      return "floor";
    case BleuSmoothing::kAddK:
      return "add-k";
    case BleuSmoothing::kExp:
      return "exp";
  }
  return "exp";
}

BleuSmoothing parse_smoothing(const std::string& name) {
  for (BleuSmoothing s :
       {BleuSmoothing::kNone, BleuSmoothing::kFloor, BleuSmoothing::kAddK, BleuSmoothing::kExp}) {
    if (name == smoothing_name(s)) return s;
  }
  throw Error("unknown BLEU smoothing '" + name + "' (choose from: exp, none, floor, add-k)");
}

void BleuStatistics::add(const BleuStatistics& other) {
  hyp_len += other.hyp_len;
  ref_len += other.ref_len;
  if (matches.size() < other.matches.size()) matches.resize(other.matches.size(), 0);
  if (totals.size() < other.totals.size()) totals.resize(other.totals.size(), 0);
  for (size_t i = 0; i < other.matches.size(); ++i) matches[i] += other.matches[i];
  for (size_t i = 0; i < other.totals.size(); ++i) totals[i] += other.totals[i];
}

BleuStatistics bleu_sentence_statistics(std::u32string_view hyp,
                                        const std::vector<std::u32string_view>& refs,
                                        const BleuOptions& options) {
  if (refs.empty()) throw Error("BLEU needs at least one reference per sentence");
  const int orders = options.max_ngram_order;
  // The tokenized texts own the characters every n-gram key below views.
  const std::u32string hyp_text = preprocess(hyp, options);
  std::vector<std::u32string> ref_texts(refs.size());
  for (size_t r = 0; r < refs.size(); ++r) ref_texts[r] = preprocess(refs[r], options);

  // Each reference n-gram's largest count in any one reference, and each reference's length.
  std::vector<NgramCounts> ref_counts(orders);
  std::vector<int64_t> ref_lens;
  for (const std::u32string& text : ref_texts) {
    const std::vector<std::u32string_view> words = split_python_whitespace(text);
    ref_lens.push_back(int64_t(words.size()));
    for (int n = 1; n <= orders; ++n) {
      for (const auto& [ngram, count] : word_ngram_counts(words, n)) {
        int64_t& merged = ref_counts[n - 1][ngram];
        merged = std::max(merged, count);
      }
    }
  }

  const std::vector<std::u32string_view> hyp_words = split_python_whitespace(hyp_text);
  BleuStatistics stats;
  stats.hyp_len = int64_t(hyp_words.size());
  stats.ref_len = closest_ref_len(stats.hyp_len, ref_lens);
  stats.matches.assign(orders, 0);
  stats.totals.assign(orders, 0);
  for (int n = 1; n <= orders; ++n) {
    const NgramCounts hyp_counts = word_ngram_counts(hyp_words, n);
    stats.totals[n - 1] = total_count(hyp_counts);
    stats.matches[n - 1] = clipped_matches(hyp_counts, ref_counts[n - 1]);
  }
  return stats;
}

BleuScore bleu_from_statistics(const BleuStatistics& statistics, const BleuOptions& options) {
  const int orders = options.max_ngram_order;
  if (int(statistics.matches.size()) != orders || int(statistics.totals.size()) != orders) {
    throw Error("BLEU statistics hold " + std::to_string(statistics.matches.size()) +
                " n-gram orders, the options " + std::to_string(orders));
  }
  BleuScore result;
  result.statistics = statistics;
  result.precisions.assign(orders, 0.0);
  const double hyp_len = double(statistics.hyp_len), ref_len = double(statistics.ref_len);
  result.brevity_penalty = statistics.hyp_len >= statistics.ref_len ? 1.0
                           : statistics.hyp_len > 0 ? std::exp(1 - ref_len / hyp_len)
                                                    : 0.0;
  result.ratio = statistics.ref_len > 0 ? hyp_len / ref_len : 0.0;

  // No match at any order: 0 without smoothing (sacreBLEU issue #141).
  if (std::all_of(statistics.matches.begin(), statistics.matches.end(),
                  [](int64_t m) { return m == 0; })) {
    return result;
  }
  const double k = smooth_value(options);
  double exp_factor = 1.0;
  int effective = orders;
  for (int n = 1; n <= orders; ++n) {
    double correct = double(statistics.matches[n - 1]), total = double(statistics.totals[n - 1]);
    if (options.smoothing == BleuSmoothing::kAddK && n > 1) correct += k, total += k;
    if (total == 0) break;
    if (options.effective_order) effective = n;
    double& precision = result.precisions[n - 1];
    if (correct == 0) {
      if (options.smoothing == BleuSmoothing::kExp) {
        exp_factor *= 2;
        precision = 100.0 / (exp_factor * total);
      } else if (options.smoothing == BleuSmoothing::kFloor) {
        precision = 100.0 * k / total;
      }
    } else {
      precision = 100.0 * correct / total;
    }
  }
  double log_sum = 0;
  for (int i = 0; i < effective; ++i) log_sum += floored_log(result.precisions[i]);
  result.score = result.brevity_penalty * std::exp(log_sum / effective);
  return result;
}

std::string bleu_signature(const BleuOptions& options, int nrefs) {
  std::string smooth = smoothing_name(options.smoothing);
  if (options.smoothing == BleuSmoothing::kFloor || options.smoothing == BleuSmoothing::kAddK) {
    smooth.append("[").append(format_fixed(smooth_value(options), 2)).append("]");
  }
  return format_signature({{"nrefs", nrefs_field(nrefs)},
                           {"case", options.lowercase ? "lc" : "mixed"},
                           {"eff", options.effective_order ? "yes" : "no"},
                           {"tok", tokenizer_name(options.tokenizer)},
                           {"smooth", smooth}});
}

std::string format_bleu(const BleuScore& score, const std::string& signature, int width) {
  std::string precisions;
  for (double p : score.precisions) {
    if (!precisions.empty()) precisions += "/";
    precisions += format_fixed(p, 1);
  }
  return std::string("BLEU") + (signature.empty() ? "" : "|" + signature) + " = " +
         format_fixed(score.score, width) + " " + precisions +
         " (BP = " + format_fixed(score.brevity_penalty, 3) +
         " ratio = " + format_fixed(score.ratio, 3) +
         " hyp_len = " + std::to_string(score.statistics.hyp_len) +
         " ref_len = " + std::to_string(score.statistics.ref_len) + ")";
}

}  // namespace dikkat
