#include "nn/gpt.h"

#include "error.h"
#include "nn/gpt_decoder.h"
#include "nn/positions.h"
#include "tensor/ops.h"

namespace dikkat {

namespace {

std::string layer_name(int64_t layer, const char* what) {
  return "h." + std::to_string(layer) + "." + what;
}

// A traced (1,T,F) pre-activation as (T,F), with the bias the fused bias_activation op adds.
Tensor rows_plus_bias(const Var& x, const Var& bias) {
  const int64_t n = x->value.rows(), f = x->value.size(-1);
  Tensor out({n, f});
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < f; ++j)
      out.data[r * f + j] = x->value.data[r * f + j] + (bias ? bias->value.data[j] : 0.0f);
  return out;
}

}  // namespace

Gpt::Gpt(const ModelConfig& config) : Model(config) {
  const ModelConfig& c = this->config();
  const int64_t C = c.n_embd, v = c.vocab_size, f = c.ffn_width();
  using R = ParamRole;
  wte_ = add_parameter("transformer.wte.weight", {v, C}, R::kEmbedding);
  if (c.positions == Positions::kLearned)
    positions_ = add_parameter("transformer.wpe.weight", {c.context, C}, R::kPositions);
  else
    positions_ = make_var(sinusoidal_positions(c.context, C), false);
  for (int64_t i = 0; i < c.n_layer; ++i) {
    const std::string p = "transformer.h." + std::to_string(i) + ".";
    BlockParameters b;
    b.ln1_w = add_parameter(p + "ln_1.weight", {C}, R::kNormWeight);
    if (c.ln_bias) b.ln1_b = add_parameter(p + "ln_1.bias", {C}, R::kNormBias);
    b.attn_w = add_parameter(p + "attn.c_attn.weight", {3 * C, C}, R::kWeight);
    if (c.qkv_bias) b.attn_b = add_parameter(p + "attn.c_attn.bias", {3 * C}, R::kBias);
    b.proj_w = add_parameter(p + "attn.c_proj.weight", {C, C}, R::kResidualProjection);
    if (c.proj_bias) b.proj_b = add_parameter(p + "attn.c_proj.bias", {C}, R::kBias);
    if (c.ffn_norm) {
      b.ln2_w = add_parameter(p + "ln_2.weight", {C}, R::kNormWeight);
      if (c.ln_bias) b.ln2_b = add_parameter(p + "ln_2.bias", {C}, R::kNormBias);
    }
    b.fc_w = add_parameter(p + "mlp.c_fc.weight", {f, C}, R::kWeight);
    if (c.ffn_bias) b.fc_b = add_parameter(p + "mlp.c_fc.bias", {f}, R::kBias);
    b.out_w = add_parameter(p + "mlp.c_proj.weight", {C, f}, R::kResidualProjection);
    if (c.ffn_bias) b.out_b = add_parameter(p + "mlp.c_proj.bias", {C}, R::kBias);
    blocks_.push_back(b);
  }
  lnf_w_ = add_parameter("transformer.ln_f.weight", {C}, R::kNormWeight);
  if (c.ln_bias) lnf_b_ = add_parameter("transformer.ln_f.bias", {C}, R::kNormBias);
  if (!c.tie_head) head_w_ = add_parameter("lm_head.weight", {v, C}, R::kWeight);
  if (c.head_bias) head_b_ = add_parameter("lm_head.bias", {v}, R::kBias);
}

Var Gpt::embed(Graph& g, std::span<const int32_t> ids, int64_t batch, int64_t time,
               int64_t first_position, ActivationTrace* trace) const {
  Var tokens = embedding(g, wte_, ids, {batch, time});
  Var x = add_rows(g, tokens, positions_, first_position);
  if (trace) {
    const int64_t C = config().n_embd;
    record_rows(trace, "embed.token", tokens->value);
    trace->add_rows("embed.position", positions_->value.ptr() + first_position * C, time, C, C);
    record_rows(trace, "embed.sum", x->value);
  }
  return x;
}

// Pre-norm:  x = x + attn(LN1(x));  x = x + mlp(LN2(x))      (LN2 only when ffn_norm)
// Post-norm: x = LN1(x + attn(x));  x = LN2(x + mlp(x))
Var Gpt::block_forward(Graph& g, int64_t layer, const Var& x, const AttentionCore& attend,
                       std::mt19937_64* rng, ActivationTrace* trace) const {
  const ModelConfig& c = config();
  const BlockParameters& p = blocks_[layer];
  const float eps = c.ln_eps, drop = c.dropout;
  auto trace_as = [&](const char* what, const Var& v) {
    record_rows(trace, layer_name(layer, what), v->value);
  };
  auto attention = [&](const Var& in) {
    Var qkv = linear(g, in, p.attn_w, p.attn_b);
    if (trace) {
      const int64_t C = c.n_embd, n = qkv->value.rows();
      const float* rows = qkv->value.ptr();
      trace->add_heads(layer_name(layer, "attn.q"), rows, n, 3 * C, c.n_head, c.head_size());
      trace->add_heads(layer_name(layer, "attn.k"), rows + C, n, 3 * C, c.n_head, c.head_size());
      trace->add_heads(layer_name(layer, "attn.v"), rows + 2 * C, n, 3 * C, c.n_head,
                       c.head_size());
    }
    Var mixed = attend(g, layer, qkv);
    if (trace) {
      const int64_t C = c.n_embd, n = mixed->value.rows();
      trace->add_heads(layer_name(layer, "attn.heads"), mixed->value.ptr(), n, C, c.n_head,
                       c.head_size());
      trace_as("attn.concat", mixed);
    }
    Var out = linear(g, mixed, p.proj_w, p.proj_b);
    trace_as("attn.proj", out);
    return rng ? dropout(g, out, drop, *rng) : out;
  };
  auto mlp = [&](const Var& in) {
    Var fc = linear(g, in, p.fc_w, nullptr);
    Var h = bias_activation(g, fc, p.fc_b, c.activation);
    if (trace) {
      trace->add(layer_name(layer, "mlp.fc"), rows_plus_bias(fc, p.fc_b));
      trace_as("mlp.act", h);
    }
    Var out = linear(g, h, p.out_w, p.out_b);
    trace_as("mlp.proj", out);
    return rng ? dropout(g, out, drop, *rng) : out;
  };
  if (c.norm == NormPlacement::kPre) {
    Var normed = layernorm(g, x, p.ln1_w, p.ln1_b, eps);
    trace_as("ln_1", normed);
    Var h = add(g, x, attention(normed));
    trace_as("residual_1", h);
    Var ffn_in = h;
    if (c.ffn_norm) {
      ffn_in = layernorm(g, h, p.ln2_w, p.ln2_b, eps);
      trace_as("ln_2", ffn_in);
    }
    Var out = add(g, h, mlp(ffn_in));
    trace_as("residual_2", out);
    return out;
  }
  Var sum = add(g, x, attention(x));
  trace_as("residual_1", sum);
  Var h = layernorm(g, sum, p.ln1_w, p.ln1_b, eps);
  trace_as("ln_1", h);
  Var out = add(g, h, mlp(h));
  trace_as("residual_2", out);
  if (!c.ffn_norm) return out;
  out = layernorm(g, out, p.ln2_w, p.ln2_b, eps);
  trace_as("ln_2", out);
  return out;
}

Var Gpt::head(Graph& g, const Var& x, ActivationTrace* trace) const {
  Var normed = layernorm(g, x, lnf_w_, lnf_b_, config().ln_eps);
  record_rows(trace, "ln_f", normed->value);
  Var logits = linear(g, normed, config().tie_head ? wte_ : head_w_, head_b_);
  record_rows(trace, "logits", logits->value);
  return logits;
}

Var Gpt::forward(Graph& g, std::span<const int32_t> ids, int64_t batch, int64_t time,
                 std::mt19937_64* dropout_rng) const {
  const ModelConfig& c = config();
  if (int64_t(ids.size()) != batch * time)
    throw Error("forward: " + std::to_string(ids.size()) + " token ids for a batch of " +
                std::to_string(batch) + " x " + std::to_string(time));
  if (time > c.context)
    throw Error("forward: " + std::to_string(time) + " tokens exceed the context of " +
                std::to_string(c.context));
  // Training attends over the block's own positions, causally, in tiles (tensor/attention.cpp).
  const AttentionCore causal = [&](Graph& g, int64_t, const Var& qkv) {
    return causal_attention(g, qkv, c.n_head, c.dropout, dropout_rng);
  };
  Var x = embed(g, ids, batch, time, 0, nullptr);
  if (dropout_rng) x = dropout(g, x, c.dropout, *dropout_rng);
  for (int64_t layer = 0; layer < c.n_layer; ++layer)
    x = block_forward(g, layer, x, causal, dropout_rng, nullptr);
  return head(g, x, nullptr);
}

Var Gpt::loss(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng) const {
  return cross_entropy(g, forward(g, batch.inputs, batch.rows, batch.time, dropout_rng),
                       batch.targets);
}

std::unique_ptr<IncrementalDecoder> Gpt::decoder() const {
  return std::make_unique<GptDecoder>(*this);
}

}  // namespace dikkat
