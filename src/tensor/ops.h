#pragma once
// dikkat's op vocabulary. Each op has a plain kernel pair `<op>_forward` / `<op>_backward` over raw
// float arrays (shared with the KV-cache decoder, so training and generation run the same math)
// and an autograd wrapper `<op>(Graph&, ...)` that records the backward. Both live side by side in
// src/tensor/<op>.cpp. Shapes are written (B,T,C): batch, time, channels; N is any row count.
#include <cstdint>
#include <random>
#include <span>

#include "tensor/graph.h"

namespace dikkat {

// ---- linear.cpp: y = x W^T + b, through BLAS sgemm ---------------------------------------------
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

// ---- add.cpp: elementwise sums
// --------------------------------------------------------------------
Var add(Graph& g, const Var& a, const Var& b);
// x (B,T,C) + p[first:first+T] (rows of a (P,C) table) broadcast over the batch: positions, the
// first of them `first` (a decoder's next position).
Var add_rows(Graph& g, const Var& x, const Var& table, int64_t first = 0);

// ---- layernorm.cpp
// --------------------------------------------------------------------------------- x (N,C), w (C),
// b (C) or null; out (N,C); mean and rstd (N) are kept for the backward.
void layernorm_forward(const float* x, const float* w, const float* b, float* out, float* mean,
                       float* rstd, int64_t n, int64_t c, float eps);
Var layernorm(Graph& g, const Var& x, const Var& w, const Var& b, float eps);

// ---- activation.cpp: GELU (exact, erf form as torch.nn.GELU) and ReLU ---------------------------
void gelu_forward(const float* x, float* y, int64_t n);
void relu_forward(const float* x, float* y, int64_t n);
enum class Activation { kGelu, kRelu };
// y = act(x + b) over rows of C, b (C) or null: the FFN's bias and activation fused.
Var bias_activation(Graph& g, const Var& x, const Var& b, Activation act);

// ---- dropout.cpp: inverted dropout, identity when p == 0
// ------------------------------------------
Var dropout(Graph& g, const Var& x, float p, std::mt19937_64& rng);

// ---- softmax.cpp: softmax over the last axis
// ------------------------------------------------------
void softmax_forward(const float* x, float* y, int64_t n, int64_t c);
Var softmax(Graph& g, const Var& x);

// ---- attention.cpp: causal multi-head self-attention core
// ----------------------------------------- One head. Queries are the rows t = 0..tq-1 at absolute
// positions past+t; keys/values are rows s = 0..past+tq-1. probs (tq, past+tq) receives the softmax
// weights (zeros above the causal diagonal); out row t = sum_s probs[t,s] v[s]. Strides are in
// floats between consecutive rows.
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
// qkv (B,T,3C) laid out [q | k | v], heads contiguous inside each; out (B,T,C). Computed in tiles
// of kAttentionTile queries x keys without materialising the (T,T) weights: memory is linear in T.
// Dropout (training only) drops attention weights after the softmax.
inline constexpr int64_t kAttentionTile = 64;
Var causal_attention(Graph& g, const Var& qkv, int64_t n_head, float dropout_p,
                     std::mt19937_64* rng);

// ---- cross_entropy.cpp: mean negative log-likelihood of targets under softmax(logits) ----------
// logits (N,V), targets (N) -> scalar. Targets must be < V.
Var cross_entropy(Graph& g, const Var& logits, std::span<const int32_t> targets);

}  // namespace dikkat
