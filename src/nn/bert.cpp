#include "nn/bert.h"

#include "error.h"
#include "nn/positions.h"
#include "tensor/ops.h"

namespace dikkat {

Bert::Bert(const ModelConfig& config) : Model(config) {
  const ModelConfig& c = this->config();
  const int64_t C = c.n_embd, V = c.vocab_size;
  const AddParameter add = parameter_adder();
  using R = ParamRole;
  Var words = add("embeddings.word_embeddings.weight", {V, C}, R::kEmbedding);
  embedding_ = TokenPositionEmbedding(
      words, make_positions(add, "embeddings.position_embeddings.weight", c), 1.0f);
  if (c.norm == NormPlacement::kPost)
    embedding_norm_ = LayerNorm::make(add, "embeddings.layer_norm", C, c.ln_bias, c.ln_eps);
  for (int64_t i = 0; i < c.n_layer; ++i) {
    const std::string p = "encoder.layers." + std::to_string(i) + ".";
    TransformerBlockNames names;
    names.attn_norm = p + "norm1";
    names.qkv_weight = p + "self_attn.in_proj_weight";
    names.qkv_bias = p + "self_attn.in_proj_bias";
    names.attn_out = p + "self_attn.out_proj";
    names.ffn_norm = p + "norm2";
    names.ffn_fc = p + "linear1";
    names.ffn_proj = p + "linear2";
    blocks_.emplace_back(add, names, c);
  }
  if (c.norm == NormPlacement::kPre)
    final_norm_ = LayerNorm::make(add, "encoder.norm", C, c.ln_bias, c.ln_eps);
  transform_ = LinearLayer::named(add, "head.transform", C, C, true, R::kWeight);
  head_norm_ = LayerNorm::make(add, "head.layer_norm", C, c.ln_bias, c.ln_eps);
  output_.weight = c.tie_head ? words : add("head.decoder.weight", {V, C}, R::kWeight);
  if (c.head_bias) output_.bias = add("head.bias", {V}, R::kBias);
}

Var Bert::encode(Graph& g, std::span<const int32_t> ids, int64_t rows, int64_t time,
                 std::span<const int32_t> lengths, std::mt19937_64* rng,
                 const TraceScope& scope) const {
  const ModelConfig& c = config();
  if (int64_t(ids.size()) != rows * time)
    throw Error("bert forward: " + std::to_string(ids.size()) + " token ids for a batch of " +
                std::to_string(rows) + " x " + std::to_string(time));
  if (time > c.context)
    throw Error("bert forward: " + std::to_string(time) + " tokens exceed the context of " +
                std::to_string(c.context));
  Var x = embedding_.forward(g, ids, rows, time, 0, scope);
  if (embedding_norm_) {
    x = embedding_norm_(g, x);
    scope.rows_of("embed.ln", x->value,
                  {"LayerNorm of the embeddings: the input of block 1",
                   "gömmelerin katman normalleştirmesi: 1. bloğun girdisi"});
  }
  if (rng) x = dropout(g, x, c.dropout, *rng);
  const SelfAttentionKeys both_ways{.mask = {.causal = false, .key_lengths = lengths}};
  for (int64_t layer = 0; layer < c.n_layer; ++layer) {
    const std::string n = std::to_string(layer + 1);
    x = blocks_[size_t(layer)].forward(
        g, x, both_ways, nullptr, rng,
        scope.nested("h." + std::to_string(layer) + ".", {"block " + n + ": ", "blok " + n + ": "}));
  }
  if (final_norm_) {
    x = final_norm_(g, x);
    scope.rows_of("ln_f", x->value, {"final LayerNorm", "son katman normalleştirme"});
  }
  return x;
}

Var Bert::head(Graph& g, const Var& x, const TraceScope& scope) const {
  Var h = bias_activation(g, linear(g, x, transform_.weight, nullptr), transform_.bias,
                          Activation::kGelu);
  scope.rows_of("head.dense", h->value,
                {"masked-LM head: dense layer after GELU",
                 "maskeli dil modeli başı: GELU sonrası yoğun katman"});
  h = head_norm_(g, h);
  scope.rows_of("head.ln", h->value,
                {"masked-LM head: LayerNorm", "maskeli dil modeli başı: katman normalleştirme"});
  Var logits = output_(g, h);
  scope.rows_of("logits", logits->value,
                {"logits: a score for every vocabulary token at every position (at [MASK], the "
                 "guesses)",
                 "logitler: her konumda her belirteç için bir puan ([MASK] konumunda tahminler)"});
  return logits;
}

Var Bert::forward(Graph& g, std::span<const int32_t> ids, int64_t rows, int64_t time,
                  std::span<const int32_t> lengths, std::mt19937_64* rng,
                  const TraceScope& scope) const {
  return head(g, encode(g, ids, rows, time, lengths, rng, scope), scope);
}

Var Bert::loss(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng) const {
  if (batch.targets.size() != batch.inputs.size())
    throw Error("bert: a batch of " + std::to_string(batch.inputs.size()) + " inputs has " +
                std::to_string(batch.targets.size()) + " targets");
  const Var hidden =
      encode(g, batch.inputs, batch.rows, batch.time, batch.lengths, dropout_rng, {});
  std::vector<int32_t> rows, targets;
  for (size_t i = 0; i < batch.targets.size(); ++i)
    if (batch.targets[i] != kIgnoredTarget) {
      rows.push_back(int32_t(i));
      targets.push_back(batch.targets[i]);
    }
  if (rows.empty()) rows.push_back(0), targets.push_back(kIgnoredTarget);  // a loss of 0
  const Var logits = head(g, gather_rows(g, hidden, rows), {});
  return cross_entropy(g, logits, targets, {.ignore_id = kIgnoredTarget, .label_smoothing = 0.0f})
      .loss;
}

std::vector<AttentionKind> Bert::attention_kinds() const {
  return {{"self", AttentionType::kBidirectionalSelf, config().n_head,
           layer_tables("h.", config().n_layer, ".attn.weights"), Sequence::kInput,
           Sequence::kInput, {"self-attention, both ways", "öz-dikkat, iki yönlü"}}};
}

ActivationTrace Bert::inspect(const InspectionInput& input) const {
  check_feed("inspect", input.input, 0, config().context, config().vocab_size);
  ActivationTrace trace;
  Graph g = Graph::inference();
  forward(g, input.input, 1, int64_t(input.input.size()), {}, nullptr,
          {&trace, "", {}, Sequence::kInput});
  return trace;
}

std::string Bert::summary() const {
  const ModelConfig& c = config();
  return std::to_string(c.n_layer) + " layers, " + std::to_string(c.n_head) + " heads, n_embd " +
         std::to_string(c.n_embd) + ", bidirectional";
}

}  // namespace dikkat
