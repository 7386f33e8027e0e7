#pragma once
// The GPT: token embedding + positions, N transformer blocks (causal self-attention and a
// feed-forward network), final LayerNorm, LM head. Parameter names follow nanoGPT / Hugging Face
// GPT-2 (transformer.h.0.attn.c_attn.weight, ...) with PyTorch's (out, in) layout for linear
// weights, so safetensors files read the same in both. Training, inspecting and generation
// (GptDecoder) run the same embedding, blocks and head; they differ only in where a block's
// attention finds its keys and values (its own positions, or a KV cache).
//
// Its trace (one text of T tokens): embed.token, embed.position, embed.sum (T,C); per block
// h.<i>. ln_1, attn.q|k|v (H,T,hs), attn.scores|scaled|masked|weights (H,T,T), attn.heads,
// attn.concat, attn.proj, residual_1, ln_2 (with ffn_norm), mlp.fc|act (T,F), mlp.proj,
// residual_2; ln_f (T,C); logits (T,V).
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "nn/kv_cache.h"
#include "nn/layer_norm.h"
#include "nn/linear_layer.h"
#include "nn/model.h"
#include "nn/token_position_embedding.h"
#include "nn/transformer_block.h"

namespace dikkat {

class Gpt final : public Model {
 public:
  explicit Gpt(const ModelConfig& config);

  // ids (B,T) -> logits (B,T,V). T must be <= context.
  Var forward(Graph& g, std::span<const int32_t> ids, int64_t batch, int64_t time,
              std::mt19937_64* dropout_rng, const TraceScope& scope = {}) const;
  // The next n tokens of each of the cache's rows, ids (rows, n), at positions cache.length() ..:
  // logits (rows, 1, V) of each row's last new position. The cache keeps their keys and values.
  Var forward_cached(Graph& g, std::span<const int32_t> ids, int64_t n, KvCache& cache) const;

  Var loss(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng) const override;
  Var batch_logits(Graph& g, const Batch& b) const override {
    return forward(g, b.inputs, b.rows, b.time, nullptr);
  }
  std::unique_ptr<IncrementalDecoder> decoder() const override;
  std::vector<AttentionKind> attention_kinds() const override;
  ActivationTrace inspect(const InspectionInput& input) const override;
  std::string summary() const override;
  bool output_tied_to_embedding() const override { return config().tie_head; }
  const Var& token_embedding() const override { return embedding_.tokens(); }
  Var position_table() const override { return embedding_.positions(); }

 protected:
  int64_t residual_branches() const override { return 2 * config().n_layer; }

 private:
  // ids (B,T) at positions first_position.. through the blocks -> (B,T,C)
  Var blocks(Graph& g, std::span<const int32_t> ids, int64_t rows, int64_t time,
             int64_t first_position, const SelfAttentionKeys& keys, std::mt19937_64* rng,
             const TraceScope& scope) const;
  // x (B,T,C) -> final LayerNorm -> logits (B,T,V)
  Var head(Graph& g, const Var& x, const TraceScope& scope) const;

  TokenPositionEmbedding embedding_;
  std::vector<TransformerBlock> blocks_;
  LayerNorm final_norm_;
  LinearLayer lm_head_;
};

}  // namespace dikkat
