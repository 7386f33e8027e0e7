#include "nn/seq2seq_decoder.h"

#include <algorithm>

#include "error.h"
#include "tensor/ops.h"

namespace dikkat {

void Seq2seqDecoder::start(std::span<const int32_t> source, std::span<const int32_t> lengths,
                           int64_t rows, int64_t time) {
  const ModelConfig& c = model_.config();
  check_decoder_start(source, lengths, rows, time, c.context);
  Graph g = Graph::inference();
  const Var memory = model_.encode(g, source, lengths, rows, time, nullptr, nullptr);
  rows_ = rows;
  length_ = 0;
  source_lengths_.assign(lengths.begin(), lengths.end());
  cross_kv_.clear();
  self_kv_.clear();
  for (int64_t layer = 0; layer < c.n_layer; ++layer) {
    cross_kv_.push_back(model_.cross_keys_values(g, layer, memory));
    self_kv_.push_back(make_var(Tensor::uninitialized({rows, c.context, 2 * c.n_embd}), false));
  }
}

std::span<const float> Seq2seqDecoder::step(std::span<const int32_t> tokens) {
  const ModelConfig& c = model_.config();
  const int64_t C = c.n_embd, V = c.vocab_size, cap = c.context;
  check_decoder_step(tokens, rows_, length_, cap, V);
  Graph g = Graph::inference();
  // Every row has fed the same number of target tokens: keys 0 .. length_ are all real.
  const std::vector<int32_t> visible(size_t(rows_), int32_t(length_ + 1));
  const Seq2seq::SelfAttentionCore self_attend = [&](Graph& g, int64_t layer, const Var& qkv) {
    float* cache = self_kv_[size_t(layer)]->value.ptr();
    for (int64_t r = 0; r < rows_; ++r)
      std::copy_n(qkv->value.ptr() + r * 3 * C + C, 2 * C, cache + (r * cap + length_) * 2 * C);
    const Var& kv = self_kv_[size_t(layer)];
    return multi_head_attention(g, {qkv, 0}, {kv, 0}, {kv, C}, C, c.n_head,
                                {.causal = false, .key_lengths = visible}, 0.0f, nullptr);
  };
  const Seq2seq::CrossKeysValues cross_kv = [&](Graph&, int64_t layer) {
    return cross_kv_[size_t(layer)];
  };
  Var x = model_.embed(g, model_.token_embedding(), model_.target_positions(), tokens, rows_, 1,
                       length_);
  for (int64_t layer = 0; layer < c.n_layer; ++layer)
    x = model_.decoder_block(g, layer, x, self_attend, cross_kv, source_lengths_, nullptr, nullptr);
  const Var logits = model_.head(g, x);
  logits_.assign(logits->value.data.begin(), logits->value.data.end());
  ++length_;
  return std::span<const float>(logits_).first(size_t(rows_ * V));
}

void Seq2seqDecoder::select_rows(std::span<const int32_t> keep) {
  for (int32_t r : keep)
    if (r < 0 || r >= rows_)
      throw Error("translation decoder: row " + std::to_string(r) + " does not exist");
  for (auto& kv : cross_kv_) kv = select_batch_rows(kv, keep);
  for (auto& kv : self_kv_) kv = select_batch_rows(kv, keep);
  std::vector<int32_t> lengths;
  for (int32_t r : keep) lengths.push_back(source_lengths_[size_t(r)]);
  source_lengths_ = std::move(lengths);
  rows_ = int64_t(keep.size());
}

}  // namespace dikkat
