#pragma once
// Cutting text at the literal text of special tokens (<|endoftext|>), for encoding with them and
// for keeping them out of training.
#include <span>
#include <string_view>
#include <vector>

namespace dikkat {

// Calls on_text(segment) for each non-empty stretch of ordinary text and on_special(index into
// `specials`) for each special token's text, in order. Where several start at the same byte the
// longest wins; the search goes on after it. Empty entries in `specials` never match.
template <typename OnText, typename OnSpecial>
void split_on_special_tokens(std::string_view text, std::span<const std::string_view> specials,
                             OnText&& on_text, OnSpecial&& on_special) {
  constexpr size_t npos = std::string_view::npos;
  std::vector<size_t> next(specials.size());
  for (size_t i = 0; i < specials.size(); ++i)
    next[i] = specials[i].empty() ? npos : text.find(specials[i]);
  size_t pos = 0;
  for (;;) {
    size_t best = npos, best_i = 0;
    for (size_t i = 0; i < specials.size(); ++i)
      if (next[i] < best ||
          (next[i] == best && best != npos && specials[i].size() > specials[best_i].size()))
        best = next[i], best_i = i;
    if (best == npos) break;
    if (best > pos) on_text(text.substr(pos, best - pos));
    on_special(best_i);
    pos = best + specials[best_i].size();
    for (size_t i = 0; i < specials.size(); ++i)
      if (next[i] != npos && next[i] < pos) next[i] = text.find(specials[i], pos);
  }
  if (pos < text.size()) on_text(text.substr(pos));
}

}  // namespace dikkat
