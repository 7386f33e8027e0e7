#pragma once
// A bigram model's table (seed 004's first model) as P(next | current): the softmax of the table
// row of each current token, read at the shown tokens' columns.
#include <cstdint>
#include <string>
#include <vector>

#include "run/checkpoint.h"

namespace dikkat {

struct BigramTable {
  std::vector<int32_t> ids;          // the shown tokens, rows and columns alike
  std::vector<std::string> labels;   // their texts with whitespace made visible
  std::vector<float> probabilities;  // (n, n): row = current token, column = next
  int64_t vocab_size = 0;
};

// The whole vocabulary is shown when it is this small (a character vocabulary); larger ones
// need a text to choose the tokens.
constexpr int64_t kWholeBigramVocabulary = 96;

// The tokens of `text` (each once, in order of first appearance), or the whole vocabulary when
// `text` is empty and the vocabulary small. Errors begin with `name` (the text's flag or field);
// a model without a next-token table (Model::next_token_table) is an Error naming its arch.
BigramTable bigram_table(const LoadedModel& model, const std::string& text,
                         const std::string& name);

}  // namespace dikkat
