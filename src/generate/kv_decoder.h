#pragma once
// Incremental inference with a key/value cache: each fed token costs one position's forward pass
// (its Q, K, V, attention over the cached keys and values, FFN), not a pass over the whole text.
// It runs the same kernels as training (src/tensor/ops.h), so both compute the same numbers.
#include <cstdint>
#include <span>
#include <vector>

#include "nn/gpt.h"

namespace dikkat {

class KvDecoder {
 public:
  explicit KvDecoder(const Gpt& model);

  void reset() { length_ = 0; }
  int64_t length() const { return length_; }
  int64_t capacity() const { return model_.config().context; }
  // Runs `token` at position length() (which must be < capacity()) and returns the logits
  // (vocab_size) for the token after it. The span stays valid until the next call.
  std::span<const float> feed(int32_t token);

 private:
  void attention(int64_t layer, const float* in, float* out);
  void feed_forward(const BlockParameters& p, const float* in, float* out);

  const Gpt& model_;
  int64_t length_ = 0;
  std::vector<std::vector<float>> keys_, values_;  // per layer, (context, C)
  std::vector<float> x_, normed_, qkv_, mixed_, branch_, hidden_, probs_, logits_;
};

}  // namespace dikkat
