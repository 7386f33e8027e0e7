#pragma once
// dikkat's op vocabulary. Each op is an autograd wrapper `<op>(Graph&, ...)` that computes its
// output and records its backward; most also expose plain kernels over raw float arrays
// (`<op>_forward`, some a `_backward`), side by side in src/tensor/<op>.cpp. Models run these ops
// on a recording graph to train and on Graph::inference() to decode with a KV cache (src/nn), so
// both run the same ops; only the attention core differs (attention over the cache). Shapes are
// written (B,T,C): batch, time, channels; N is any row count.
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "tensor/graph.h"

namespace dikkat {

// ---- linear.cpp: y = x W^T + b, through BLAS sgemm ----------------------------------------------
// x (N,in), W (out,in) as PyTorch stores it, b (out) or null, y (N,out).
void linear_forward(const float* x, const float* w, const float* b, float* y, int64_t n, int64_t in,
                    int64_t out);
// dx (N,in) and dW (out,in), db (out) are accumulated (+=); any may be null to skip it.
void linear_backward(const float* dy, const float* x, const float* w, float* dx, float* dw,
                     float* db, int64_t n, int64_t in, int64_t out);
Var linear(Graph& g, const Var& x, const Var& w, const Var& b);

// ---- embedding.cpp: rows of a table picked by token id ------------------------------------------
// table (V,C), ids (N) -> out (N,C). Ids must be < V (checked by the caller's tokenizer/loader).
void embedding_forward(const float* table, std::span<const int32_t> ids, float* out, int64_t c);
// The autograd op multiplies the rows by `scale` ("Attention Is All You Need" scales its
// embeddings by sqrt(d_model)).
Var embedding(Graph& g, const Var& table, std::span<const int32_t> ids,
              std::vector<int64_t> out_leading_shape, float scale = 1.0f);

// ---- add.cpp: elementwise sums ------------------------------------------------------------------
Var add(Graph& g, const Var& a, const Var& b);
// x (B,T,C) + p[first:first+T] (rows of a (P,C) table) broadcast over the batch: positions, the
// first of them `first` (a decoder's next position).
Var add_rows(Graph& g, const Var& x, const Var& table, int64_t first = 0);

// ---- layernorm.cpp: normalisation over the last axis --------------------------------------------
// x (N,C), w (C), b (C) or null; out (N,C); mean and rstd (N) are kept for the backward.
void layernorm_forward(const float* x, const float* w, const float* b, float* out, float* mean,
                       float* rstd, int64_t n, int64_t c, float eps);
Var layernorm(Graph& g, const Var& x, const Var& w, const Var& b, float eps);

// ---- activation.cpp: GELU (exact, erf form as torch.nn.GELU), ReLU and tanh ---------------------
void gelu_forward(const float* x, float* y, int64_t n);
void relu_forward(const float* x, float* y, int64_t n);
enum class Activation { kGelu, kRelu, kTanh };
// y = act(x + b) over rows of C, b (C) or null: the FFN's bias and activation fused.
Var bias_activation(Graph& g, const Var& x, const Var& b, Activation act);

// ---- dropout.cpp: inverted dropout, identity when p == 0 ----------------------------------------
Var dropout(Graph& g, const Var& x, float p, std::mt19937_64& rng);

// ---- slices.cpp: joining and picking parts of tensors ------------------------------------------
// Parts (..., C_i) with the same rows -> (..., sum C_i), side by side in order.
Var concat_columns(Graph& g, const std::vector<Var>& parts);
// Columns [first, first + width) of x (..., C) -> (..., width).
Var slice_columns(Graph& g, const Var& x, int64_t first, int64_t width);
// x (B,T,C) -> (B,1,C): row b's vector at time positions[b] (an RNN's last real step).
Var gather_steps(Graph& g, const Var& x, std::span<const int32_t> positions);
// Rows `rows` of x viewed as (N,C), N the product of its leading axes -> (M,C): a masked
// language model's positions with a target, before its output layer. Rows may repeat.
Var gather_rows(Graph& g, const Var& x, std::span<const int32_t> rows);
// T steps of (B,C) (any shape of B*C elements whose first axis is B) -> (B,T,C).
Var stack_steps(Graph& g, const std::vector<Var>& steps);

// ---- recurrent.cpp: GRU and LSTM layers over a batch of sequences ------------------------------
// Gate order as PyTorch's nn.GRU (r|z|n) and nn.LSTM (i|f|g|o); G = 3 or 4 gates of H each.
enum class RecurrentCell { kGru, kLstm };
int64_t recurrent_gate_count(RecurrentCell cell);
struct RecurrentSequence {
  Var hidden;  // (B,T,H): the state after each step, 0 at padding
  Var cell;    // (B,T,H): the LSTM's cell state after each step (null for a GRU)
};
// One recurrent layer, one direction. x_gates (B,T,G*H) is the input's share of every gate,
// x W_ih^T + b_ih, computed for all steps by one `linear` before (so only h W_hh^T is left to the
// loop: one GEMM over the whole batch per step). w_hh (G*H,H), b_hh (G*H) or null. h0 and c0 (the
// LSTM's cell) are B*H initial states, or null for zeros. Row b has lengths[b] real steps (empty:
// all T); padding is skipped, not fed: the state stops at the last real step and outputs there are
// 0, as PyTorch's packed sequences. `reverse` runs each row from its last real step back to
// its first (the backward half of a bidirectional layer); hidden[b, t] is then the state
// after reading positions t .. length-1. Forward and backward side by side in recurrent.cpp.
RecurrentSequence recurrent_layer(Graph& g, RecurrentCell cell, const Var& x_gates, const Var& w_hh,
                                  const Var& b_hh, const Var& h0, const Var& c0,
                                  std::span<const int32_t> lengths, bool reverse);

// ---- additive_attention.cpp: Bahdanau et al.'s alignment model ---------------------------------
// For each row b, scores e_j = v · tanh(query_b + keys_bj) over the source positions
// j < key_lengths[b] (empty: all), weights α = softmax(e) and context = Σ_j α_j values_bj.
// query (B,A) is the decoder state's projection W_a s, keys (B,S,A) the encoder states'
// projection U_a h_j (computed once per sentence), v (A), values (B,S,D) -> context (B,D).
// weights_out, when given, receives α (B,S), 0 at padding.
Var additive_attention(Graph& g, const Var& query, const Var& keys, const Var& v, const Var& values,
                       std::span<const int32_t> key_lengths, Tensor* weights_out = nullptr);

// ---- attention.cpp: multi-head scaled dot-product attention -------------------------------------

// Columns [col, col + channels) of a (B,T,W) Var: a query, key or value input taken from a wider
// tensor (the GPT's fused qkv (B,T,3C) is [q | k | v]), heads contiguous inside the slice.
struct ColumnSlice {
  Var var;
  int64_t col = 0;
};

// Which keys each query may see. Masked weights are exactly 0; every query sees at least one key.
struct AttentionMask {
  // Query t sees key s iff s <= query_offset + t: query t is key position query_offset + t.
  bool causal = false;
  // Per batch row: keys s >= key_lengths[b] are padding. Empty: none. Each must be in [1, Tk].
  // (`= {}` keeps `{.causal = true}` clear of GCC's -Wmissing-field-initializers.)
  std::span<const int32_t> key_lengths = {};
  // Causal only: the key position of query 0. -1 (the default) means Tk - Tq, the queries are
  // the last Tq keys (self-attention in training: Tk == Tq); a KV cache of capacity Tk holding
  // `past` positions gives `past`.
  int64_t query_offset = -1;
};

// q (B,Tq,C), k and v (B,Tk,C) as column slices, C = channels = n_head x head size; returns
// softmax(q kᵀ / √hs + mask) v per head, (B,Tq,C). Gradients are accumulated into the slices'
// columns of each input's grad (one Var may serve as several inputs; its slices must be the
// same columns or disjoint). Dropout (recording graphs with an rng) drops weights after the
// softmax. weights_out, when given, receives the weights (B,H,Tq,Tk) after masking and before
// dropout.
// Two kernels per (batch, head) pair, pairs in parallel: tiles of kAttentionTile queries x keys
// (flash-attention style: online softmax, no (Tq,Tk) table, memory linear in the lengths) for
// training and long inputs, and a table kernel (the head's (Tq,Tk) weights from one GEMM, then a
// second GEMM with V) when weights_out is wanted or, on a graph that records nothing, for up to
// kAttentionTableMaxQueries queries (decoding one token over a KV cache). The backward always
// runs in tiles.
inline constexpr int64_t kAttentionTile = 64;
inline constexpr int64_t kAttentionTableMaxQueries = 16;
Var multi_head_attention(Graph& g, const ColumnSlice& q, const ColumnSlice& k, const ColumnSlice& v,
                         int64_t channels, int64_t n_head, const AttentionMask& mask,
                         float dropout_p, std::mt19937_64* rng, Tensor* weights_out = nullptr);
// GPT self-attention: qkv (B,T,3C) laid out [q | k | v] -> (B,T,C), causal.
Var causal_attention(Graph& g, const Var& qkv, int64_t n_head, float dropout_p,
                     std::mt19937_64* rng);

// ---- cross_entropy.cpp: negative log-likelihood of targets under softmax(logits) ---------------
// logits (N,V), targets (N) -> scalar: the mean over rows of -log softmax(logits_i)[target_i].
// Targets must be in [0, V).
Var cross_entropy(Graph& g, const Var& logits, std::span<const int32_t> targets);

// As PyTorch's F.cross_entropy(logits, targets, ignore_index, label_smoothing, 'mean'): rows whose
// target is ignore_id are left out (no loss, zero gradient); each other row i costs
//   (1 - eps) * -log p_i[target_i] + eps * mean_j(-log p_i[j])    (eps = label_smoothing),
// and the loss is their mean. If every target is ignored the loss is 0 with zero gradients
// (PyTorch gives NaN). Other targets must be in [0, V).
struct CrossEntropyOptions {
  int32_t ignore_id = -1;
  float label_smoothing = 0.0f;
};
struct CrossEntropyLoss {
  Var loss;         // scalar: the mean over counted rows
  int64_t counted;  // rows whose target is not ignore_id (loss * counted is the sum)
};
CrossEntropyLoss cross_entropy(Graph& g, const Var& logits, std::span<const int32_t> targets,
                               const CrossEntropyOptions& options);

}  // namespace dikkat
