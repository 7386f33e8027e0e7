#pragma once
// Incremental inference with a key/value cache. A call runs a block of new tokens in one batched
// pass (one GEMM per weight for the whole block: a prompt costs one pass, a generated token one
// position's pass) and appends their keys and values to the cache. It runs the same kernels as
// training (src/tensor/ops.h), so both compute the same numbers; with an ActivationTrace it also
// copies out every intermediate tensor, which is how the look-inside tools see the model.
#include <cstdint>
#include <span>
#include <vector>

#include "generate/activation_trace.h"
#include "nn/gpt.h"

namespace dikkat {

class KvDecoder {
 public:
  explicit KvDecoder(const Gpt& model);

  void reset() { length_ = 0; }
  int64_t length() const { return length_; }
  int64_t capacity() const { return model_.config().context; }
  // Runs `tokens` at positions length() .. length() + n - 1 (which must fit the capacity) and
  // returns the logits (vocab_size) for the token after the last one. The span stays valid until
  // the next call. With `trace`, the intermediates of these positions are copied into it
  // (logits for every position included).
  std::span<const float> feed(std::span<const int32_t> tokens, ActivationTrace* trace = nullptr);
  std::span<const float> feed(int32_t token) { return feed(std::span<const int32_t>(&token, 1)); }

 private:
  // Rows of the block being fed; `n` is their count.
  void attention(int64_t layer, int64_t n, const float* in, float* out, ActivationTrace* trace);
  void feed_forward(int64_t layer, int64_t n, const float* in, float* out, ActivationTrace* trace);

  const Gpt& model_;
  int64_t length_ = 0;
  std::vector<std::vector<float>> keys_, values_;  // per layer, (context, C)
  // Work buffers with room for a whole context of rows.
  std::vector<float> x_, normed_, qkv_, mixed_, branch_, hidden_, probs_, logits_;
};

}  // namespace dikkat
