#pragma once
#include <cstdint>
#include <random>
#include <span>

namespace dikkat {

struct SamplingOptions {
  float temperature = 1.0f;  // 0 means greedy: always the most likely token (the seed's argmax)
  int64_t top_k = 0;         // 0: no limit; else only the k most likely tokens
  float top_p = 1.0f;        // nucleus: the fewest most-likely tokens whose mass reaches top_p
};

// Picks the next token from `logits`. Deterministic for a given rng state.
int32_t sample_token(std::span<const float> logits, const SamplingOptions& options,
                     std::mt19937_64& rng);

}  // namespace dikkat
