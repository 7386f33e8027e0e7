#pragma once
// Reading a character (or subword) model's attention as word-to-word tables, like seed 002's.
//
// A word is a maximal run of non-space tokens together with the whitespace tokens just before it
// (GPT-2 style: " kitabı" is one word); a subword token that itself begins with whitespace
// (" ata") starts a new word too. Whitespace at the very start joins the first word, and
// whitespace at the very end joins the last. So every token belongs to exactly one word, and
// a row of the word table still sums to 1:
//   word_weight[qw, kw] = mean over query tokens q in qw of ( sum over key tokens k in kw of
//                                                             weight[q, k] )
// Causality carries over: a word never attends to a later word (those cells are exactly 0).
#include <cstdint>
#include <string>
#include <vector>

namespace dikkat {

struct WordGrouping {
  std::vector<std::string> words;      // each word's text (its tokens joined)
  std::vector<int64_t> word_of_token;  // for each token, the index of its word
};

// `tokens` are the tokens' texts (UTF-8). A token counts as whitespace when all of it is.
WordGrouping group_into_words(const std::vector<std::string>& tokens);

// weights (T,T) row-major -> (W,W) by the rule above.
std::vector<float> aggregate_to_words(const float* weights, int64_t tokens,
                                      const WordGrouping& grouping);
// The same for a (Tq,Tk) table whose queries and keys are different texts (cross-attention):
// queries grouped by `rows`, keys by `cols` -> (Wq,Wk).
std::vector<float> aggregate_to_words(const float* weights, int64_t queries,
                                      const WordGrouping& rows, int64_t keys,
                                      const WordGrouping& cols);

}  // namespace dikkat
