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

// ---- activation.cpp: GELU (exact, erf form as torch.nn.GELU) and ReLU ---------------------------
void gelu_forward(const float* x, float* y, int64_t n);
void relu_forward(const float* x, float* y, int64_t n);
enum class Activation { kGelu, kRelu };
// y = act(x + b) over rows of C, b (C) or null: the FFN's bias and activation fused.
Var bias_activation(Graph& g, const Var& x, const Var& b, Activation act);

// ---- dropout.cpp: inverted dropout, identity when p == 0 ----------------------------------------
Var dropout(Graph& g, const Var& x, float p, std::mt19937_64& rng);

// ---- attention.cpp: multi-head scaled dot-product attention -------------------------------------

// Columns [col, col + channels) of a (B,T,W) Var: a query, key or value input taken from a wider
// tensor (the GPT's fused qkv (B,T,3C) is [q | k | v]), heads contiguous inside the slice.
struct ColumnSlice {
  Var var;
  int64_t col = 0;
};

// Which keys each query may see. Masked weights are exactly 0; every query sees at least one key.
struct AttentionMask {
  // Query t sees key s iff s <= t + (Tk - Tq): the queries are the last Tq positions of the key
  // sequence (self-attention in training: Tk == Tq; a KV cache: Tk = past + Tq). Needs Tk >= Tq.
  bool causal = false;
  // Per batch row: keys s >= key_lengths[b] are padding. Empty: none. Each must be in [1, Tk].
  // (`= {}` keeps `{.causal = true}` clear of GCC's -Wmissing-field-initializers.)
  std::span<const int32_t> key_lengths = {};
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

// The table kernel for one head, as the KV-cache decoder calls it. Queries are the rows
// t = 0..tq-1 at absolute positions past+t; keys/values are rows s = 0..past+tq-1. probs
// (tq, past+tq) receives the softmax weights (zeros above the causal diagonal); out row
// t = sum_s probs[t,s] v[s]. Strides are in floats between consecutive rows.
struct HeadView {
  const float* q;
  int64_t q_stride;
  const float* k;
  int64_t k_stride;
  const float* v;
  int64_t v_stride;
};
void attention_head_forward(const HeadView& h, int64_t tq, int64_t past, int64_t head_size,
                            float* probs, float* out, int64_t out_stride);

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
