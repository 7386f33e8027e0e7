#pragma once
// Counting word and character n-grams without building tuples: an n-gram is a substring, so a
// view into the sentence is its key.
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dikkat {

// n-gram -> how often it occurs. The keys view the text they were counted in, which must outlive
// the map.
using NgramCounts = std::unordered_map<std::u32string_view, int64_t>;

// The word n-grams of order n. `words` must be consecutive pieces of one string separated by
// exactly one space (what splitting a single-space-joined line gives): the n-gram of words
// i..i+n-1 is then the substring from the start of word i to the end of word i+n-1, and two
// n-grams are equal exactly when their word sequences are.
NgramCounts word_ngram_counts(const std::vector<std::u32string_view>& words, int n);

// The character n-grams of order n (code points, not bytes).
NgramCounts char_ngram_counts(std::u32string_view text, int n);

// The sum of the counts: how many n-grams there are.
int64_t total_count(const NgramCounts& counts);

// Occurrences of `hyp`'s n-grams that `ref` has too, each clipped to the count in `ref`.
int64_t clipped_matches(const NgramCounts& hyp, const NgramCounts& ref);

}  // namespace dikkat
