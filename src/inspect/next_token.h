#pragma once
// The distribution over the next token, as the probs and trace commands show it.
#include <cstdint>
#include <string>
#include <vector>

#include "tokenize/tokenizer.h"

namespace dikkat {

// softmax(logits / temperature) in double precision; temperature 0 puts all the mass on the
// most likely token (the lowest id among ties), as greedy decoding picks it.
std::vector<double> next_token_distribution(const float* logits, int64_t vocab, float temperature);

struct NextToken {
  int32_t id;
  std::string text, label;  // the token's text, and with whitespace made visible
  double probability;
};

// The `top` most likely tokens (all of them when top <= 0), most likely first; ties keep the
// lower id first.
std::vector<NextToken> most_likely_next(const float* logits, int64_t vocab, float temperature,
                                        int64_t top, const Tokenizer& tokenizer);

}  // namespace dikkat
