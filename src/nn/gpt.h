#pragma once
// The GPT: token embedding + positions, N transformer blocks, final LayerNorm, LM head.
// Parameter names follow nanoGPT / Hugging Face GPT-2 (transformer.h.0.attn.c_attn.weight, ...)
// with PyTorch's (out, in) layout for linear weights, so safetensors files read the same in both.
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "nn/model_config.h"
#include "tensor/graph.h"

namespace dikkat {

struct NamedParameter {
  std::string name;
  Var var;
  bool decays;  // weight decay applies to matrices only (nanoGPT's rule: dim >= 2)
};

struct BlockParameters {
  Var ln1_w, ln1_b;
  Var attn_w, attn_b;  // c_attn: (3C, C) fused Q, K, V
  Var proj_w, proj_b;  // c_proj: (C, C)
  Var ln2_w, ln2_b;    // only when ffn_norm
  Var fc_w, fc_b;      // mlp.c_fc: (ffn_width, C)
  Var out_w, out_b;    // mlp.c_proj: (C, ffn_width)
};

class Gpt {
 public:
  explicit Gpt(const ModelConfig& config);  // parameters start at zero; see init_gpt2

  const ModelConfig& config() const { return config_; }
  const std::vector<NamedParameter>& parameters() const { return params_; }
  const Var* find(const std::string& name) const;
  int64_t parameter_count() const;

  // GPT-2 initialisation: weights ~ N(0, std), residual projections (attn.c_proj, mlp.c_proj)
  // ~ N(0, std / sqrt(2 * n_layer)), biases 0, LayerNorm weights 1.
  void init_gpt2(std::mt19937_64& rng, float std = 0.02f);

  // ids (B,T) -> logits (B,T,V). T must be <= context. Dropout draws from `dropout_rng` when
  // it is given and `g` records; otherwise the model runs deterministically.
  Var forward(Graph& g, std::span<const int32_t> ids, int64_t batch, int64_t time,
              std::mt19937_64* dropout_rng) const;

  // Pieces shared with the KV-cache decoder and the look-inside tools.
  const BlockParameters& block(int64_t layer) const { return blocks_[layer]; }
  const Var& token_embedding() const { return wte_; }
  const Var& position_table() const { return positions_; }  // learned wpe or fixed sinusoids
  const Var& final_norm_weight() const { return lnf_w_; }
  const Var& final_norm_bias() const { return lnf_b_; }
  const Var& head_weight() const { return config_.tie_head ? wte_ : head_w_; }
  const Var& head_bias() const { return head_b_; }

 private:
  Var add_parameter(const std::string& name, std::vector<int64_t> shape);
  Var block_forward(Graph& g, const BlockParameters& p, const Var& x, std::mt19937_64* rng) const;

  ModelConfig config_;
  std::vector<NamedParameter> params_;
  Var wte_, positions_, lnf_w_, lnf_b_, head_w_, head_b_;
  std::vector<BlockParameters> blocks_;
};

}  // namespace dikkat
