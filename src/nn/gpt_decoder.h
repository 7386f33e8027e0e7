#pragma once
// A GPT's incremental decoder: Gpt's own embed / block / head code on an inference graph, with
// each block's attention reading its keys and values from a cache that grows by the positions fed.
// A prompt runs as one batched pass (one GEMM per weight); a generated token is one position's.
#include <cstdint>
#include <span>
#include <vector>

#include "nn/gpt.h"
#include "nn/incremental_decoder.h"

namespace dikkat {

class GptDecoder final : public IncrementalDecoder {
 public:
  explicit GptDecoder(const Gpt& model);

  using IncrementalDecoder::feed;
  void reset() override { length_ = 0; }
  int64_t length() const override { return length_; }
  int64_t capacity() const override { return model_.config().context; }
  std::span<const float> feed(std::span<const int32_t> tokens,
                              ActivationTrace* trace = nullptr) override;

 private:
  // qkv (1,n,3C) of the new positions -> their heads' weighted sums (1,n,C) over every cached
  // position up to their own; their keys and values join the cache.
  Var cached_attention(Graph& g, int64_t layer, const Var& qkv, ActivationTrace* trace);

  const Gpt& model_;
  int64_t length_ = 0;
  std::vector<std::vector<float>> keys_, values_;  // per layer, (context, C)
  std::vector<float> probs_, logits_;
};

}  // namespace dikkat
