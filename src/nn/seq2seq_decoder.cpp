#include "nn/seq2seq_decoder.h"

#include "error.h"
#include "tensor/ops.h"

namespace dikkat {

Seq2seqDecoder::Seq2seqDecoder(const Seq2seq& model)
    : model_(model),
      cache_(model.config().n_layer, 1, model.config().context, model.config().n_embd) {}

void Seq2seqDecoder::start(std::span<const int32_t> source, std::span<const int32_t> lengths,
                           int64_t rows, int64_t time) {
  const ModelConfig& c = model_.config();
  check_decoder_start(source, lengths, rows, time, c.context);
  Graph g = Graph::inference();
  const Var memory = model_.encode(g, source, lengths, rows, time, nullptr, {});
  rows_ = rows;
  source_lengths_.assign(lengths.begin(), lengths.end());
  cross_kv_.clear();
  for (int64_t layer = 0; layer < c.n_layer; ++layer)
    cross_kv_.push_back(model_.cross_keys_values(g, layer, memory));
  cache_.reset(rows);
}

std::span<const float> Seq2seqDecoder::step(std::span<const int32_t> tokens) {
  const ModelConfig& c = model_.config();
  check_decoder_step(tokens, rows_, cache_.length(), cache_.capacity(), c.vocab_size);
  Graph g = Graph::inference();
  const Var logits = model_.decode(g, tokens, rows_, 1, cache_.length(), {.mask = {}, .cache = &cache_, .layer = 0},
                                   cross_kv_, source_lengths_, nullptr, {});
  cache_.advance(1);
  logits_ = std::move(logits->value);
  return logits_.data;
}

void Seq2seqDecoder::select_rows(std::span<const int32_t> keep) {
  cache_.select_rows(keep);
  for (auto& kv : cross_kv_) kv = select_batch_rows(kv, keep);
  std::vector<int32_t> lengths;
  for (int32_t r : keep) lengths.push_back(source_lengths_[size_t(r)]);
  source_lengths_ = std::move(lengths);
  rows_ = int64_t(keep.size());
}

}  // namespace dikkat
