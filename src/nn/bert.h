#pragma once
// An encoder-only masked language model, BERT's (Devlin et al., 2019): token embedding + learned
// (or sinusoidal) positions, N transformer blocks whose self-attention is bidirectional (every
// token sees every token; only padding is hidden), and a masked-LM head: dense + GELU +
// LayerNorm, then the output projection tied to the token embedding, with a bias. Trained to
// recover the tokens hidden behind [MASK] (src/train/masked_lm_task.h), it reads a sentence both
// ways, which is what seed 002's attention tables show. Pre-norm, or post-norm as the original
// with a LayerNorm on the embeddings.
//
// Parameter names: embeddings.word_embeddings / position_embeddings (Hugging Face's BERT), the
// blocks as PyTorch's nn.TransformerEncoderLayer (encoder.layers.<i>.self_attn.in_proj_weight,
// self_attn.out_proj, linear1, linear2, norm1, norm2), so its weights load into
// nn.TransformerEncoder as they are; head.transform, head.layer_norm, head.bias.
//
// Its trace (one text of T tokens): embed.token, embed.position, embed.sum (T,C); embed.ln
// (post-norm); per block h.<i>. as nn/transformer_block.h lists, attn.weights (H,T,T) with
// nothing masked; ln_f (pre-norm); head.dense, head.ln (T,C); logits (T,V).
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "nn/layer_norm.h"
#include "nn/linear_layer.h"
#include "nn/model.h"
#include "nn/token_position_embedding.h"
#include "nn/transformer_block.h"

namespace dikkat {

class Bert final : public Model {
 public:
  explicit Bert(const ModelConfig& config);

  // ids (B,T), row b's first lengths[b] real (empty: all) -> logits (B,T,V).
  Var forward(Graph& g, std::span<const int32_t> ids, int64_t rows, int64_t time,
              std::span<const int32_t> lengths, std::mt19937_64* dropout_rng,
              const TraceScope& scope = {}) const;
  // Mean cross-entropy over the positions with a target (the masked ones). Only those positions
  // go through the masked-LM head: the others' logits are never scored (BERT's sparse
  // prediction; with 15% masked the head, the largest layer, costs a seventh).
  Var loss(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng) const override;
  Var batch_logits(Graph& g, const Batch& b) const override {
    return forward(g, b.inputs, b.rows, b.time, b.lengths, nullptr);
  }
  std::vector<AttentionKind> attention_kinds() const override;
  ActivationTrace inspect(const InspectionInput& input) const override;
  std::string summary() const override;
  bool output_tied_to_embedding() const override { return config().tie_head; }
  const Var& token_embedding() const override { return embedding_.tokens(); }
  Var position_table() const override { return embedding_.positions(); }

 protected:
  int64_t residual_branches() const override { return 2 * config().n_layer; }

 private:
  // ids (B,T) through the embedding and the blocks -> the encoder's output (B,T,C).
  Var encode(Graph& g, std::span<const int32_t> ids, int64_t rows, int64_t time,
             std::span<const int32_t> lengths, std::mt19937_64* rng, const TraceScope& scope) const;
  // The masked-LM head: x (N,C) or (B,T,C) -> logits (..., V).
  Var head(Graph& g, const Var& x, const TraceScope& scope) const;

  TokenPositionEmbedding embedding_;
  LayerNorm embedding_norm_;  // post-norm only
  std::vector<TransformerBlock> blocks_;
  LayerNorm final_norm_;      // pre-norm only
  LinearLayer transform_;     // the head's dense layer (C, C)
  LayerNorm head_norm_;
  LinearLayer output_;        // (V, C): the token embedding when tied, and the bias
};

}  // namespace dikkat
