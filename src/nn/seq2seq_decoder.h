#pragma once
// Seq2seq's TranslationDecoder: Seq2seq's own encode / decode code on an inference graph. The
// encoder runs once per batch of sentences and each decoder layer's cross-attention keys and
// values are projected from its output once; each layer's self-attention keys and values go into
// a KvCache, so a step costs one target position per row.
#include <cstdint>
#include <span>
#include <vector>

#include "nn/kv_cache.h"
#include "nn/seq2seq.h"
#include "nn/translation_decoder.h"

namespace dikkat {

class Seq2seqDecoder final : public TranslationDecoder {
 public:
  explicit Seq2seqDecoder(const Seq2seq& model);

  void start(std::span<const int32_t> source, std::span<const int32_t> lengths, int64_t rows,
             int64_t time) override;
  std::span<const float> step(std::span<const int32_t> tokens) override;
  void select_rows(std::span<const int32_t> keep) override;
  int64_t rows() const override { return rows_; }
  int64_t length() const override { return cache_.length(); }
  int64_t capacity() const override { return cache_.capacity(); }

 private:
  const Seq2seq& model_;
  int64_t rows_ = 0;
  std::vector<int32_t> source_lengths_;
  std::vector<Var> cross_kv_;  // per layer (rows, source time, 2C): K | V of the encoder output
  KvCache cache_;              // the target positions' self-attention keys and values
  Tensor logits_;  // the last step's, moved out of its graph
};

}  // namespace dikkat
