#pragma once
// How fast a model reads a prompt and generates after it, for `dikkat generate --benchmark`.
#include <cstdint>

#include "nn/model.h"

namespace dikkat {

struct DecodeTiming {
  int64_t prompt_tokens = 0, generated_tokens = 0;
  double prompt_seconds = 0, generate_seconds = 0;  // best of the repeats
  double weight_bytes_per_token = 0;  // every parameter is read once per generated token
};

// Feeds `prompt_tokens` random ids as one batched pass, then generates greedily one token at a
// time until `new_tokens` or the context is full. Repeats `repeats` times after one warm-up run
// and keeps the fastest of each phase (the least disturbed by other work on the machine).
DecodeTiming time_decoding(const Model& model, int64_t prompt_tokens, int64_t new_tokens,
                           int repeats);

}  // namespace dikkat
