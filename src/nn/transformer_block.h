#pragma once
// One transformer block, shared by every transformer here: self-attention, then (a decoder's)
// cross-attention over the encoder's output, then the feed-forward network. Each sublayer sits in
// a residual connection with its LayerNorm placed before it (pre-norm: x + drop(f(LN(x)))) or
// after the sum (post-norm, the original paper's: LN(x + drop(f(x)))). A GPT block without
// ffn_norm has no LayerNorm around its feed-forward network (seed 003's single-norm block).
//
// Traced under the caller's scope (e.g. "h.0."): ln_1, attn.* (a decoder's self_attn.*),
// residual_1; a decoder's ln_2, cross_attn.*, residual_2; then ln_k, mlp.*, residual_k (k = 2, or
// 3 in a decoder). Pre-norm records ln_k before the sublayer; post-norm records the sum
// residual_k and then ln_k, the block's output.
#include <random>
#include <span>
#include <string>

#include "nn/activation_trace.h"
#include "nn/attention_layer.h"
#include "nn/feed_forward.h"
#include "nn/layer_norm.h"
#include "nn/model_config.h"

namespace dikkat {

// The names a block's parameters are saved under (each model keeps its own convention: nanoGPT's,
// fairseq's, PyTorch's nn.TransformerEncoderLayer's). A LayerNorm or linear layer "x" saves
// "x.weight" and "x.bias"; the fused Q|K|V projection gives its two names in full.
struct TransformerBlockNames {
  std::string attn_norm, qkv_weight, qkv_bias, attn_out;
  std::string cross_norm, cross_q, cross_kv, cross_out;  // empty: no cross-attention
  std::string ffn_norm;                                   // empty: no LayerNorm around the FFN
  std::string ffn_fc, ffn_proj;
};

// What cross-attention reads: the encoder output's keys and values (B,S,2C) and each row's
// source length.
struct CrossSource {
  Var keys_values;
  std::span<const int32_t> lengths;
};

class TransformerBlock {
 public:
  TransformerBlock(const AddParameter& add, const TransformerBlockNames& names,
                   const ModelConfig& config);

  // x (B,T,C) -> (B,T,C). `cross` is required exactly when the block has cross-attention.
  Var forward(Graph& g, const Var& x, const SelfAttentionKeys& keys, const CrossSource* cross,
              std::mt19937_64* dropout_rng, const TraceScope& scope) const;
  // A decoder block's cross-attention keys and values of the encoder's output (B,S,C).
  Var cross_keys_values(Graph& g, const Var& memory) const;

 private:
  NormPlacement placement_;
  float dropout_;
  LayerNorm attn_norm_, cross_norm_, ffn_norm_;
  SelfAttention attention_;
  CrossAttention cross_;
  FeedForward ffn_;
};

}  // namespace dikkat
