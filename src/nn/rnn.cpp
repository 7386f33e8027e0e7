#include "nn/rnn.h"

#include <algorithm>
#include <string>

#include "error.h"
#include "nn/rnn_decoder.h"
#include "tensor/ops.h"

namespace dikkat {

namespace {

// A one-head attention's weights (B,1,T,S) as (B,T,S).
void drop_head_axis(Tensor& weights) {
  if (weights.shape.size() == 4) weights.shape.erase(weights.shape.begin() + 1);
}

}  // namespace

Rnn::Rnn(const ModelConfig& config) : Model(config) {
  const ModelConfig& c = this->config();
  const int64_t E = c.n_embd, V = c.vocab_size, H = c.hidden, M = memory_width();
  const int64_t gates = recurrent_gate_count(c.cell) * H;
  using R = ParamRole;
  auto layer = [&](const std::string& stack, int64_t index, const char* suffix, int64_t in) {
    const std::string s = "_l" + std::to_string(index) + suffix;
    RecurrentLayerParameters l;
    l.w_ih = add_parameter(stack + ".weight_ih" + s, {gates, in}, R::kWeight);
    l.w_hh = add_parameter(stack + ".weight_hh" + s, {gates, H}, R::kWeight);
    l.b_ih = add_parameter(stack + ".bias_ih" + s, {gates}, R::kBias);
    l.b_hh = add_parameter(stack + ".bias_hh" + s, {gates}, R::kBias);
    return l;
  };
  if (c.share_embeddings) {
    source_embedding_ = target_embedding_ = add_parameter("shared.weight", {V, E}, R::kEmbedding);
  } else {
    source_embedding_ = add_parameter("encoder.embed_tokens.weight", {V, E}, R::kEmbedding);
    target_embedding_ = add_parameter("decoder.embed_tokens.weight", {V, E}, R::kEmbedding);
  }
  for (int64_t i = 0; i < c.n_encoder_layer; ++i) {
    const int64_t in = i == 0 ? E : M;
    encoder_forward_.push_back(layer("encoder.rnn", i, "", in));
    if (c.bidirectional) encoder_backward_.push_back(layer("encoder.rnn", i, "_reverse", in));
  }
  bridge_w_ = add_parameter("decoder.bridge.weight", {c.n_layer * H, M}, R::kWeight);
  bridge_b_ = add_parameter("decoder.bridge.bias", {c.n_layer * H}, R::kBias);
  if (c.attention == RecurrentAttention::kBahdanau) {
    query_w_ = add_parameter("decoder.attention.query.weight", {H, H}, R::kWeight);
    key_w_ = add_parameter("decoder.attention.key.weight", {H, M}, R::kWeight);
    key_b_ = add_parameter("decoder.attention.key.bias", {H}, R::kBias);
    score_v_ = add_parameter("decoder.attention.v", {H}, R::kWeight);
  } else if (c.attention == RecurrentAttention::kLuong) {
    query_w_ = add_parameter("decoder.attention.query.weight", {M, H}, R::kWeight);
  }
  const int64_t first_input = c.attention == RecurrentAttention::kLuong ? E : E + M;
  for (int64_t i = 0; i < c.n_layer; ++i)
    decoder_.push_back(layer("decoder.rnn", i, "", i == 0 ? first_input : H));
  combine_w_ = add_parameter("decoder.combine.weight", {E, H + M}, R::kWeight);
  combine_b_ = add_parameter("decoder.combine.bias", {E}, R::kBias);
  if (!c.tie_head) head_w_ = add_parameter("decoder.output_projection.weight", {V, E}, R::kWeight);
  if (c.head_bias) head_b_ = add_parameter("decoder.output_projection.bias", {V}, R::kBias);
}

Var Rnn::dropout_if(Graph& g, const Var& x, std::mt19937_64* rng) const {
  return rng ? dropout(g, x, config().dropout, *rng) : x;
}

RnnSource Rnn::encode(Graph& g, std::span<const int32_t> source, std::span<const int32_t> lengths,
                      int64_t rows, int64_t time, std::mt19937_64* rng,
                      const TraceScope& scope) const {
  const ModelConfig& c = config();
  const std::string cell = cell_name();
  Var x = embedding(g, source_embedding_, source, {rows, time});
  scope.rows_of("embed", x->value, {"source: token embeddings", "kaynak: belirteç gömmeleri"});
  x = dropout_if(g, x, rng);
  Var forward, backward;
  for (int64_t i = 0; i < c.n_encoder_layer; ++i) {
    const std::string name = std::string("l") + std::to_string(i), n = std::to_string(i + 1);
    const RecurrentLayerParameters& f = encoder_forward_[size_t(i)];
    forward = recurrent_layer(g, c.cell, linear(g, x, f.w_ih, f.b_ih), f.w_hh, f.b_hh, nullptr,
                              nullptr, lengths, false)
                  .hidden;
    scope.rows_of(name + ".forward", forward->value,
                  {"encoder layer " + n + ", left to right: the " + cell +
                       " state after reading up to each token",
                   "kodlayıcı katman " + n + ", soldan sağa: her belirtece kadar okuduktan sonraki " +
                       cell + " durumu"});
    Var out = forward;
    if (c.bidirectional) {
      const RecurrentLayerParameters& b = encoder_backward_[size_t(i)];
      backward = recurrent_layer(g, c.cell, linear(g, x, b.w_ih, b.b_ih), b.w_hh, b.b_hh, nullptr,
                                 nullptr, lengths, true)
                     .hidden;
      scope.rows_of(name + ".backward", backward->value,
                    {"encoder layer " + n + ", right to left: the " + cell +
                         " state after reading back to each token",
                     "kodlayıcı katman " + n + ", sağdan sola: her belirtece geri okuduktan " +
                         "sonraki " + cell + " durumu"});
      out = concat_columns(g, {forward, backward});
    }
    x = i + 1 < c.n_encoder_layer ? dropout_if(g, out, rng) : out;
  }
  const bool attends = c.attention != RecurrentAttention::kNone;
  scope.rows_of("out", x->value,
                StepText{c.bidirectional ? "encoder states, forward | backward side by side"
                                         : "encoder states",
                         c.bidirectional ? "kodlayıcı durumları, ileri | geri yan yana"
                                         : "kodlayıcı durumları"} +
                    (attends ? StepText{": what attention reads", ": dikkatin okuduğu"}
                             : StepText{" (the decoder sees only the last)",
                                        " (kod çözücü yalnızca sonuncuyu görür)"}));

  RnnSource s;
  s.memory = x;
  s.lengths.assign(lengths.begin(), lengths.end());
  std::vector<int32_t> last(lengths.begin(), lengths.end());
  for (int32_t& t : last) --t;
  s.summary = gather_steps(g, forward, last);
  if (c.bidirectional) {
    const std::vector<int32_t> first(size_t(rows), 0);
    s.summary = concat_columns(g, {s.summary, gather_steps(g, backward, first)});
  }
  if (c.attention == RecurrentAttention::kBahdanau) s.keys = linear(g, s.memory, key_w_, key_b_);
  return s;
}

RnnState Rnn::initial_state(Graph& g, const RnnSource& source) const {
  const ModelConfig& c = config();
  const int64_t H = c.hidden;
  // One bridge for every layer's start, (B,1,L·H), then each layer's H columns.
  const Var all = bias_activation(g, linear(g, source.summary, bridge_w_, nullptr), bridge_b_,
                                  Activation::kTanh);
  RnnState state;
  for (int64_t l = 0; l < c.n_layer; ++l) {
    state.hidden.push_back(c.n_layer == 1 ? all : slice_columns(g, all, l * H, H));
    state.cell.push_back(nullptr);  // an LSTM's cell starts at zero
  }
  return state;
}

std::vector<Var> Rnn::decoder_layers(Graph& g, RnnState& state, Var x, std::mt19937_64* rng) const {
  const ModelConfig& c = config();
  std::vector<Var> outputs;
  for (int64_t l = 0; l < c.n_layer; ++l) {
    const RecurrentLayerParameters& p = decoder_[size_t(l)];
    const RecurrentSequence seq =
        recurrent_layer(g, c.cell, linear(g, x, p.w_ih, p.b_ih), p.w_hh, p.b_hh,
                        state.hidden[size_t(l)], state.cell[size_t(l)], {}, false);
    const int64_t rows = seq.hidden->value.size(0), time = seq.hidden->value.size(1);
    const std::vector<int32_t> last(size_t(rows), int32_t(time - 1));
    auto final_step = [&](const Var& v) { return time == 1 ? v : gather_steps(g, v, last); };
    state.hidden[size_t(l)] = final_step(seq.hidden);
    if (seq.cell) state.cell[size_t(l)] = final_step(seq.cell);
    outputs.push_back(seq.hidden);
    x = l + 1 < c.n_layer ? dropout_if(g, seq.hidden, rng) : seq.hidden;
  }
  return outputs;
}

Var Rnn::decode(Graph& g, RnnState& state, const RnnSource& source, std::span<const int32_t> ids,
                int64_t rows, int64_t time, std::mt19937_64* rng, const TraceScope& scope) const {
  const ModelConfig& c = config();
  const int64_t M = memory_width();
  Var embedded = embedding(g, target_embedding_, ids, {rows, time});
  scope.rows_of("embed", embedded->value, {"target: token embeddings", "hedef: belirteç gömmeleri"});
  embedded = dropout_if(g, embedded, rng);
  std::vector<Var> layers;  // each decoder layer's states (B,T,H)
  Var context;              // (B,T,M)
  Tensor weights;           // (B,T,S)
  Tensor* weights_out = scope ? &weights : nullptr;
  switch (c.attention) {
    case RecurrentAttention::kNone: {
      context = stack_steps(g, std::vector<Var>(size_t(time), source.summary));
      layers = decoder_layers(g, state, concat_columns(g, {embedded, context}), rng);
      break;
    }
    case RecurrentAttention::kLuong: {
      layers = decoder_layers(g, state, embedded, rng);
      const Var query = linear(g, layers.back(), query_w_, nullptr);
      context = multi_head_attention(g, {query, 0}, {source.memory, 0}, {source.memory, 0}, M, 1,
                                     {.causal = false, .key_lengths = source.lengths}, 0.0f,
                                     nullptr, weights_out);
      if (weights_out) drop_head_axis(weights);
      break;
    }
    case RecurrentAttention::kBahdanau: {
      // The context of step t depends on the state after step t-1: one step at a time.
      const int64_t S = source.memory->value.size(1);
      std::vector<std::vector<Var>> steps(size_t(c.n_layer));
      std::vector<Var> contexts;
      if (weights_out) weights = Tensor({rows, time, S});
      for (int64_t t = 0; t < time; ++t) {
        const std::vector<int32_t> at(size_t(rows), static_cast<int32_t>(t));
        const Var query = linear(g, state.hidden.back(), query_w_, nullptr);
        Tensor step_weights;
        const Var step_context =
            additive_attention(g, query, source.keys, score_v_, source.memory, source.lengths,
                               weights_out ? &step_weights : nullptr);
        const Var input = time == 1 ? embedded : gather_steps(g, embedded, at);
        const std::vector<Var> out =
            decoder_layers(g, state, concat_columns(g, {input, step_context}), rng);
        for (int64_t l = 0; l < c.n_layer; ++l) steps[size_t(l)].push_back(out[size_t(l)]);
        contexts.push_back(step_context);
        if (weights_out)
          for (int64_t b = 0; b < rows; ++b)
            std::copy_n(step_weights.ptr() + b * S, S, weights.ptr() + (b * time + t) * S);
      }
      for (const auto& layer_steps : steps)
        layers.push_back(time == 1 ? layer_steps[0] : stack_steps(g, layer_steps));
      context = stack_steps(g, contexts);
      break;
    }
  }
  if (scope) trace_decoder_steps(scope, layers, weights, context);
  const Var out = bias_activation(
      g, linear(g, concat_columns(g, {layers.back(), context}), combine_w_, nullptr), combine_b_,
      Activation::kTanh);
  scope.rows_of("output", out->value,
                {"tanh(W [state; context]): what the output layer reads",
                 "tanh(W [durum; bağlam]): çıkış katmanının okuduğu"});
  return dropout_if(g, out, rng);
}

Var Rnn::head(Graph& g, const Var& output) const {
  return linear(g, output, config().tie_head ? target_embedding_ : head_w_, head_b_);
}

Var Rnn::forward(Graph& g, const Batch& batch, std::mt19937_64* rng,
                 ActivationTrace* trace) const {
  const ModelConfig& c = config();
  const int64_t B = batch.rows, T = batch.time, S = batch.source_time;
  check_translation_batch("rnn forward", batch, c.context);
  const RnnSource source = encode(g, batch.source, batch.source_lengths, B, S, rng,
                                  {trace, "encoder.", {}, Sequence::kInput});
  RnnState state = initial_state(g, source);
  const Var out = decode(g, state, source, batch.inputs, B, T, rng,
                         {trace, "decoder.", {}, Sequence::kTarget});
  Var result = head(g, out);
  const TraceScope top{trace, "", {}, Sequence::kTarget};
  top.rows_of("logits", result->value,
              {"logits: a score for every vocabulary token, at every target position",
               "logitler: her hedef konumunda, sözcük dağarcığındaki her belirteç için bir puan"});
  return result;
}

Var Rnn::loss(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng) const {
  const CrossEntropyOptions options{
      .ignore_id = kIgnoredTarget,
      .label_smoothing = dropout_rng ? config().label_smoothing : 0.0f};
  return cross_entropy(g, forward(g, batch, dropout_rng), batch.targets, options).loss;
}

std::vector<AttentionKind> Rnn::attention_kinds() const {
  if (config().attention == RecurrentAttention::kNone) return {};
  return {{"cross",
           AttentionType::kAlignment,
           1,
           {"decoder.attention.weights"},
           Sequence::kTarget,
           Sequence::kInput,
           {"alignment (target → source)", "hizalama (hedef → kaynak)"}}};
}

ActivationTrace Rnn::inspect(const InspectionInput& input) const {
  const Batch b = translation_batch(input.input, input.target, input.end_token);
  check_token_ids(b.source, config().vocab_size);
  check_token_ids(b.inputs, config().vocab_size);
  ActivationTrace trace;
  Graph g = Graph::inference();
  forward(g, b, nullptr, &trace);
  return trace;
}

std::string Rnn::summary() const {
  const ModelConfig& c = config();
  return cell_name() + ", " + std::to_string(c.n_encoder_layer) + " " +
         (c.bidirectional ? "bidirectional " : "") + "encoder and " + std::to_string(c.n_layer) +
         " decoder layers, hidden " + std::to_string(c.hidden) + ", " +
         enum_to_name(kRecurrentAttentionNames, c.attention) + " attention, n_embd " +
         std::to_string(c.n_embd);
}

std::string Rnn::cell_name() const { return config().cell == RecurrentCell::kGru ? "GRU" : "LSTM"; }

void Rnn::trace_decoder_steps(const TraceScope& scope, const std::vector<Var>& layers,
                              const Tensor& weights, const Var& context) const {
  const ModelConfig& c = config();
  for (size_t l = 0; l < layers.size(); ++l) {
    const std::string n = std::to_string(l + 1);
    scope.rows_of(std::string("l") + std::to_string(l), layers[l]->value,
                  {"decoder layer " + n + ": the " + cell_name() + " state after each target token",
                   "kod çözücü katman " + n + ": her hedef belirtecinden sonraki " + cell_name() +
                       " durumu"});
  }
  if (c.attention != RecurrentAttention::kNone) {
    // Row 0's (T,S) weights as one head's table, (1,T,S).
    const int64_t T = weights.size(1), S = weights.size(2);
    Tensor table = Tensor::uninitialized({1, T, S});
    std::copy_n(weights.ptr(), T * S, table.ptr());
    scope.whole("attention.weights", std::move(table),
                c.attention == RecurrentAttention::kBahdanau
                    ? StepText{"Bahdanau alignment: softmax over the source of "
                               "v·tanh(W s(t-1) + U h(j))",
                               "Bahdanau hizalaması: kaynak üzerinde v·tanh(W s(t-1) + U h(j)) "
                               "puanlarının softmax'ı"}
                    : StepText{"Luong alignment: softmax over the source of (W s(t))·h(j) / √width",
                               "Luong hizalaması: kaynak üzerinde (W s(t))·h(j) / √genişlik "
                               "puanlarının softmax'ı"});
  }
  scope.rows_of("context", context->value,
                c.attention != RecurrentAttention::kNone
                    ? StepText{"context: the alignment-weighted sum of encoder states",
                               "bağlam: kodlayıcı durumlarının hizalama ağırlıklı toplamı"}
                    : StepText{"context: the encoder's final states, the same at every step (the "
                               "bottleneck)",
                               "bağlam: kodlayıcının son durumları, her adımda aynı (darboğaz)"});
}

std::unique_ptr<TranslationDecoder> Rnn::translation_decoder() const {
  return std::make_unique<RnnDecoder>(*this);
}

}  // namespace dikkat
