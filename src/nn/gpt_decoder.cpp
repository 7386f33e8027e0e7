#include "nn/gpt_decoder.h"

#include <algorithm>

#include "error.h"
#include "tensor/ops.h"

namespace dikkat {

GptDecoder::GptDecoder(const Gpt& model) : model_(model) {
  const ModelConfig& c = model.config();
  keys_.assign(c.n_layer, std::vector<float>(c.context * c.n_embd));
  values_.assign(c.n_layer, std::vector<float>(c.context * c.n_embd));
  logits_.resize(c.vocab_size);
}

Var GptDecoder::cached_attention(Graph& g, int64_t layer, const Var& qkv, ActivationTrace* trace) {
  const ModelConfig& c = model_.config();
  const int64_t C = c.n_embd, hs = c.head_size(), H = c.n_head, past = length_;
  const int64_t n = qkv->value.rows(), keys = past + n;
  const float* rows = qkv->value.ptr();
  float *kc = keys_[layer].data(), *vc = values_[layer].data();
  for (int64_t t = 0; t < n; ++t) {
    std::copy_n(rows + t * 3 * C + C, C, kc + (past + t) * C);
    std::copy_n(rows + t * 3 * C + 2 * C, C, vc + (past + t) * C);
  }
  Var mixed = g.output({1, n, C}, {});
  // One (n, past + n) block of weights per head, so heads can run in parallel.
  probs_.resize(H * n * keys);
#pragma omp parallel for schedule(static) if (n > 1)
  for (int64_t h = 0; h < H; ++h) {
    HeadView view{rows + h * hs, 3 * C, kc + h * hs, C, vc + h * hs, C};
    attention_head_forward(view, n, past, hs, probs_.data() + h * n * keys,
                           mixed->value.ptr() + h * hs, C);
  }
  if (trace) {
    Tensor weights({H, n, keys});
    std::copy_n(probs_.data(), weights.numel(), weights.ptr());
    trace->add("h." + std::to_string(layer) + ".attn.weights", std::move(weights));
  }
  return mixed;
}

std::span<const float> GptDecoder::feed(std::span<const int32_t> tokens, ActivationTrace* trace) {
  const ModelConfig& c = model_.config();
  const int64_t n = int64_t(tokens.size()), C = c.n_embd, V = c.vocab_size;
  check_feed("KV decoder", tokens, length_, c.context, V);
  Graph g = Graph::inference();
  const Gpt::AttentionCore attend = [&](Graph& g, int64_t layer, const Var& qkv) {
    return cached_attention(g, layer, qkv, trace);
  };
  Var x = model_.embed(g, tokens, 1, n, length_, trace);
  for (int64_t layer = 0; layer < c.n_layer; ++layer)
    x = model_.block_forward(g, layer, x, attend, nullptr, trace);
  // Only the last position's logits are needed to go on; a trace wants every position's.
  if (!trace && n > 1) {
    Var last = g.output({1, 1, C}, {});
    std::copy_n(x->value.ptr() + (n - 1) * C, C, last->value.ptr());
    x = last;
  }
  Var logits = model_.head(g, x, trace);
  std::copy_n(logits->value.ptr() + (logits->value.rows() - 1) * V, V, logits_.data());
  length_ += n;
  return logits_;
}

}  // namespace dikkat
