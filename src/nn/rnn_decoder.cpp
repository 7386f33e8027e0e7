#include "nn/rnn_decoder.h"

#include <algorithm>
#include <string>

#include "error.h"
#include "tensor/ops.h"

namespace dikkat {

void RnnDecoder::start(std::span<const int32_t> source, std::span<const int32_t> lengths,
                       int64_t rows, int64_t time) {
  const ModelConfig& c = model_.config();
  check_decoder_start(source, lengths, rows, time, c.context);
  Graph g = Graph::inference();
  source_ = model_.encode(g, source, lengths, rows, time, nullptr, {});
  state_ = model_.initial_state(g, source_);
  rows_ = rows;
  length_ = 0;
}

std::span<const float> RnnDecoder::step(std::span<const int32_t> tokens) {
  const ModelConfig& c = model_.config();
  check_decoder_step(tokens, rows_, length_, c.context, c.vocab_size);
  Graph g = Graph::inference();
  const Var out = model_.decode(g, state_, source_, tokens, rows_, 1, nullptr, {});
  const Var logits = model_.head(g, out);
  logits_ = std::move(logits->value);
  ++length_;
  return logits_.data;
}

void RnnDecoder::select_rows(std::span<const int32_t> keep) {
  for (int32_t r : keep)
    if (r < 0 || r >= rows_)
      throw Error("translation decoder: row " + std::to_string(r) + " does not exist");
  source_.memory = select_batch_rows(source_.memory, keep);
  source_.summary = select_batch_rows(source_.summary, keep);
  source_.keys = select_batch_rows(source_.keys, keep);
  std::vector<int32_t> lengths;
  for (int32_t r : keep) lengths.push_back(source_.lengths[size_t(r)]);
  source_.lengths = std::move(lengths);
  for (Var& h : state_.hidden) h = select_batch_rows(h, keep);
  for (Var& cell : state_.cell) cell = select_batch_rows(cell, keep);
  rows_ = int64_t(keep.size());
}

}  // namespace dikkat
