#include "nn/seq2seq.h"

#include <cmath>

#include "error.h"
#include "nn/positions.h"
#include "nn/seq2seq_decoder.h"
#include "tensor/ops.h"

namespace dikkat {

namespace {

// (1,H,Tq,Tk) attention weights as (H,Tq,Tk).
void record_heads(ActivationTrace* trace, const std::string& name, const Tensor& weights) {
  Tensor t = weights;
  t.shape.erase(t.shape.begin());
  trace->add(name, std::move(t));
}

}  // namespace

Seq2seq::Seq2seq(const ModelConfig& config) : Model(config) {
  const ModelConfig& c = this->config();
  const int64_t C = c.n_embd, V = c.vocab_size, F = c.ffn_width();
  using R = ParamRole;
  auto linear_pair = [&](const std::string& name, int64_t out, int64_t in, bool bias, R role,
                         Var& w, Var& b) {
    w = add_parameter(name + ".weight", {out, in}, role);
    if (bias) b = add_parameter(name + ".bias", {out}, R::kBias);
  };
  auto norm = [&](const std::string& name, Var& w, Var& b) {
    w = add_parameter(name + ".weight", {C}, R::kNormWeight);
    if (c.ln_bias) b = add_parameter(name + ".bias", {C}, R::kNormBias);
  };
  if (c.share_embeddings) {
    source_embedding_ = target_embedding_ = add_parameter("shared.weight", {V, C}, R::kEmbedding);
  } else {
    source_embedding_ = add_parameter("encoder.embed_tokens.weight", {V, C}, R::kEmbedding);
    target_embedding_ = add_parameter("decoder.embed_tokens.weight", {V, C}, R::kEmbedding);
  }
  if (c.positions == Positions::kLearned) {
    source_positions_ =
        add_parameter("encoder.embed_positions.weight", {c.context, C}, R::kPositions);
    target_positions_ =
        add_parameter("decoder.embed_positions.weight", {c.context, C}, R::kPositions);
  } else {
    source_positions_ = target_positions_ = make_var(sinusoidal_positions(c.context, C), false);
  }
  for (int64_t i = 0; i < c.n_encoder_layer; ++i) {
    const std::string p = "encoder.layers." + std::to_string(i) + ".";
    EncoderLayerParameters l;
    norm(p + "self_attn_layer_norm", l.attn_ln_w, l.attn_ln_b);
    linear_pair(p + "self_attn.qkv_proj", 3 * C, C, c.qkv_bias, R::kWeight, l.qkv_w, l.qkv_b);
    linear_pair(p + "self_attn.out_proj", C, C, c.proj_bias, R::kResidualProjection, l.out_w,
                l.out_b);
    norm(p + "final_layer_norm", l.ffn_ln_w, l.ffn_ln_b);
    linear_pair(p + "fc1", F, C, c.ffn_bias, R::kWeight, l.fc1_w, l.fc1_b);
    linear_pair(p + "fc2", C, F, c.ffn_bias, R::kResidualProjection, l.fc2_w, l.fc2_b);
    encoder_.push_back(l);
  }
  if (c.norm == NormPlacement::kPre) norm("encoder.layer_norm", encoder_ln_w_, encoder_ln_b_);
  for (int64_t i = 0; i < c.n_layer; ++i) {
    const std::string p = "decoder.layers." + std::to_string(i) + ".";
    DecoderLayerParameters l;
    norm(p + "self_attn_layer_norm", l.self_ln_w, l.self_ln_b);
    linear_pair(p + "self_attn.qkv_proj", 3 * C, C, c.qkv_bias, R::kWeight, l.qkv_w, l.qkv_b);
    linear_pair(p + "self_attn.out_proj", C, C, c.proj_bias, R::kResidualProjection, l.self_out_w,
                l.self_out_b);
    norm(p + "encoder_attn_layer_norm", l.cross_ln_w, l.cross_ln_b);
    linear_pair(p + "encoder_attn.q_proj", C, C, c.qkv_bias, R::kWeight, l.q_w, l.q_b);
    linear_pair(p + "encoder_attn.kv_proj", 2 * C, C, c.qkv_bias, R::kWeight, l.kv_w, l.kv_b);
    linear_pair(p + "encoder_attn.out_proj", C, C, c.proj_bias, R::kResidualProjection,
                l.cross_out_w, l.cross_out_b);
    norm(p + "final_layer_norm", l.ffn_ln_w, l.ffn_ln_b);
    linear_pair(p + "fc1", F, C, c.ffn_bias, R::kWeight, l.fc1_w, l.fc1_b);
    linear_pair(p + "fc2", C, F, c.ffn_bias, R::kResidualProjection, l.fc2_w, l.fc2_b);
    decoder_.push_back(l);
  }
  if (c.norm == NormPlacement::kPre) norm("decoder.layer_norm", decoder_ln_w_, decoder_ln_b_);
  if (!c.tie_head) head_w_ = add_parameter("decoder.output_projection.weight", {V, C}, R::kWeight);
  if (c.head_bias) head_b_ = add_parameter("decoder.output_projection.bias", {V}, R::kBias);
}

float Seq2seq::embedding_std(float) const { return 1.0f / std::sqrt(float(config().n_embd)); }

Var Seq2seq::embed(Graph& g, const Var& table, const Var& positions, std::span<const int32_t> ids,
                   int64_t rows, int64_t time, int64_t first_position) const {
  const float scale = std::sqrt(float(config().n_embd));
  return add_rows(g, embedding(g, table, ids, {rows, time}, scale), positions, first_position);
}

Var Seq2seq::sublayer(Graph& g, const Var& x, const Var& ln_w, const Var& ln_b,
                      const std::function<Var(const Var&)>& f, std::mt19937_64* rng) const {
  const ModelConfig& c = config();
  auto branch = [&](const Var& in) {
    Var out = f(in);
    return rng ? dropout(g, out, c.dropout, *rng) : out;
  };
  if (c.norm == NormPlacement::kPre)
    return add(g, x, branch(layernorm(g, x, ln_w, ln_b, c.ln_eps)));
  return layernorm(g, add(g, x, branch(x)), ln_w, ln_b, c.ln_eps);
}

Var Seq2seq::feed_forward(Graph& g, const Var& x, const Var& fc1_w, const Var& fc1_b,
                          const Var& fc2_w, const Var& fc2_b) const {
  Var h = bias_activation(g, linear(g, x, fc1_w, nullptr), fc1_b, config().activation);
  return linear(g, h, fc2_w, fc2_b);
}

Var Seq2seq::encode(Graph& g, std::span<const int32_t> source, std::span<const int32_t> lengths,
                    int64_t rows, int64_t time, std::mt19937_64* rng, TranslationAttention* weights,
                    ActivationTrace* trace) const {
  const ModelConfig& c = config();
  const int64_t C = c.n_embd;
  Var x = embed(g, source_embedding_, source_positions_, source, rows, time, 0);
  record_rows(trace, "encoder.embed", x->value);
  if (rng) x = dropout(g, x, c.dropout, *rng);
  const AttentionMask padding{.causal = false, .key_lengths = lengths};
  if (weights) weights->encoder.resize(size_t(c.n_encoder_layer));
  for (int64_t i = 0; i < c.n_encoder_layer; ++i) {
    const EncoderLayerParameters& l = encoder_[size_t(i)];
    Tensor* w = weights ? &weights->encoder[size_t(i)] : nullptr;
    x = sublayer(
        g, x, l.attn_ln_w, l.attn_ln_b,
        [&](const Var& in) {
          Var qkv = linear(g, in, l.qkv_w, l.qkv_b);
          Var mixed = multi_head_attention(g, {qkv, 0}, {qkv, C}, {qkv, 2 * C}, C, c.n_head,
                                           padding, c.dropout, rng, w);
          return linear(g, mixed, l.out_w, l.out_b);
        },
        rng);
    const std::string block = "encoder.h." + std::to_string(i) + ".";
    if (trace) record_heads(trace, block + "attn.weights", *w);
    record_rows(trace, block + "residual_1", x->value);
    x = sublayer(
        g, x, l.ffn_ln_w, l.ffn_ln_b,
        [&](const Var& in) { return feed_forward(g, in, l.fc1_w, l.fc1_b, l.fc2_w, l.fc2_b); },
        rng);
    record_rows(trace, block + "residual_2", x->value);
  }
  if (c.norm == NormPlacement::kPre) x = layernorm(g, x, encoder_ln_w_, encoder_ln_b_, c.ln_eps);
  record_rows(trace, "encoder.out", x->value);
  return x;
}

Var Seq2seq::cross_keys_values(Graph& g, int64_t layer, const Var& memory) const {
  const DecoderLayerParameters& l = decoder_[size_t(layer)];
  return linear(g, memory, l.kv_w, l.kv_b);
}

Var Seq2seq::decoder_block(Graph& g, int64_t layer, const Var& x,
                           const SelfAttentionCore& self_attend, const CrossKeysValues& cross_kv,
                           std::span<const int32_t> source_lengths, std::mt19937_64* rng,
                           Tensor* cross_weights, const BlockObserver& observe) const {
  const ModelConfig& c = config();
  const int64_t C = c.n_embd;
  const DecoderLayerParameters& l = decoder_[size_t(layer)];
  Var h = sublayer(
      g, x, l.self_ln_w, l.self_ln_b,
      [&](const Var& in) {
        Var mixed = self_attend(g, layer, linear(g, in, l.qkv_w, l.qkv_b));
        return linear(g, mixed, l.self_out_w, l.self_out_b);
      },
      rng);
  if (observe) observe("residual_1", h);
  h = sublayer(
      g, h, l.cross_ln_w, l.cross_ln_b,
      [&](const Var& in) {
        Var q = linear(g, in, l.q_w, l.q_b);
        Var kv = cross_kv(g, layer);
        const AttentionMask padding{.causal = false, .key_lengths = source_lengths};
        Var mixed = multi_head_attention(g, {q, 0}, {kv, 0}, {kv, C}, C, c.n_head, padding,
                                         c.dropout, rng, cross_weights);
        return linear(g, mixed, l.cross_out_w, l.cross_out_b);
      },
      rng);
  if (observe) observe("residual_2", h);
  h = sublayer(
      g, h, l.ffn_ln_w, l.ffn_ln_b,
      [&](const Var& in) { return feed_forward(g, in, l.fc1_w, l.fc1_b, l.fc2_w, l.fc2_b); }, rng);
  if (observe) observe("residual_3", h);
  return h;
}

Var Seq2seq::head(Graph& g, const Var& x) const {
  const ModelConfig& c = config();
  Var normed =
      c.norm == NormPlacement::kPre ? layernorm(g, x, decoder_ln_w_, decoder_ln_b_, c.ln_eps) : x;
  return linear(g, normed, c.tie_head ? target_embedding_ : head_w_, head_b_);
}

Var Seq2seq::forward(Graph& g, const Batch& batch, std::mt19937_64* rng,
                     TranslationAttention* weights, ActivationTrace* trace) const {
  const ModelConfig& c = config();
  const int64_t B = batch.rows, T = batch.time, S = batch.source_time, C = c.n_embd;
  check_translation_batch("seq2seq forward", batch, c.context);
  if (trace && !weights) throw Error("seq2seq forward: a trace needs the attention weights too");
  Var memory = encode(g, batch.source, batch.source_lengths, B, S, rng, weights, trace);
  Var x = embed(g, target_embedding_, target_positions_, batch.inputs, B, T, 0);
  record_rows(trace, "decoder.embed", x->value);
  if (rng) x = dropout(g, x, c.dropout, *rng);
  // Right-padded targets need no key mask of their own: a real position t only sees keys <= t,
  // all real; what padded positions compute is never scored.
  const AttentionMask causal{.causal = true, .key_lengths = {}};
  if (weights) {
    weights->decoder_self.resize(size_t(c.n_layer));
    weights->cross.resize(size_t(c.n_layer));
  }
  for (int64_t layer = 0; layer < c.n_layer; ++layer) {
    Tensor* self_w = weights ? &weights->decoder_self[size_t(layer)] : nullptr;
    Tensor* cross_w = weights ? &weights->cross[size_t(layer)] : nullptr;
    const SelfAttentionCore self_attend = [&](Graph& g, int64_t, const Var& qkv) {
      return multi_head_attention(g, {qkv, 0}, {qkv, C}, {qkv, 2 * C}, C, c.n_head, causal,
                                  c.dropout, rng, self_w);
    };
    const CrossKeysValues cross_kv = [&](Graph& g, int64_t layer) {
      return cross_keys_values(g, layer, memory);
    };
    x = decoder_block(g, layer, x, self_attend, cross_kv, batch.source_lengths, rng, cross_w,
                      trace ? [&](const char* what, const Var& v) {
                        const std::string block = "decoder.h." + std::to_string(layer) + ".";
                        if (std::string(what) == "residual_1")
                          record_heads(trace, block + "self_attn.weights", *self_w);
                        if (std::string(what) == "residual_2")
                          record_heads(trace, block + "cross_attn.weights", *cross_w);
                        record_rows(trace, block + what, v->value);
                      } : BlockObserver());
  }
  Var logits = head(g, x);
  record_rows(trace, "logits", logits->value);
  return logits;
}

Var Seq2seq::loss(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng) const {
  const CrossEntropyOptions options{
      .ignore_id = kIgnoredTarget,
      .label_smoothing = dropout_rng ? config().label_smoothing : 0.0f};
  return cross_entropy(g, forward(g, batch, dropout_rng), batch.targets, options).loss;
}

TranslationPass Seq2seq::translation_pass(std::span<const int32_t> source,
                                          std::span<const int32_t> target,
                                          int32_t end_token) const {
  const Batch b = translation_batch(source, target, end_token);
  Graph g = Graph::inference();
  TranslationPass pass;
  Var logits = forward(g, b, nullptr, &pass.attention, &pass.trace);
  pass.logits = logits->value;
  pass.logits.shape = {b.time, config().vocab_size};
  return pass;
}

std::unique_ptr<TranslationDecoder> Seq2seq::translation_decoder() const {
  return std::make_unique<Seq2seqDecoder>(*this);
}

}  // namespace dikkat
