#pragma once
// The recurrent encoder-decoders the attention story starts from (seed 001), as baselines for the
// transformer. The encoder is a stack of GRU or LSTM layers, by default bidirectional: each source
// position's state is the forward state (what came before it) beside the backward state (what
// comes after). The decoder is another stack, started from the encoder's final states through a
// `bridge` (s0 = tanh(W [forward last; backward first] + b)), and reads the source in one of three
// ways (config.attention):
//   none      Cho et al. (2014): every step gets the same context, the encoder's final states,
//             beside its input token. The whole sentence must fit into that one vector: the
//             information bottleneck.
//   bahdanau  Bahdanau et al. (2015): before step t, the alignment model scores every source
//             state h_j against the previous decoder state, e_tj = v · tanh(W_a s_{t-1} + U_a h_j);
//             the context c_t = Σ softmax(e_t)_j h_j joins the input token. Attention is inside
//             the recurrence, so training runs the decoder step by step.
//   luong     Luong et al. (2015), "general" score: after the step, (W_a s_t) · h_j / √(D·H)
//             (the scale of the transformer's dot products; W_a absorbs it) over the source. The
//             recurrence does not depend on the attention (no input feeding), so training runs
//             each decoder layer over the whole target at once.
// Every variant then predicts from h̃_t = tanh(W_c [s_t; c_t] + b_c) (n_embd wide, so the output
// projection can be the target embedding, tie_head). The alignment weights (target × source) are
// what `dikkat attention --kind cross` shows: the Bahdanau paper's Figure 3.
//
// Parameter names follow PyTorch's nn.GRU / nn.LSTM inside each stack (encoder.rnn.weight_ih_l0,
// encoder.rnn.weight_hh_l0_reverse, decoder.rnn.bias_ih_l1, ...), so its modules load them as they
// are.
//
// Trace (one sentence pair; S source and T target positions, H = hidden, D = directions):
//   encoder.embed (S,E); encoder.l<i>.forward and .backward (S,H); encoder.out (S,D·H);
//   decoder.embed (T,E); decoder.l<i> (T,H) states; decoder.attention.weights (1,T,S) (with
//   attention: one head's table); decoder.context (T,D·H); decoder.output (T,E) h̃; logits (T,V).
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "nn/model.h"

namespace dikkat {

struct RecurrentLayerParameters {
  Var w_ih, w_hh, b_ih, b_hh;
};

// What the decoder reads of the encoder, computed once per batch of sentences.
struct RnnSource {
  Var memory;   // (B,S,D·H): the top encoder layer's states, directions side by side
  Var summary;  // (B,1,D·H): the forward direction's last real state | the backward's first
  Var keys;     // Bahdanau: U_a h_j + b (B,S,A); null otherwise
  std::vector<int32_t> lengths;
};

// The decoder's state between steps: per layer (B,1,H) hidden and (LSTM) cell states.
struct RnnState {
  std::vector<Var> hidden, cell;
};

class Rnn final : public Model {
 public:
  explicit Rnn(const ModelConfig& config);

  // The batch's source (B,S) with its lengths and target inputs (B,T) -> logits (B,T,V).
  Var forward(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng,
              ActivationTrace* trace = nullptr) const;
  Var loss(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng) const override;
  Var batch_logits(Graph& g, const Batch& b) const override { return forward(g, b, nullptr); }
  std::unique_ptr<TranslationDecoder> translation_decoder() const override;
  std::vector<AttentionKind> attention_kinds() const override;
  ActivationTrace inspect(const InspectionInput& input) const override;
  std::string summary() const override;
  bool output_tied_to_embedding() const override { return config().tie_head; }
  const Var& token_embedding() const override { return target_embedding_; }
  Var position_table() const override { return nullptr; }

  // The pieces training and decoding share.
  // source (B,S) with its lengths -> what the decoder reads.
  RnnSource encode(Graph& g, std::span<const int32_t> source, std::span<const int32_t> lengths,
                   int64_t rows, int64_t time, std::mt19937_64* rng,
                   const TraceScope& scope) const;
  RnnState initial_state(Graph& g, const RnnSource& source) const;
  // Target ids (B,T) -> h̃ (B,T,E), reading from `state` and leaving in it the state after the
  // last step. Decoding calls it with T = 1.
  Var decode(Graph& g, RnnState& state, const RnnSource& source, std::span<const int32_t> ids,
             int64_t rows, int64_t time, std::mt19937_64* rng, const TraceScope& scope) const;
  // h̃ (B,T,E) -> logits (B,T,V)
  Var head(Graph& g, const Var& output) const;

 protected:
  int64_t residual_branches() const override { return 1; }

 private:
  int64_t directions() const { return config().bidirectional ? 2 : 1; }
  int64_t memory_width() const { return directions() * config().hidden; }
  // Runs the decoder layers over inputs x (B,T,·) from `state`, leaving in it the state after the
  // last step; returns every layer's states (B,T,H).
  std::vector<Var> decoder_layers(Graph& g, RnnState& state, Var x, std::mt19937_64* rng) const;
  Var dropout_if(Graph& g, const Var& x, std::mt19937_64* rng) const;
  std::string cell_name() const;  // GRU or LSTM
  // The decoder's states per layer, the alignment (B,T,S) and the context, of batch row 0.
  void trace_decoder_steps(const TraceScope& scope, const std::vector<Var>& layers,
                           const Tensor& weights, const Var& context) const;

  Var source_embedding_, target_embedding_;
  std::vector<RecurrentLayerParameters> encoder_forward_, encoder_backward_, decoder_;
  Var bridge_w_, bridge_b_;
  Var query_w_, key_w_, key_b_, score_v_;  // attention (query_w_: Luong's W_a, applied to s_t)
  Var combine_w_, combine_b_, head_w_, head_b_;
};

}  // namespace dikkat
