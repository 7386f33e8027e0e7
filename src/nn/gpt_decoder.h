#pragma once
// A GPT's incremental decoder: Gpt's own blocks on an inference graph, each block's attention
// reading its keys and values from a KvCache that grows by the positions fed. A prompt runs as one
// batched pass (one GEMM per weight); a generated token is one position per row.
#include <cstdint>
#include <span>
#include <vector>

#include "nn/gpt.h"
#include "nn/incremental_decoder.h"
#include "nn/kv_cache.h"

namespace dikkat {

class GptDecoder final : public IncrementalDecoder {
 public:
  explicit GptDecoder(const Gpt& model);

  using IncrementalDecoder::feed;
  void reset() override { cache_.reset(1); }
  int64_t rows() const override { return cache_.rows(); }
  int64_t length() const override { return cache_.length(); }
  int64_t capacity() const override { return cache_.capacity(); }
  std::span<const float> feed(std::span<const int32_t> tokens) override;
  void select_rows(std::span<const int32_t> keep) override { cache_.select_rows(keep); }

 private:
  const Gpt& model_;
  KvCache cache_;
  Tensor logits_;  // the last step's, moved out of its graph
};

}  // namespace dikkat
