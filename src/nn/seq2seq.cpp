#include "nn/seq2seq.h"

#include <cmath>

#include "error.h"
#include "nn/positions.h"
#include "nn/seq2seq_decoder.h"
#include "tensor/ops.h"

namespace dikkat {

namespace {

TransformerBlockNames block_names(const std::string& prefix, bool cross) {
  TransformerBlockNames n;
  n.attn_norm = prefix + "self_attn_layer_norm";
  n.qkv_weight = prefix + "self_attn.qkv_proj.weight";
  n.qkv_bias = prefix + "self_attn.qkv_proj.bias";
  n.attn_out = prefix + "self_attn.out_proj";
  if (cross) {
    n.cross_norm = prefix + "encoder_attn_layer_norm";
    n.cross_q = prefix + "encoder_attn.q_proj";
    n.cross_kv = prefix + "encoder_attn.kv_proj";
    n.cross_out = prefix + "encoder_attn.out_proj";
  }
  n.ffn_norm = prefix + "final_layer_norm";
  n.ffn_fc = prefix + "fc1";
  n.ffn_proj = prefix + "fc2";
  return n;
}

TraceScope block_scope(const TraceScope& side, int64_t layer, const StepText& name) {
  const std::string n = std::to_string(layer + 1);
  return side.nested("h." + std::to_string(layer) + ".", name + StepText{n + ": ", n + ": "});
}

}  // namespace

Seq2seq::Seq2seq(const ModelConfig& config) : Model(config) {
  const ModelConfig& c = this->config();
  const int64_t C = c.n_embd, V = c.vocab_size;
  const AddParameter add = parameter_adder();
  using R = ParamRole;
  Var source_table, target_table, source_positions, target_positions;
  if (c.share_embeddings) {
    source_table = target_table = add("shared.weight", {V, C}, R::kEmbedding);
  } else {
    source_table = add("encoder.embed_tokens.weight", {V, C}, R::kEmbedding);
    target_table = add("decoder.embed_tokens.weight", {V, C}, R::kEmbedding);
  }
  source_positions = make_positions(add, "encoder.embed_positions.weight", c);
  target_positions = c.positions == Positions::kLearned
                         ? make_positions(add, "decoder.embed_positions.weight", c)
                         : source_positions;  // the same fixed sinusoids
  const float scale = std::sqrt(float(C));
  source_embed_ = TokenPositionEmbedding(source_table, source_positions, scale);
  target_embed_ = TokenPositionEmbedding(target_table, target_positions, scale);
  for (int64_t i = 0; i < c.n_encoder_layer; ++i)
    encoder_.emplace_back(add, block_names("encoder.layers." + std::to_string(i) + ".", false), c);
  if (c.norm == NormPlacement::kPre)
    encoder_norm_ = LayerNorm::make(add, "encoder.layer_norm", C, c.ln_bias, c.ln_eps);
  for (int64_t i = 0; i < c.n_layer; ++i)
    decoder_.emplace_back(add, block_names("decoder.layers." + std::to_string(i) + ".", true), c);
  if (c.norm == NormPlacement::kPre)
    decoder_norm_ = LayerNorm::make(add, "decoder.layer_norm", C, c.ln_bias, c.ln_eps);
  head_.weight = c.tie_head ? target_table : add("decoder.output_projection.weight", {V, C}, R::kWeight);
  if (c.head_bias) head_.bias = add("decoder.output_projection.bias", {V}, R::kBias);
}

float Seq2seq::embedding_std(float) const { return 1.0f / std::sqrt(float(config().n_embd)); }

Var Seq2seq::encode(Graph& g, std::span<const int32_t> source, std::span<const int32_t> lengths,
                    int64_t rows, int64_t time, std::mt19937_64* rng,
                    const TraceScope& scope) const {
  const ModelConfig& c = config();
  Var x = source_embed_.forward(g, source, rows, time, 0, scope.nested("", {"source: ", "kaynak: "}));
  if (rng) x = dropout(g, x, c.dropout, *rng);
  const SelfAttentionKeys padding{.mask = {.causal = false, .key_lengths = lengths, .query_offset = -1}};
  for (int64_t i = 0; i < c.n_encoder_layer; ++i)
    x = encoder_[size_t(i)].forward(g, x, padding, nullptr, rng,
                                    block_scope(scope, i, {"encoder block ", "kodlayıcı blok "}));
  if (encoder_norm_) x = encoder_norm_(g, x);
  scope.rows_of("out", x->value,
                {"encoder output: what every cross-attention reads",
                 "kodlayıcı çıktısı: her çapraz dikkatin okuduğu"});
  return x;
}

Var Seq2seq::cross_keys_values(Graph& g, int64_t layer, const Var& memory) const {
  return decoder_[size_t(layer)].cross_keys_values(g, memory);
}

Var Seq2seq::decode(Graph& g, std::span<const int32_t> ids, int64_t rows, int64_t time,
                    int64_t first_position, const SelfAttentionKeys& keys,
                    const std::vector<Var>& cross_kv, std::span<const int32_t> source_lengths,
                    std::mt19937_64* rng, const TraceScope& scope) const {
  const ModelConfig& c = config();
  Var x = target_embed_.forward(g, ids, rows, time, first_position,
                                scope.nested("", {"target: ", "hedef: "}));
  if (rng) x = dropout(g, x, c.dropout, *rng);
  SelfAttentionKeys layer_keys = keys;
  for (int64_t layer = 0; layer < c.n_layer; ++layer) {
    layer_keys.layer = layer;
    const CrossSource cross{cross_kv[size_t(layer)], source_lengths};
    x = decoder_[size_t(layer)].forward(
        g, x, layer_keys, &cross, rng,
        block_scope(scope, layer, {"decoder block ", "kod çözücü blok "}));
  }
  if (decoder_norm_) {
    x = decoder_norm_(g, x);
    scope.rows_of("ln_f", x->value, {"final LayerNorm", "son katman normalleştirme"});
  }
  return head_(g, x);
}

Var Seq2seq::forward(Graph& g, const Batch& batch, std::mt19937_64* rng,
                     ActivationTrace* trace) const {
  const ModelConfig& c = config();
  const int64_t B = batch.rows, T = batch.time, S = batch.source_time;
  check_translation_batch("seq2seq forward", batch, c.context);
  const Var memory = encode(g, batch.source, batch.source_lengths, B, S, rng,
                            {trace, "encoder.", {}, Sequence::kInput});
  std::vector<Var> cross_kv;
  for (int64_t layer = 0; layer < c.n_layer; ++layer)
    cross_kv.push_back(cross_keys_values(g, layer, memory));
  // Right-padded targets need no key mask of their own: a real position t only sees keys <= t,
  // all real; what padded positions compute is never scored.
  const SelfAttentionKeys causal{.mask = {.causal = true}};
  Var logits = decode(g, batch.inputs, B, T, 0, causal, cross_kv, batch.source_lengths, rng,
                      {trace, "decoder.", {}, Sequence::kTarget});
  const TraceScope top{trace, "", {}, Sequence::kTarget};
  top.rows_of("logits", logits->value,
              {"logits: a score for every vocabulary token, at every target position",
               "logitler: her hedef konumunda, sözcük dağarcığındaki her belirteç için bir puan"});
  return logits;
}

Var Seq2seq::loss(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng) const {
  const CrossEntropyOptions options{
      .ignore_id = kIgnoredTarget,
      .label_smoothing = dropout_rng ? config().label_smoothing : 0.0f};
  return cross_entropy(g, forward(g, batch, dropout_rng), batch.targets, options).loss;
}

std::vector<AttentionKind> Seq2seq::attention_kinds() const {
  const ModelConfig& c = config();
  using S = Sequence;
  return {{"encoder", AttentionType::kBidirectionalSelf, c.n_head,
           layer_tables("encoder.h.", c.n_encoder_layer, ".attn.weights"), S::kInput, S::kInput,
           {"encoder self-attention", "kodlayıcı öz-dikkati"}},
          {"decoder", AttentionType::kCausalSelf, c.n_head,
           layer_tables("decoder.h.", c.n_layer, ".self_attn.weights"), S::kTarget, S::kTarget,
           {"decoder self-attention", "kod çözücü öz-dikkati"}},
          {"cross", AttentionType::kCross, c.n_head,
           layer_tables("decoder.h.", c.n_layer, ".cross_attn.weights"), S::kTarget, S::kInput,
           {"cross-attention (target → source)", "çapraz dikkat (hedef → kaynak)"}}};
}

ActivationTrace Seq2seq::inspect(const InspectionInput& input) const {
  const Batch b = translation_batch(input.input, input.target, input.end_token);
  check_token_ids(b.source, config().vocab_size);
  check_token_ids(b.inputs, config().vocab_size);
  ActivationTrace trace;
  Graph g = Graph::inference();
  forward(g, b, nullptr, &trace);
  return trace;
}

std::string Seq2seq::summary() const {
  const ModelConfig& c = config();
  return std::to_string(c.n_encoder_layer) + " encoder and " + std::to_string(c.n_layer) +
         " decoder layers, " + std::to_string(c.n_head) + " heads, n_embd " +
         std::to_string(c.n_embd);
}

std::unique_ptr<TranslationDecoder> Seq2seq::translation_decoder() const {
  return std::make_unique<Seq2seqDecoder>(*this);
}

}  // namespace dikkat
