#include "generate/kv_decoder.h"

#include <algorithm>

#include "error.h"
#include "tensor/ops.h"

namespace dikkat {

namespace {

const float* data_or_null(const Var& v) { return v ? v->value.ptr() : nullptr; }

std::string layer_name(int64_t layer, const char* what) {
  return "h." + std::to_string(layer) + "." + what;
}

}  // namespace

KvDecoder::KvDecoder(const Gpt& model) : model_(model) {
  const ModelConfig& c = model.config();
  const int64_t rows = c.context;
  keys_.assign(c.n_layer, std::vector<float>(rows * c.n_embd));
  values_.assign(c.n_layer, std::vector<float>(rows * c.n_embd));
  x_.resize(rows * c.n_embd);
  normed_.resize(rows * c.n_embd);
  qkv_.resize(rows * 3 * c.n_embd);
  mixed_.resize(rows * c.n_embd);
  branch_.resize(rows * c.n_embd);
  hidden_.resize(rows * c.ffn_width());
  logits_.resize(c.vocab_size);
}

// in (n,C) -> out (n,C): Q, K, V of the new positions, K and V appended to the cache, each head
// attending over every cached position up to its own, then the output projection.
void KvDecoder::attention(int64_t layer, int64_t n, const float* in, float* out,
                          ActivationTrace* trace) {
  const ModelConfig& c = model_.config();
  const BlockParameters& p = model_.block(layer);
  const int64_t C = c.n_embd, hs = c.head_size(), H = c.n_head, past = length_;
  const int64_t keys = past + n;
  float* qkv = qkv_.data();
  linear_forward(in, p.attn_w->value.ptr(), data_or_null(p.attn_b), qkv, n, C, 3 * C);
  float *kc = keys_[layer].data(), *vc = values_[layer].data();
  for (int64_t t = 0; t < n; ++t) {
    std::copy_n(qkv + t * 3 * C + C, C, kc + (past + t) * C);
    std::copy_n(qkv + t * 3 * C + 2 * C, C, vc + (past + t) * C);
  }
  // One (n, past + n) block of weights per head, so heads can run in parallel.
  probs_.resize(H * n * keys);
#pragma omp parallel for schedule(static) if (n > 1)
  for (int64_t h = 0; h < H; ++h) {
    HeadView view{qkv + h * hs, 3 * C, kc + h * hs, C, vc + h * hs, C};
    attention_head_forward(view, n, past, hs, probs_.data() + h * n * keys, mixed_.data() + h * hs,
                           C);
  }
  linear_forward(mixed_.data(), p.proj_w->value.ptr(), data_or_null(p.proj_b), out, n, C, C);
  if (trace) {
    trace->add_heads(layer_name(layer, "attn.q"), qkv, n, 3 * C, H, hs);
    trace->add_heads(layer_name(layer, "attn.k"), qkv + C, n, 3 * C, H, hs);
    trace->add_heads(layer_name(layer, "attn.v"), qkv + 2 * C, n, 3 * C, H, hs);
    Tensor weights({H, n, keys});
    std::copy_n(probs_.data(), weights.numel(), weights.ptr());
    trace->add(layer_name(layer, "attn.weights"), std::move(weights));
    trace->add_heads(layer_name(layer, "attn.heads"), mixed_.data(), n, C, H, hs);
    trace->add_rows(layer_name(layer, "attn.concat"), mixed_.data(), n, C, C);
    trace->add_rows(layer_name(layer, "attn.proj"), out, n, C, C);
  }
}

void KvDecoder::feed_forward(int64_t layer, int64_t n, const float* in, float* out,
                             ActivationTrace* trace) {
  const ModelConfig& c = model_.config();
  const BlockParameters& p = model_.block(layer);
  const int64_t C = c.n_embd, f = c.ffn_width();
  float* hidden = hidden_.data();
  linear_forward(in, p.fc_w->value.ptr(), data_or_null(p.fc_b), hidden, n, C, f);
  if (trace) trace->add_rows(layer_name(layer, "mlp.fc"), hidden, n, f, f);
  if (c.activation == "gelu")
    gelu_forward(hidden, hidden, n * f);
  else
    relu_forward(hidden, hidden, n * f);
  if (trace) trace->add_rows(layer_name(layer, "mlp.act"), hidden, n, f, f);
  linear_forward(hidden, p.out_w->value.ptr(), data_or_null(p.out_b), out, n, f, C);
  if (trace) trace->add_rows(layer_name(layer, "mlp.proj"), out, n, C, C);
}

std::span<const float> KvDecoder::feed(std::span<const int32_t> tokens, ActivationTrace* trace) {
  const ModelConfig& c = model_.config();
  const int64_t n = int64_t(tokens.size()), C = c.n_embd, V = c.vocab_size;
  if (n == 0) throw Error("KV decoder: nothing to feed");
  if (length_ + n > c.context)
    throw Error("KV decoder: " + std::to_string(length_ + n) + " positions exceed the context of " +
                std::to_string(c.context));
  for (int32_t token : tokens)
    if (token < 0 || token >= V)
      throw Error("token id " + std::to_string(token) + " is outside the vocabulary");
  const float eps = c.ln_eps;
  const float* wte = model_.token_embedding()->value.ptr();
  const float* pos = model_.position_table()->value.ptr() + length_ * C;
  float* x = x_.data();
  for (int64_t t = 0; t < n; ++t)
    for (int64_t j = 0; j < C; ++j) x[t * C + j] = wte[tokens[t] * C + j] + pos[t * C + j];
  if (trace) {
    Tensor token_rows({n, C});
    embedding_forward(wte, tokens, token_rows.ptr(), C);
    trace->add("embed.token", std::move(token_rows));
    trace->add_rows("embed.position", pos, n, C, C);
    trace->add_rows("embed.sum", x, n, C, C);
  }
  auto record = [&](int64_t layer, const char* what, const float* rows) {
    if (trace) trace->add_rows(layer_name(layer, what), rows, n, C, C);
  };
  auto norm = [&](const Var& w, const Var& b, const float* in, float* out) {
    layernorm_forward(in, w->value.ptr(), data_or_null(b), out, nullptr, nullptr, n, C, eps);
  };
  auto add_into = [&](float* dst, const float* src) {
    for (int64_t i = 0; i < n * C; ++i) dst[i] += src[i];
  };
  float *normed = normed_.data(), *branch = branch_.data();
  for (int64_t layer = 0; layer < c.n_layer; ++layer) {
    const BlockParameters& p = model_.block(layer);
    if (c.norm == "pre") {
      norm(p.ln1_w, p.ln1_b, x, normed);
      record(layer, "ln_1", normed);
      attention(layer, n, normed, branch, trace);
      add_into(x, branch);
      record(layer, "residual_1", x);
      const float* ffn_in = x;
      if (c.ffn_norm) {
        norm(p.ln2_w, p.ln2_b, x, normed);
        record(layer, "ln_2", normed);
        ffn_in = normed;
      }
      feed_forward(layer, n, ffn_in, branch, trace);
      add_into(x, branch);
      record(layer, "residual_2", x);
    } else {
      attention(layer, n, x, branch, trace);
      add_into(x, branch);
      record(layer, "residual_1", x);
      norm(p.ln1_w, p.ln1_b, x, x);
      record(layer, "ln_1", x);
      feed_forward(layer, n, x, branch, trace);
      add_into(x, branch);
      record(layer, "residual_2", x);
      if (c.ffn_norm) {
        norm(p.ln2_w, p.ln2_b, x, x);
        record(layer, "ln_2", x);
      }
    }
  }
  // Only the last position's logits are needed to go on; a trace wants every position's.
  const int64_t first = trace ? 0 : n - 1, rows = n - first;
  layernorm_forward(x + first * C, model_.final_norm_weight()->value.ptr(),
                    data_or_null(model_.final_norm_bias()), normed, nullptr, nullptr, rows, C, eps);
  const float* head_w = model_.head_weight()->value.ptr();
  const float* head_b = data_or_null(model_.head_bias());
  if (trace) {
    trace->add_rows("ln_f", normed, n, C, C);
    Tensor logits({n, V});
    linear_forward(normed, head_w, head_b, logits.ptr(), n, C, V);
    std::copy_n(logits.ptr() + (n - 1) * V, V, logits_.data());
    trace->add("logits", std::move(logits));
  } else {
    linear_forward(normed, head_w, head_b, logits_.data(), 1, C, V);
  }
  length_ += n;
  return logits_;
}

}  // namespace dikkat
