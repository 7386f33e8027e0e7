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
// Its trace (one sentence pair, rows are positions; H heads, S source and T target positions):
//   encoder.embed (S,C) scaled token embedding + position; per block i encoder.h.<i>.attn.weights
//   (H,S,S), encoder.h.<i>.residual_1 and .residual_2 (S,C); encoder.out (S,C), what
//   cross-attention reads; decoder.embed (T,C); per block decoder.h.<i>.self_attn.weights (H,T,T),
//   .residual_1, .cross_attn.weights (H,T,S), .residual_2, .residual_3 (T,C); logits (T,V).
//
// Parameter names follow fairseq's transformer (encoder.layers.0.self_attn.out_proj.weight, ...),
// with Q|K|V fused into qkv_proj and the cross-attention's K|V into kv_proj.
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <vector>

#include "nn/model.h"

namespace dikkat {

struct EncoderLayerParameters {
  Var attn_ln_w, attn_ln_b;  // self_attn_layer_norm
  Var qkv_w, qkv_b;          // self_attn.qkv_proj (3C, C)
  Var out_w, out_b;          // self_attn.out_proj (C, C)
  Var ffn_ln_w, ffn_ln_b;    // final_layer_norm
  Var fc1_w, fc1_b;          // (F, C)
  Var fc2_w, fc2_b;          // (C, F)
};

struct DecoderLayerParameters {
  Var self_ln_w, self_ln_b;      // self_attn_layer_norm
  Var qkv_w, qkv_b;              // self_attn.qkv_proj (3C, C)
  Var self_out_w, self_out_b;    // self_attn.out_proj (C, C)
  Var cross_ln_w, cross_ln_b;    // encoder_attn_layer_norm
  Var q_w, q_b;                  // encoder_attn.q_proj (C, C)
  Var kv_w, kv_b;                // encoder_attn.kv_proj (2C, C), applied to the encoder output
  Var cross_out_w, cross_out_b;  // encoder_attn.out_proj (C, C)
  Var ffn_ln_w, ffn_ln_b;        // final_layer_norm
  Var fc1_w, fc1_b, fc2_w, fc2_b;
};

class Seq2seq final : public Model {
 public:
  explicit Seq2seq(const ModelConfig& config);

  // The batch's source (B,Ts) with its lengths and target inputs (B,T) -> logits (B,T,V).
  // With `weights`, every attention's weights are copied out (an inference graph only).
  Var forward(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng,
              TranslationAttention* weights = nullptr, ActivationTrace* trace = nullptr) const;
  // Mean cross-entropy over the real (non-padding) target tokens; label smoothing applies while
  // training (a dropout stream is given), so evaluation reports the plain negative log-likelihood.
  Var loss(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng) const override;
  std::unique_ptr<TranslationDecoder> translation_decoder() const override;
  TranslationPass translation_pass(std::span<const int32_t> source, std::span<const int32_t> target,
                                   int32_t end_token) const override;
  const Var& token_embedding() const override { return target_embedding_; }
  Var position_table() const override { return target_positions_; }
  const Var& source_embedding() const { return source_embedding_; }

  // The pieces training and decoding share.
  // ids (B,T) -> scaled token embedding + positions from first_position, (B,T,C)
  Var embed(Graph& g, const Var& table, const Var& positions, std::span<const int32_t> ids,
            int64_t rows, int64_t time, int64_t first_position) const;
  // source (B,Ts) -> the encoder's output (B,Ts,C)
  Var encode(Graph& g, std::span<const int32_t> source, std::span<const int32_t> lengths,
             int64_t rows, int64_t time, std::mt19937_64* rng, TranslationAttention* weights,
             ActivationTrace* trace = nullptr) const;
  // How a decoder block's self-attention sees its keys (training: its own positions, causal;
  // decoding: a cache) and where its cross-attention's K|V (B,Ts,2C) come from (training:
  // projected from the encoder output in the block; decoding: projected once per sentence).
  using SelfAttentionCore = std::function<Var(Graph& g, int64_t layer, const Var& qkv)>;
  using CrossKeysValues = std::function<Var(Graph& g, int64_t layer)>;
  // Sees the residual stream after each sublayer ("residual_1" .. "residual_3"): the trace.
  using BlockObserver = std::function<void(const char* what, const Var& x)>;
  Var decoder_block(Graph& g, int64_t layer, const Var& x, const SelfAttentionCore& self_attend,
                    const CrossKeysValues& cross_kv, std::span<const int32_t> source_lengths,
                    std::mt19937_64* rng, Tensor* cross_weights,
                    const BlockObserver& observe = {}) const;
  // Projects the encoder output to one decoder layer's cross-attention K|V (B,Ts,2C).
  Var cross_keys_values(Graph& g, int64_t layer, const Var& memory) const;
  // x (B,T,C) -> final LayerNorm (pre-norm) -> logits (B,T,V)
  Var head(Graph& g, const Var& x) const;
  const Var& target_positions() const { return target_positions_; }

 protected:
  int64_t residual_branches() const override {
    return 2 * config().n_encoder_layer + 3 * config().n_layer;
  }
  // fairseq's N(0, n_embd^-1/2): the scaled embedding starts with unit variance.
  float embedding_std(float) const override;

 private:
  // pre: x + drop(f(LN(x)));  post: LN(x + drop(f(x)))
  Var sublayer(Graph& g, const Var& x, const Var& ln_w, const Var& ln_b,
               const std::function<Var(const Var&)>& f, std::mt19937_64* rng) const;
  Var feed_forward(Graph& g, const Var& x, const Var& fc1_w, const Var& fc1_b, const Var& fc2_w,
                   const Var& fc2_b) const;

  Var source_embedding_, target_embedding_, source_positions_, target_positions_;
  Var encoder_ln_w_, encoder_ln_b_, decoder_ln_w_, decoder_ln_b_, head_w_, head_b_;
  std::vector<EncoderLayerParameters> encoder_;
  std::vector<DecoderLayerParameters> decoder_;
};

}  // namespace dikkat
