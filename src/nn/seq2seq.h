#pragma once
// The encoder-decoder transformer of "Attention Is All You Need" (Vaswani et al., 2017), the
// model the translation tutorials are about. The encoder reads the whole source sentence: each of
// its blocks is self-attention over the source (padding masked) and a feed-forward network. The
// decoder writes the target one token at a time: each block has causal self-attention over the
// target so far, cross-attention — queries from the decoder, keys and values from the encoder's
// final output, so every target position can look back at every source token — and a
// feed-forward network. Every sublayer is wrapped in a residual connection with LayerNorm before
// (pre-norm, the default) or after it (post-norm, the paper's). Token embeddings are scaled by
// sqrt(n_embd) and added to sinusoidal (or learned) positions. With share_embeddings and
// tie_head, the source embedding, target embedding and output projection are one matrix (the
// paper's three-way tying over a joint vocabulary).
//
// Its trace (one sentence pair; S source and T target positions, H heads): the encoder's under
// "encoder." with rows over the source: embed.token|position|sum (S,C), per block h.<i>. as
// nn/transformer_block.h lists (attn.weights (H,S,S)), out (S,C), what cross-attention reads; then
// the decoder's under "decoder." with rows over the target: embed.*, per block h.<i>. with
// self_attn.* (weights (H,T,T)) and cross_attn.* (weights (H,T,S)), ln_f (pre-norm); logits (T,V).
//
// Parameter names follow fairseq's transformer (encoder.layers.0.self_attn.out_proj.weight, ...),
// with Q|K|V fused into qkv_proj and the cross-attention's K|V into kv_proj.
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

class Seq2seq final : public Model {
 public:
  explicit Seq2seq(const ModelConfig& config);

  // The batch's source (B,Ts) with its lengths and target inputs (B,T) -> logits (B,T,V).
  Var forward(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng,
              ActivationTrace* trace = nullptr) const;
  // Mean cross-entropy over the real (non-padding) target tokens; label smoothing applies while
  // training (a dropout stream is given), so evaluation reports the plain negative log-likelihood.
  Var loss(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng) const override;
  Var batch_logits(Graph& g, const Batch& b) const override { return forward(g, b, nullptr); }
  std::unique_ptr<TranslationDecoder> translation_decoder() const override;
  std::vector<AttentionKind> attention_kinds() const override;
  ActivationTrace inspect(const InspectionInput& input) const override;
  std::string summary() const override;
  bool output_tied_to_embedding() const override { return config().tie_head; }
  const Var& token_embedding() const override { return target_embed_.tokens(); }
  Var position_table() const override { return target_embed_.positions(); }

  // The pieces training and decoding share.
  // source (B,S) -> the encoder's output (B,S,C)
  Var encode(Graph& g, std::span<const int32_t> source, std::span<const int32_t> lengths,
             int64_t rows, int64_t time, std::mt19937_64* rng, const TraceScope& scope) const;
  // Decoder layer `layer`'s cross-attention keys and values of the encoder's output (B,S,2C).
  Var cross_keys_values(Graph& g, int64_t layer, const Var& memory) const;
  // Target ids (B,T) at positions first_position.. through the decoder blocks, each reading the
  // source through cross_kv[layer], and the head -> logits (B,T,V). Self-attention reads `keys`
  // (training: causal over these positions; decoding: a KV cache).
  Var decode(Graph& g, std::span<const int32_t> ids, int64_t rows, int64_t time,
             int64_t first_position, const SelfAttentionKeys& keys,
             const std::vector<Var>& cross_kv, std::span<const int32_t> source_lengths,
             std::mt19937_64* rng, const TraceScope& scope) const;

 protected:
  int64_t residual_branches() const override {
    return 2 * config().n_encoder_layer + 3 * config().n_layer;
  }
  // fairseq's N(0, n_embd^-1/2): the scaled embedding starts with unit variance.
  float embedding_std(float) const override;

 private:
  TokenPositionEmbedding source_embed_, target_embed_;
  std::vector<TransformerBlock> encoder_, decoder_;
  LayerNorm encoder_norm_, decoder_norm_;  // pre-norm only
  LinearLayer head_;
};

}  // namespace dikkat
