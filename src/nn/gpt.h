#pragma once
// The GPT: token embedding + positions, N transformer blocks, final LayerNorm, LM head.
// Parameter names follow nanoGPT / Hugging Face GPT-2 (transformer.h.0.attn.c_attn.weight, ...)
// with PyTorch's (out, in) layout for linear weights, so safetensors files read the same in both.
// Training (forward) and generation (GptDecoder) run the same embed / block / head code; they
// differ only in where a block's attention finds its keys and values.
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <vector>

#include "nn/model.h"

namespace dikkat {

struct BlockParameters {
  Var ln1_w, ln1_b;
  Var attn_w, attn_b;  // c_attn: (3C, C) fused Q, K, V
  Var proj_w, proj_b;  // c_proj: (C, C)
  Var ln2_w, ln2_b;    // only when ffn_norm
  Var fc_w, fc_b;      // mlp.c_fc: (ffn_width, C)
  Var out_w, out_b;    // mlp.c_proj: (C, ffn_width)
};

class Gpt final : public Model {
 public:
  explicit Gpt(const ModelConfig& config);

  // ids (B,T) -> logits (B,T,V). T must be <= context.
  Var forward(Graph& g, std::span<const int32_t> ids, int64_t batch, int64_t time,
              std::mt19937_64* dropout_rng) const;
  Var loss(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng) const override;
  std::unique_ptr<IncrementalDecoder> decoder() const override;
  const Var& token_embedding() const override { return wte_; }
  Var position_table() const override { return positions_; }

  // The pieces both paths run. A block's attention core maps its fused Q|K|V (B,T,3C) to the
  // heads' weighted sums (B,T,C), tracing the weights itself.
  using AttentionCore = std::function<Var(Graph& g, int64_t layer, const Var& qkv)>;
  // ids (B,T) at positions first_position.. -> token embedding + position (B,T,C)
  Var embed(Graph& g, std::span<const int32_t> ids, int64_t batch, int64_t time,
            int64_t first_position, ActivationTrace* trace) const;
  Var block_forward(Graph& g, int64_t layer, const Var& x, const AttentionCore& attend,
                    std::mt19937_64* dropout_rng, ActivationTrace* trace) const;
  // x (B,T,C) -> final LayerNorm -> logits (B,T,V)
  Var head(Graph& g, const Var& x, ActivationTrace* trace) const;
  const BlockParameters& block(int64_t layer) const { return blocks_[layer]; }

 protected:
  int64_t residual_branches() const override { return 2 * config().n_layer; }

 private:
  Var wte_, positions_, lnf_w_, lnf_b_, head_w_, head_b_;
  std::vector<BlockParameters> blocks_;
};

}  // namespace dikkat
