#pragma once
// Rnn's TranslationDecoder: Rnn's own encode / decode / head code on an inference graph. The
// encoder runs once per batch of sentences (and Bahdanau's keys U_a h_j are projected once); a
// step feeds one token per row from the decoder's carried states.
#include <cstdint>
#include <span>
#include <vector>

#include "nn/rnn.h"
#include "nn/translation_decoder.h"

namespace dikkat {

class RnnDecoder final : public TranslationDecoder {
 public:
  explicit RnnDecoder(const Rnn& model) : model_(model) {}

  void start(std::span<const int32_t> source, std::span<const int32_t> lengths, int64_t rows,
             int64_t time) override;
  std::span<const float> step(std::span<const int32_t> tokens) override;
  void select_rows(std::span<const int32_t> keep) override;
  int64_t rows() const override { return rows_; }
  int64_t length() const override { return length_; }
  int64_t capacity() const override { return model_.config().context; }

 private:
  const Rnn& model_;
  int64_t rows_ = 0, length_ = 0;
  RnnSource source_;
  RnnState state_;
  Tensor logits_;  // the last step's, moved out of its graph
};

}  // namespace dikkat
