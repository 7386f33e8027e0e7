#include "generate/kv_decoder.h"

#include <algorithm>

#include "error.h"
#include "tensor/ops.h"

namespace dikkat {

namespace {
const float* data_or_null(const Var& v) { return v ? v->value.ptr() : nullptr; }
}  // namespace

KvDecoder::KvDecoder(const Gpt& model) : model_(model) {
  const ModelConfig& c = model.config();
  keys_.assign(c.n_layer, std::vector<float>(c.context * c.n_embd));
  values_.assign(c.n_layer, std::vector<float>(c.context * c.n_embd));
  x_.resize(c.n_embd);
  normed_.resize(c.n_embd);
  qkv_.resize(3 * c.n_embd);
  mixed_.resize(c.n_embd);
  branch_.resize(c.n_embd);
  hidden_.resize(c.ffn_width());
  probs_.resize(c.context);
  logits_.resize(c.vocab_size);
}

// in (C) -> out (C): Q, K, V of this position, K and V appended to the cache, each head
// attending over every cached position, then the output projection.
void KvDecoder::attention(int64_t layer, const float* in, float* out) {
  const ModelConfig& c = model_.config();
  const BlockParameters& p = model_.block(layer);
  const int64_t n = c.n_embd, hs = c.head_size();
  linear_forward(in, p.attn_w->value.ptr(), data_or_null(p.attn_b), qkv_.data(), 1, n, 3 * n);
  std::copy_n(qkv_.data() + n, n, keys_[layer].data() + length_ * n);
  std::copy_n(qkv_.data() + 2 * n, n, values_[layer].data() + length_ * n);
  for (int64_t h = 0; h < c.n_head; ++h) {
    HeadView view{qkv_.data() + h * hs,           3 * n, keys_[layer].data() + h * hs, n,
                  values_[layer].data() + h * hs, n};
    attention_head_forward(view, 1, length_, hs, probs_.data(), mixed_.data() + h * hs, n);
  }
  linear_forward(mixed_.data(), p.proj_w->value.ptr(), data_or_null(p.proj_b), out, 1, n, n);
}

void KvDecoder::feed_forward(const BlockParameters& p, const float* in, float* out) {
  const ModelConfig& c = model_.config();
  const int64_t f = c.ffn_width();
  linear_forward(in, p.fc_w->value.ptr(), data_or_null(p.fc_b), hidden_.data(), 1, c.n_embd, f);
  if (c.activation == "gelu")
    gelu_forward(hidden_.data(), hidden_.data(), f);
  else
    relu_forward(hidden_.data(), hidden_.data(), f);
  linear_forward(hidden_.data(), p.out_w->value.ptr(), data_or_null(p.out_b), out, 1, f, c.n_embd);
}

std::span<const float> KvDecoder::feed(int32_t token) {
  const ModelConfig& c = model_.config();
  if (length_ >= c.context) throw Error("KV cache is full (" + std::to_string(c.context) + ")");
  if (token < 0 || token >= c.vocab_size)
    throw Error("token id " + std::to_string(token) + " is outside the vocabulary");
  const int64_t n = c.n_embd;
  const float eps = c.ln_eps;
  const float* wte = model_.token_embedding()->value.ptr();
  const float* pos = model_.position_table()->value.ptr();
  for (int64_t j = 0; j < n; ++j) x_[j] = wte[token * n + j] + pos[length_ * n + j];
  float* x = x_.data();
  for (int64_t layer = 0; layer < c.n_layer; ++layer) {
    const BlockParameters& p = model_.block(layer);
    auto norm = [&](const Var& w, const Var& b, const float* in, float* out) {
      layernorm_forward(in, w->value.ptr(), data_or_null(b), out, nullptr, nullptr, 1, n, eps);
    };
    auto add_into = [&](float* dst, const float* src) {
      for (int64_t j = 0; j < n; ++j) dst[j] += src[j];
    };
    if (c.norm == "pre") {
      norm(p.ln1_w, p.ln1_b, x, normed_.data());
      attention(layer, normed_.data(), branch_.data());
      add_into(x, branch_.data());
      const float* ffn_in = x;
      if (c.ffn_norm) norm(p.ln2_w, p.ln2_b, x, normed_.data()), ffn_in = normed_.data();
      feed_forward(p, ffn_in, branch_.data());
      add_into(x, branch_.data());
    } else {
      attention(layer, x, branch_.data());
      add_into(x, branch_.data());
      norm(p.ln1_w, p.ln1_b, x, x);
      feed_forward(p, x, branch_.data());
      add_into(x, branch_.data());
      if (c.ffn_norm) norm(p.ln2_w, p.ln2_b, x, x);
    }
  }
  layernorm_forward(x, model_.final_norm_weight()->value.ptr(),
                    data_or_null(model_.final_norm_bias()), normed_.data(), nullptr, nullptr, 1, n,
                    eps);
  linear_forward(normed_.data(), model_.head_weight()->value.ptr(),
                 data_or_null(model_.head_bias()), logits_.data(), 1, n, c.vocab_size);
  ++length_;
  return logits_;
}

}  // namespace dikkat
