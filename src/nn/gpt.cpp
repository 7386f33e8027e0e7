#include "nn/gpt.h"

#include <cmath>

#include "error.h"
#include "nn/positions.h"
#include "tensor/ops.h"

namespace dikkat {

Var Gpt::add_parameter(const std::string& name, std::vector<int64_t> shape) {
  const bool decays = shape.size() >= 2;
  Var v = make_var(Tensor(std::move(shape)), true);
  params_.push_back({name, v, decays});
  return v;
}

Gpt::Gpt(const ModelConfig& config) : config_(config) {
  config_.validate();
  const int64_t c = config_.n_embd, v = config_.vocab_size, f = config_.ffn_width();
  wte_ = add_parameter("transformer.wte.weight", {v, c});
  if (config_.positions == "learned") {
    positions_ = add_parameter("transformer.wpe.weight", {config_.context, c});
  } else {
    positions_ = make_var(sinusoidal_positions(config_.context, c), false);
  }
  for (int64_t i = 0; i < config_.n_layer; ++i) {
    const std::string p = "transformer.h." + std::to_string(i) + ".";
    BlockParameters b;
    b.ln1_w = add_parameter(p + "ln_1.weight", {c});
    if (config_.ln_bias) b.ln1_b = add_parameter(p + "ln_1.bias", {c});
    b.attn_w = add_parameter(p + "attn.c_attn.weight", {3 * c, c});
    if (config_.qkv_bias) b.attn_b = add_parameter(p + "attn.c_attn.bias", {3 * c});
    b.proj_w = add_parameter(p + "attn.c_proj.weight", {c, c});
    if (config_.proj_bias) b.proj_b = add_parameter(p + "attn.c_proj.bias", {c});
    if (config_.ffn_norm) {
      b.ln2_w = add_parameter(p + "ln_2.weight", {c});
      if (config_.ln_bias) b.ln2_b = add_parameter(p + "ln_2.bias", {c});
    }
    b.fc_w = add_parameter(p + "mlp.c_fc.weight", {f, c});
    if (config_.ffn_bias) b.fc_b = add_parameter(p + "mlp.c_fc.bias", {f});
    b.out_w = add_parameter(p + "mlp.c_proj.weight", {c, f});
    if (config_.ffn_bias) b.out_b = add_parameter(p + "mlp.c_proj.bias", {c});
    blocks_.push_back(b);
  }
  lnf_w_ = add_parameter("transformer.ln_f.weight", {c});
  if (config_.ln_bias) lnf_b_ = add_parameter("transformer.ln_f.bias", {c});
  if (!config_.tie_head) head_w_ = add_parameter("lm_head.weight", {v, c});
  if (config_.head_bias) head_b_ = add_parameter("lm_head.bias", {v});
}

const Var* Gpt::find(const std::string& name) const {
  for (const auto& p : params_)
    if (p.name == name) return &p.var;
  return nullptr;
}

int64_t Gpt::parameter_count() const {
  int64_t n = 0;
  for (const auto& p : params_) n += p.var->value.numel();
  return n;
}

void Gpt::init_gpt2(std::mt19937_64& rng, float std) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const float residual_std = std / std::sqrt(2.0f * float(config_.n_layer));
  for (auto& p : params_) {
    auto& data = p.var->value.data;
    const bool is_norm = p.name.find("ln_") != std::string::npos;
    const bool is_bias = p.name.ends_with(".bias");
    if (is_norm && !is_bias) {
      std::fill(data.begin(), data.end(), 1.0f);
    } else if (is_bias) {
      std::fill(data.begin(), data.end(), 0.0f);
    } else {
      const float s = p.name.ends_with("c_proj.weight") ? residual_std : std;
      for (float& x : data) x = normal(rng) * s;
    }
  }
}

// Pre-norm:  x = x + attn(LN1(x));  x = x + mlp(LN2(x))      (LN2 only when ffn_norm)
// Post-norm: x = LN1(x + attn(x));  x = LN2(x + mlp(x))
Var Gpt::block_forward(Graph& g, const BlockParameters& p, const Var& x,
                       std::mt19937_64* rng) const {
  const float eps = config_.ln_eps, drop = config_.dropout;
  const bool pre = config_.norm == "pre";
  auto attention = [&](const Var& in) {
    Var qkv = linear(g, in, p.attn_w, p.attn_b);
    Var y = causal_attention(g, qkv, config_.n_head, drop, rng);
    Var out = linear(g, y, p.proj_w, p.proj_b);
    return rng ? dropout(g, out, drop, *rng) : out;
  };
  auto mlp = [&](const Var& in) {
    const Activation act = config_.activation == "gelu" ? Activation::kGelu : Activation::kRelu;
    Var h = bias_activation(g, linear(g, in, p.fc_w, nullptr), p.fc_b, act);
    Var out = linear(g, h, p.out_w, p.out_b);
    return rng ? dropout(g, out, drop, *rng) : out;
  };
  Var h;
  if (pre) {
    h = add(g, x, attention(layernorm(g, x, p.ln1_w, p.ln1_b, eps)));
    Var ffn_in = config_.ffn_norm ? layernorm(g, h, p.ln2_w, p.ln2_b, eps) : h;
    return add(g, h, mlp(ffn_in));
  }
  h = layernorm(g, add(g, x, attention(x)), p.ln1_w, p.ln1_b, eps);
  Var sum = add(g, h, mlp(h));
  return config_.ffn_norm ? layernorm(g, sum, p.ln2_w, p.ln2_b, eps) : sum;
}

Var Gpt::forward(Graph& g, std::span<const int32_t> ids, int64_t batch, int64_t time,
                 std::mt19937_64* dropout_rng) const {
  if (int64_t(ids.size()) != batch * time)
    throw Error("forward: " + std::to_string(ids.size()) + " token ids for a batch of " +
                std::to_string(batch) + " x " + std::to_string(time));
  if (time > config_.context)
    throw Error("forward: " + std::to_string(time) + " tokens exceed the context of " +
                std::to_string(config_.context));
  Var x = add_rows(g, embedding(g, wte_, ids, {batch, time}), positions_);
  if (dropout_rng) x = dropout(g, x, config_.dropout, *dropout_rng);
  for (const auto& b : blocks_) x = block_forward(g, b, x, dropout_rng);
  x = layernorm(g, x, lnf_w_, lnf_b_, config_.ln_eps);
  return linear(g, x, head_weight(), head_b_);
}

}  // namespace dikkat
