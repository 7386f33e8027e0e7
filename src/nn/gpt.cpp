#include "nn/gpt.h"

#include "error.h"
#include "nn/gpt_decoder.h"
#include "nn/positions.h"
#include "tensor/ops.h"

namespace dikkat {

Gpt::Gpt(const ModelConfig& config) : Model(config) {
  const ModelConfig& c = this->config();
  const int64_t C = c.n_embd, v = c.vocab_size;
  const AddParameter add = parameter_adder();
  using R = ParamRole;
  Var wte = add("transformer.wte.weight", {v, C}, R::kEmbedding);
  embedding_ = TokenPositionEmbedding(wte, make_positions(add, "transformer.wpe.weight", c), 1.0f);
  for (int64_t i = 0; i < c.n_layer; ++i) {
    const std::string p = "transformer.h." + std::to_string(i) + ".";
    TransformerBlockNames names;
    names.attn_norm = p + "ln_1";
    names.qkv_weight = p + "attn.c_attn.weight";
    names.qkv_bias = p + "attn.c_attn.bias";
    names.attn_out = p + "attn.c_proj";
    if (c.ffn_norm) names.ffn_norm = p + "ln_2";
    names.ffn_fc = p + "mlp.c_fc";
    names.ffn_proj = p + "mlp.c_proj";
    blocks_.emplace_back(add, names, c);
  }
  final_norm_ = LayerNorm::make(add, "transformer.ln_f", C, c.ln_bias, c.ln_eps);
  lm_head_.weight = c.tie_head ? wte : add("lm_head.weight", {v, C}, R::kWeight);
  if (c.head_bias) lm_head_.bias = add("lm_head.bias", {v}, R::kBias);
}

Var Gpt::blocks(Graph& g, std::span<const int32_t> ids, int64_t rows, int64_t time,
                int64_t first_position, const SelfAttentionKeys& keys, std::mt19937_64* rng,
                const TraceScope& scope) const {
  const ModelConfig& c = config();
  Var x = embedding_.forward(g, ids, rows, time, first_position, scope);
  if (rng) x = dropout(g, x, c.dropout, *rng);
  SelfAttentionKeys layer_keys = keys;
  for (int64_t layer = 0; layer < c.n_layer; ++layer) {
    const std::string n = std::to_string(layer + 1);
    layer_keys.layer = layer;
    x = blocks_[size_t(layer)].forward(
        g, x, layer_keys, nullptr, rng,
        scope.nested("h." + std::to_string(layer) + ".", {"block " + n + ": ", "blok " + n + ": "}));
  }
  return x;
}

Var Gpt::head(Graph& g, const Var& x, const TraceScope& scope) const {
  Var normed = final_norm_(g, x);
  scope.rows_of("ln_f", normed->value, {"final LayerNorm", "son katman normalleştirme"});
  Var logits = lm_head_(g, normed);
  scope.rows_of("logits", logits->value,
                {"logits: a score for every vocabulary token, at every position",
                 "logitler: her konumda, sözcük dağarcığındaki her belirteç için bir puan"});
  return logits;
}

Var Gpt::forward(Graph& g, std::span<const int32_t> ids, int64_t batch, int64_t time,
                 std::mt19937_64* dropout_rng, const TraceScope& scope) const {
  const ModelConfig& c = config();
  if (int64_t(ids.size()) != batch * time)
    throw Error("forward: " + std::to_string(ids.size()) + " token ids for a batch of " +
                std::to_string(batch) + " x " + std::to_string(time));
  if (time > c.context)
    throw Error("forward: " + std::to_string(time) + " tokens exceed the context of " +
                std::to_string(c.context));
  const SelfAttentionKeys causal{.mask = {.causal = true}};
  return head(g, blocks(g, ids, batch, time, 0, causal, dropout_rng, scope), scope);
}

Var Gpt::forward_cached(Graph& g, std::span<const int32_t> ids, int64_t n, KvCache& cache) const {
  const int64_t rows = cache.rows(), C = config().n_embd;
  Var x = blocks(g, ids, rows, n, cache.length(), {.mask = {}, .cache = &cache, .layer = 0}, nullptr, {});
  cache.advance(n);
  // Only each row's last position is needed to go on.
  if (n > 1) {
    Var last = g.output({rows, 1, C}, {});
    for (int64_t r = 0; r < rows; ++r)
      std::copy_n(x->value.ptr() + (r * n + n - 1) * C, C, last->value.ptr() + r * C);
    x = last;
  }
  return head(g, x, {});
}

Var Gpt::loss(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng) const {
  return cross_entropy(g, forward(g, batch.inputs, batch.rows, batch.time, dropout_rng),
                       batch.targets);
}

std::unique_ptr<IncrementalDecoder> Gpt::decoder() const {
  return std::make_unique<GptDecoder>(*this);
}

std::vector<AttentionKind> Gpt::attention_kinds() const {
  return {{"self", AttentionType::kCausalSelf, config().n_head,
           layer_tables("h.", config().n_layer, ".attn.weights"), Sequence::kInput,
           Sequence::kInput, {"self-attention", "öz-dikkat"}}};
}

ActivationTrace Gpt::inspect(const InspectionInput& input) const {
  check_feed("inspect", input.input, 0, config().context, config().vocab_size);
  ActivationTrace trace;
  Graph g = Graph::inference();
  const int64_t n = int64_t(input.input.size());
  forward(g, input.input, 1, n, nullptr, {&trace, "", {}, Sequence::kInput});
  return trace;
}

std::string Gpt::summary() const {
  const ModelConfig& c = config();
  return std::to_string(c.n_layer) + " layers, " + std::to_string(c.n_head) + " heads, n_embd " +
         std::to_string(c.n_embd);
}

}  // namespace dikkat
