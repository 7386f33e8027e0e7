#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "error.h"
#include "tensor/dropout_mask.h"
#include "tensor/fast_math.h"
#include "tensor/gemm.h"
#include "tensor/op_profile.h"
#include "tensor/ops.h"
#include "tensor/parallel.h"

namespace dikkat {

namespace {

float dot(const float* a, const float* b, int64_t n) {
  float acc = 0.0f;
#pragma omp simd reduction(+ : acc)
  for (int64_t i = 0; i < n; ++i) acc += a[i] * b[i];
  return acc;
}

// row[0..visible) <- softmax of itself, in place; returns the maximum and the sum of exps (the
// row's log-sum-exp is max + log(sum)).
struct SoftmaxStats {
  float max, sum;
};
DIKKAT_VECTOR_CLONES SoftmaxStats softmax_in_place(float* row, int64_t visible) {
  float max_score = -INFINITY;
#pragma omp simd reduction(max : max_score)
  for (int64_t s = 0; s < visible; ++s) max_score = std::max(max_score, row[s]);
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int64_t s = 0; s < visible; ++s) sum += (row[s] = fast_exp(row[s] - max_score));
  const float inv = 1.0f / sum;
#pragma omp simd
  for (int64_t s = 0; s < visible; ++s) row[s] *= inv;
  return {max_score, sum};
}

// One head's operands: rows of q, k and v, each `stride` floats after the one before.
struct HeadView {
  const float* q;
  int64_t q_stride;
  const float* k;
  int64_t k_stride;
  const float* v;
  int64_t v_stride;
};

// One (batch, head) pair: tq query rows, tk key/value rows, and which keys each query sees.
// Both masks keep a prefix of the keys, so query t sees keys [0, visible(t)), never none (the
// op checks key lengths >= 1 and, when causal, tk >= tq).
struct HeadTask {
  int64_t tq, tk, hs;
  bool causal;
  int64_t query_offset;  // causal: the key position of query 0
  int64_t key_length;    // keys >= key_length are padding
  // Dropout: element (t, s) of the head's (tq, tk) mask is element mask_first + t * tk + s of
  // the whole (B,H,Tq,Tk) mask; p == 0 means none.
  float dropout_p;
  uint64_t mask_key;
  int64_t mask_first;

  // Causal: query t is key position query_offset + t and sees the keys up to it.
  int64_t visible(int64_t t) const {
    return causal ? std::min(key_length, query_offset + t + 1) : key_length;
  }
};

// The table kernel: one head's whole (tq, tk) table of weights at once. S = Q Kᵀ / √hs is one
// GEMM over the keys any query sees, each row is softmaxed over its visible keys (zeros past
// them), and out = (P * M) V is another GEMM. For few queries (decoding one token over a KV
// cache: two GEMMs, where tiles take two per key tile plus the online softmax's rescaling; the
// table is small) and wherever the weights are wanted. probs (tq, tk) receives the weights before
// dropout; lse (tq) or null each row's log-sum-exp, for the tiled backward; out (tq, hs) rows
// are out_stride apart.
void attention_table_forward(const HeadView& h, const HeadTask& a, float* probs, float* out,
                             int64_t out_stride, float* lse) {
  const int64_t keys = a.visible(a.tq - 1);  // the last query sees the most
  const float scale = 1.0f / std::sqrt(float(a.hs));
  sgemm(false, true, a.tq, keys, a.hs, scale, h.q, h.q_stride, h.k, h.k_stride, 0.0f, probs, a.tk);
  for (int64_t t = 0; t < a.tq; ++t) {
    float* row = probs + t * a.tk;
    const int64_t n = a.visible(t);
    const SoftmaxStats stats = softmax_in_place(row, n);
    if (lse) lse[t] = stats.max + std::log(stats.sum);
    std::fill(row + n, row + a.tk, 0.0f);
  }
  const float* mixed = probs;
  if (a.dropout_p > 0.0f) {
    thread_local std::vector<float> dropped;
    dropped.resize(a.tq * a.tk);
    for (int64_t t = 0; t < a.tq; ++t) {
      float* drow = dropped.data() + t * a.tk;
      const float* row = probs + t * a.tk;
      dropout_mask_span(a.mask_key, a.dropout_p, a.mask_first + t * a.tk, drow, keys);
#pragma omp simd
      for (int64_t s = 0; s < keys; ++s) drow[s] *= row[s];
    }
    mixed = dropped.data();
  }
  sgemm(false, false, a.tq, a.hs, keys, 1.0f, mixed, a.tk, h.v, h.v_stride, 0.0f, out, out_stride);
}

}  // namespace

// The tiled kernel, flash-attention style: for each (batch, head), queries and keys go in tiles
// of kAttentionTile rows; a tile of scores S = Q Kᵀ / √hs is one small GEMM, the softmax is
// computed online (a running row maximum m and sum l, earlier output rescaled when m grows), and
// tiles no query of the tile can see (above the causal diagonal, or all padding) are never
// computed. Only the output and each row's log-sum-exp are kept, so memory grows linearly with
// the lengths. The backward recomputes each tile's probabilities from Q, K and the log-sum-exp.
// Dropout on the probabilities uses the counter-based mask of element (b, h, t, s) of the whole
// (B,H,Tq,Tk) mask, made tile by tile. (batch, head) pairs run in parallel; inside a parallel
// region OpenBLAS runs on the calling thread.
namespace {

// Per-thread tile buffers, sized once and kept across steps.
struct TileScratch {
  std::vector<float> s, p, mask;  // mask: one row in the forward, the whole tile in the backward
  std::vector<float> row_d;       // the backward's D, one per query row of the head
  TileScratch() : s(kAttentionTile * kAttentionTile), p(s.size()), mask(s.size()) {}
};

TileScratch& tile_scratch() {
  thread_local TileScratch scratch;
  return scratch;
}

// How many of the `cols` keys of the tile starting at key j0 query t sees (possibly none).
int64_t visible_in_tile(const HeadTask& a, int64_t t, int64_t j0, int64_t cols) {
  return std::clamp<int64_t>(a.visible(t) - j0, 0, cols);
}

// q (tq, hs), k and v (tk, hs) rows of h; out (tq, hs) rows out_stride apart; lse (tq).
void attention_tiles_forward(const HeadView& h, const HeadTask& a, float* out, int64_t out_stride,
                             float* lse) {
  TileScratch& tile = tile_scratch();
  const int64_t ld = kAttentionTile;
  const float scale = 1.0f / std::sqrt(float(a.hs));
  float row_max[kAttentionTile], row_sum[kAttentionTile];
  for (int64_t i0 = 0; i0 < a.tq; i0 += kAttentionTile) {
    const int64_t rows = std::min(kAttentionTile, a.tq - i0);
    const int64_t keys = a.visible(i0 + rows - 1);  // the tile's last query sees the most
    float* o = out + i0 * out_stride;
    for (int64_t r = 0; r < rows; ++r) std::fill_n(o + r * out_stride, a.hs, 0.0f);
    std::fill_n(row_max, rows, -INFINITY);
    std::fill_n(row_sum, rows, 0.0f);
    for (int64_t j0 = 0; j0 < keys; j0 += kAttentionTile) {
      const int64_t cols = std::min(kAttentionTile, keys - j0);
      sgemm(false, true, rows, cols, a.hs, scale, h.q + i0 * h.q_stride, h.q_stride,
            h.k + j0 * h.k_stride, h.k_stride, 0.0f, tile.s.data(), ld);
      for (int64_t r = 0; r < rows; ++r) {
        const int64_t t = i0 + r, n = visible_in_tile(a, t, j0, cols);
        float* srow = tile.s.data() + r * ld;
        std::fill(srow + n, srow + cols, 0.0f);
        if (n == 0) continue;  // nothing new for this row: its running max and sum stand
        float tile_max = -INFINITY;
#pragma omp simd reduction(max : tile_max)
        for (int64_t c = 0; c < n; ++c) tile_max = std::max(tile_max, srow[c]);
        const float new_max = std::max(row_max[r], tile_max);
        // Underflows to ~0 while row_max is still -inf, when the output and sum are 0 anyway.
        const float rescale = fast_exp(row_max[r] - new_max);
        float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
        for (int64_t c = 0; c < n; ++c) sum += (srow[c] = fast_exp(srow[c] - new_max));
        row_sum[r] = row_sum[r] * rescale + sum;
        row_max[r] = new_max;
        float* orow = o + r * out_stride;
#pragma omp simd
        for (int64_t d = 0; d < a.hs; ++d) orow[d] *= rescale;
        if (a.dropout_p > 0.0f) {
          dropout_mask_span(a.mask_key, a.dropout_p, a.mask_first + t * a.tk + j0, tile.mask.data(),
                            n);
#pragma omp simd
          for (int64_t c = 0; c < n; ++c) srow[c] *= tile.mask[c];
        }
      }
      sgemm(false, false, rows, a.hs, cols, 1.0f, tile.s.data(), ld, h.v + j0 * h.v_stride,
            h.v_stride, 1.0f, o, out_stride);
    }
    for (int64_t r = 0; r < rows; ++r) {
      const float inv = 1.0f / row_sum[r];
      float* orow = o + r * out_stride;
#pragma omp simd
      for (int64_t d = 0; d < a.hs; ++d) orow[d] *= inv;
      if (lse) lse[i0 + r] = row_max[r] + std::log(row_sum[r]);
    }
  }
}

// The gradients of one head, laid out as the HeadView's rows; a null pointer skips that input.
struct HeadGrads {
  float *dq, *dk, *dv;
};

// With P the probabilities, M the dropout mask, Pd = P * M, O the output and dO its gradient:
//   dV += Pdᵀ dO    dP = (dO Vᵀ) * M    dS = P * (dP - D) / √hs with D = rowsum(dO * O)
//   dQ += dS K      dK += dSᵀ Q
// (rowsum(P * dP) = dO · Σ Pd V = dO · O, so D needs neither P nor M in full.)
void attention_tiles_backward(const HeadView& h, const HeadGrads& dh, const HeadTask& a,
                              const float* out, const float* dout, int64_t out_stride,
                              const float* lse) {
  TileScratch& tile = tile_scratch();
  const int64_t ld = kAttentionTile;
  const float scale = 1.0f / std::sqrt(float(a.hs));
  const bool need_ds = dh.dq || dh.dk;
  tile.row_d.resize(a.tq);
  float *row_d = tile.row_d.data(), *mask = tile.mask.data();
  for (int64_t t = 0; t < a.tq; ++t)
    row_d[t] = dot(dout + t * out_stride, out + t * out_stride, a.hs);
  const int64_t keys = a.visible(a.tq - 1);  // the last query sees the most keys
  for (int64_t j0 = 0; j0 < keys; j0 += kAttentionTile) {
    const int64_t cols = std::min(kAttentionTile, keys - j0);
    for (int64_t i0 = 0; i0 < a.tq; i0 += kAttentionTile) {
      const int64_t rows = std::min(kAttentionTile, a.tq - i0);
      if (a.visible(i0 + rows - 1) <= j0) continue;  // no query of the tile sees these keys
      const float* qi = h.q + i0 * h.q_stride;
      const float* dout_i = dout + i0 * out_stride;
      sgemm(false, true, rows, cols, a.hs, scale, qi, h.q_stride, h.k + j0 * h.k_stride, h.k_stride,
            0.0f, tile.p.data(), ld);
      // tile.p <- P; tile.s <- Pd (the probabilities dropout kept, scaled)
      for (int64_t r = 0; r < rows; ++r) {
        const int64_t t = i0 + r, n = visible_in_tile(a, t, j0, cols);
        float *prow = tile.p.data() + r * ld, *pdrow = tile.s.data() + r * ld;
#pragma omp simd
        for (int64_t c = 0; c < n; ++c) prow[c] = fast_exp(prow[c] - lse[t]);
        std::fill(prow + n, prow + cols, 0.0f);
        if (a.dropout_p > 0.0f) {
          float* mrow = mask + r * ld;
          dropout_mask_span(a.mask_key, a.dropout_p, a.mask_first + t * a.tk + j0, mrow, n);
#pragma omp simd
          for (int64_t c = 0; c < n; ++c) pdrow[c] = prow[c] * mrow[c];
          std::fill(pdrow + n, pdrow + cols, 0.0f);
        }
      }
      if (dh.dv) {
        const float* pd = a.dropout_p > 0.0f ? tile.s.data() : tile.p.data();
        sgemm(true, false, cols, a.hs, rows, 1.0f, pd, ld, dout_i, out_stride, 1.0f,
              dh.dv + j0 * h.v_stride, h.v_stride);
      }
      if (!need_ds) continue;
      sgemm(false, true, rows, cols, a.hs, 1.0f, dout_i, out_stride, h.v + j0 * h.v_stride,
            h.v_stride, 0.0f, tile.s.data(), ld);
      // tile.s <- dS
      for (int64_t r = 0; r < rows; ++r) {
        const int64_t t = i0 + r, n = visible_in_tile(a, t, j0, cols);
        const float* prow = tile.p.data() + r * ld;
        float* dsrow = tile.s.data() + r * ld;
        if (a.dropout_p > 0.0f) {
          const float* mrow = mask + r * ld;
#pragma omp simd
          for (int64_t c = 0; c < n; ++c) dsrow[c] *= mrow[c];
        }
#pragma omp simd
        for (int64_t c = 0; c < n; ++c) dsrow[c] = prow[c] * (dsrow[c] - row_d[t]) * scale;
        std::fill(dsrow + n, dsrow + cols, 0.0f);
      }
      if (dh.dq)
        sgemm(false, false, rows, a.hs, cols, 1.0f, tile.s.data(), ld, h.k + j0 * h.k_stride,
              h.k_stride, 1.0f, dh.dq + i0 * h.q_stride, h.q_stride);
      if (dh.dk)
        sgemm(true, false, cols, a.hs, rows, 1.0f, tile.s.data(), ld, qi, h.q_stride, 1.0f,
              dh.dk + j0 * h.k_stride, h.k_stride);
    }
  }
}

// A (B,T,W) input's slice: where head hd of batch row b starts, in floats.
struct SliceLayout {
  int64_t col, t_len, width;
  int64_t offset(int64_t b, int64_t hd, int64_t hs) const {
    return b * t_len * width + col + hd * hs;
  }
};

SliceLayout check_slice(const char* what, const ColumnSlice& x, int64_t b_len, int64_t channels) {
  const auto& shape = x.var->value.shape;
  if (shape.size() != 3 || shape[0] != b_len)
    throw Error(std::string("multi_head_attention: ") + what + " has shape " +
                shape_to_string(shape) + ", expected (" + std::to_string(b_len) + ", T, W)");
  if (x.col < 0 || x.col + channels > shape[2])
    throw Error(std::string("multi_head_attention: ") + what + "'s columns [" +
                std::to_string(x.col) + ", " + std::to_string(x.col + channels) +
                ") are outside its last axis of " + std::to_string(shape[2]));
  return {x.col, shape[1], shape[2]};
}

// Two slices of one Var must be the same columns or disjoint ones: the backward accumulates each
// head's gradient columns on one thread, and a partial overlap would put one column on two.
void check_no_partial_overlap(const ColumnSlice& a, const ColumnSlice& b, int64_t channels) {
  if (a.var == b.var && a.col != b.col && std::abs(a.col - b.col) < channels)
    throw Error("multi_head_attention: two inputs take overlapping columns [" +
                std::to_string(a.col) + ", ...) and [" + std::to_string(b.col) +
                ", ...) of one Var");
}

// Everything the forward and the backward need to find each (batch, head) pair's operands.
struct AttentionPlan {
  SliceLayout q, k, v;
  int64_t b_len, tq, tk, channels, n_head, hs;
  bool causal;
  int64_t query_offset;
  std::vector<int32_t> key_lengths;  // empty: no padding
  float dropout_p;
  uint64_t mask_key;
  int64_t first_row;  // of the global batch (Graph::batch_row_offset), for the dropout masks

  int64_t pairs() const { return b_len * n_head; }
  // Where pair bh's output (and output gradient) columns start in the (B,Tq,C) output.
  int64_t out_offset(int64_t bh) const {
    return (bh / n_head) * tq * channels + (bh % n_head) * hs;
  }
  // Pair bh's rows in the inputs' values, and in their gradients (same layout; null: none).
  HeadView view(int64_t bh, const float* qp, const float* kp, const float* vp) const {
    const int64_t b = bh / n_head, hd = bh % n_head;
    return {qp + q.offset(b, hd, hs), q.width, kp + k.offset(b, hd, hs), k.width,
            vp + v.offset(b, hd, hs), v.width};
  }
  HeadGrads grads(int64_t bh, float* dq, float* dk, float* dv) const {
    const int64_t b = bh / n_head, hd = bh % n_head;
    return {dq ? dq + q.offset(b, hd, hs) : nullptr, dk ? dk + k.offset(b, hd, hs) : nullptr,
            dv ? dv + v.offset(b, hd, hs) : nullptr};
  }
  HeadTask task(int64_t bh) const {
    const int64_t key_length = key_lengths.empty() ? tk : key_lengths[bh / n_head];
    return {tq,        tk,           hs,
            causal,    query_offset, key_length,
            dropout_p, mask_key,     (first_row * n_head + bh) * tq * tk};
  }
};

// f(bh) for every (batch, head) pair, in parallel when there is enough work.
template <typename F>
void for_each_pair(const AttentionPlan& a, const F& f) {
  parallel_for_each(a.pairs(), a.tq * a.tk * a.hs, f);
}

// A (tq, tk) table per thread, for the table kernel's weights when nobody keeps them.
float* scratch_table(int64_t size) {
  thread_local std::vector<float> table;
  table.resize(size);
  return table.data();
}

}  // namespace

Var multi_head_attention(Graph& g, const ColumnSlice& q, const ColumnSlice& k, const ColumnSlice& v,
                         int64_t channels, int64_t n_head, const AttentionMask& mask,
                         float dropout_p, std::mt19937_64* rng, Tensor* weights_out) {
  OpTimer timer(OpClass::kAttention);
  if (channels <= 0 || n_head <= 0 || channels % n_head != 0)
    throw Error("multi_head_attention: " + std::to_string(channels) +
                " channels do not split into " + std::to_string(n_head) + " heads");
  const int64_t b_len = q.var->value.size(0);
  const SliceLayout ql = check_slice("q", q, b_len, channels);
  const SliceLayout kl = check_slice("k", k, b_len, channels);
  const SliceLayout vl = check_slice("v", v, b_len, channels);
  const int64_t tq = ql.t_len, tk = kl.t_len;
  if (vl.t_len != tk)
    throw Error("multi_head_attention: k has " + std::to_string(tk) + " positions, v has " +
                std::to_string(vl.t_len));
  if (tk < 1) throw Error("multi_head_attention: no keys to attend to");
  const int64_t query_offset = mask.query_offset < 0 ? tk - tq : mask.query_offset;
  if (mask.causal && (query_offset < 0 || query_offset + tq > tk))
    throw Error("multi_head_attention: causal queries at key positions " +
                std::to_string(query_offset) + ".." + std::to_string(query_offset + tq - 1) +
                " do not fit " + std::to_string(tk) + " keys");
  if (!mask.key_lengths.empty() && int64_t(mask.key_lengths.size()) != b_len)
    throw Error("multi_head_attention: " + std::to_string(mask.key_lengths.size()) +
                " key lengths for a batch of " + std::to_string(b_len));
  for (const int32_t len : mask.key_lengths)
    if (len < 1 || len > tk)
      throw Error("multi_head_attention: key length " + std::to_string(len) + " is outside [1, " +
                  std::to_string(tk) + "]");
  check_no_partial_overlap(q, k, channels);
  check_no_partial_overlap(q, v, channels);
  check_no_partial_overlap(k, v, channels);
  const bool use_dropout = dropout_p > 0.0f && g.recording() && rng;
  const AttentionPlan plan{ql,
                           kl,
                           vl,
                           b_len,
                           tq,
                           tk,
                           channels,
                           n_head,
                           channels / n_head,
                           mask.causal,
                           query_offset,
                           {mask.key_lengths.begin(), mask.key_lengths.end()},
                           use_dropout ? dropout_p : 0.0f,
                           use_dropout ? (*rng)() : 0,
                           g.batch_row_offset()};

  Var y = g.output({b_len, tq, channels}, {&q.var, &k.var, &v.var});
  auto lse = y->requires_grad ? std::make_shared<FloatBuffer>(plan.pairs() * tq) : nullptr;
  const bool by_table = weights_out || (!g.recording() && tq <= kAttentionTableMaxQueries);
  if (weights_out) *weights_out = Tensor::uninitialized({b_len, n_head, tq, tk});
  const float *qp = q.var->value.ptr(), *kp = k.var->value.ptr(), *vp = v.var->value.ptr();
  float* out = y->value.ptr();
  for_each_pair(plan, [&](int64_t bh) {
    const HeadView view = plan.view(bh, qp, kp, vp);
    const HeadTask task = plan.task(bh);
    float* o = out + plan.out_offset(bh);
    float* head_lse = lse ? lse->data() + bh * tq : nullptr;
    if (weights_out)
      attention_table_forward(view, task, weights_out->ptr() + bh * tq * tk, o, channels, head_lse);
    else if (by_table)
      attention_table_forward(view, task, scratch_table(tq * tk), o, channels, head_lse);
    else
      attention_tiles_forward(view, task, o, channels, head_lse);
  });
  g.on_backward(y, [q = q.var, k = k.var, v = v.var, y, lse, plan] {
    OpTimer timer(OpClass::kAttention);
    const float *qp = q->value.ptr(), *kp = k->value.ptr(), *vp = v->value.ptr();
    float* dq = q->requires_grad ? q->grad_ptr() : nullptr;
    float* dk = k->requires_grad ? k->grad_ptr() : nullptr;
    float* dv = v->requires_grad ? v->grad_ptr() : nullptr;
    const float *out = y->value.ptr(), *dout = y->grad_ptr();
    for_each_pair(plan, [&](int64_t bh) {
      const int64_t offset = plan.out_offset(bh);
      attention_tiles_backward(plan.view(bh, qp, kp, vp), plan.grads(bh, dq, dk, dv), plan.task(bh),
                               out + offset, dout + offset, plan.channels,
                               lse->data() + bh * plan.tq);
    });
  });
  return y;
}

Var causal_attention(Graph& g, const Var& qkv, int64_t n_head, float dropout_p,
                     std::mt19937_64* rng) {
  const int64_t width = qkv->value.size(-1), c = width / 3;
  if (width != 3 * c || n_head <= 0 || c % n_head != 0)
    throw Error("causal_attention: last axis " + std::to_string(width) +
                " is not 3 x n_head x head_size");
  return multi_head_attention(g, {qkv, 0}, {qkv, c}, {qkv, 2 * c}, c, n_head, {.causal = true},
                              dropout_p, rng);
}

}  // namespace dikkat
