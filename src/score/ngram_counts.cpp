#include "score/ngram_counts.h"

#include <algorithm>

namespace dikkat {

NgramCounts word_ngram_counts(const std::vector<std::u32string_view>& words, int n) {
  NgramCounts counts;
  if (n <= 0 || words.size() < size_t(n)) return counts;
  counts.reserve(words.size());
  for (size_t i = 0; i + n <= words.size(); ++i) {
    const std::u32string_view& last = words[i + n - 1];
    const char32_t* begin = words[i].data();
    ++counts[std::u32string_view(begin, size_t(last.data() + last.size() - begin))];
  }
  return counts;
}

NgramCounts char_ngram_counts(std::u32string_view text, int n) {
  NgramCounts counts;
  if (n <= 0 || text.size() < size_t(n)) return counts;
  counts.reserve(text.size());
  for (size_t i = 0; i + n <= text.size(); ++i) ++counts[text.substr(i, n)];
  return counts;
}

int64_t total_count(const NgramCounts& counts) {
  int64_t total = 0;
  for (const auto& [ngram, count] : counts) total += count;
  return total;
}

int64_t clipped_matches(const NgramCounts& hyp, const NgramCounts& ref) {
  int64_t matches = 0;
  for (const auto& [ngram, count] : hyp) {
    const auto it = ref.find(ngram);
    if (it != ref.end()) matches += std::min(count, it->second);
  }
  return matches;
}

}  // namespace dikkat
