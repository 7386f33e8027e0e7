#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "error.h"
#include "tensor/dropout_mask.h"
#include "tensor/fast_math.h"
#include "tensor/op_profile.h"
#include "tensor/ops.h"

namespace dikkat {

namespace {

float dot(const float* a, const float* b, int64_t n) {
  float acc = 0.0f;
#pragma omp simd reduction(+ : acc)
  for (int64_t i = 0; i < n; ++i) acc += a[i] * b[i];
  return acc;
}

void axpy(float alpha, const float* x, float* y, int64_t n) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

// row[0..visible) <- softmax of itself, in place.
DIKKAT_VECTOR_CLONES void softmax_in_place(float* row, int64_t visible) {
  float max_score = -INFINITY;
#pragma omp simd reduction(max : max_score)
  for (int64_t s = 0; s < visible; ++s) max_score = std::max(max_score, row[s]);
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int64_t s = 0; s < visible; ++s) sum += (row[s] = fast_exp(row[s] - max_score));
  const float inv = 1.0f / sum;
#pragma omp simd
  for (int64_t s = 0; s < visible; ++s) row[s] *= inv;
}

// probs[t, s] = softmax_s(q_t . k_s / sqrt(hs)) for s <= past + t, and exactly 0 above that.
void attention_head_weights(const HeadView& h, int64_t tq, int64_t past, int64_t hs, float* probs) {
  const int64_t tk = past + tq;
  const float scale = 1.0f / std::sqrt(float(hs));
  for (int64_t t = 0; t < tq; ++t) {
    float* row = probs + t * tk;
    const float* q = h.q + t * h.q_stride;
    const int64_t visible = past + t + 1;
    for (int64_t s = 0; s < visible; ++s) row[s] = dot(q, h.k + s * h.k_stride, hs) * scale;
    softmax_in_place(row, visible);
    std::fill(row + visible, row + tk, 0.0f);
  }
}

// out[t] = sum_s probs[t, s] v[s]
void attention_head_mix(const float* probs, const float* v, int64_t v_stride, int64_t tq,
                        int64_t past, int64_t hs, float* out, int64_t out_stride) {
  const int64_t tk = past + tq;
  for (int64_t t = 0; t < tq; ++t) {
    float* o = out + t * out_stride;
    std::fill(o, o + hs, 0.0f);
    for (int64_t s = 0; s <= past + t; ++s) axpy(probs[t * tk + s], v + s * v_stride, o, hs);
  }
}

}  // namespace

void attention_head_forward(const HeadView& h, int64_t tq, int64_t past, int64_t head_size,
                            float* probs, float* out, int64_t out_stride) {
  attention_head_weights(h, tq, past, head_size, probs);
  attention_head_mix(probs, h.v, h.v_stride, tq, past, head_size, out, out_stride);
}

// Training's attention, flash-attention style: for each (batch, head), queries and keys go in
// tiles of kAttentionTile rows; a tile of scores S = Q Kᵀ / √hs is one small GEMM, the softmax is
// computed online (a running row maximum m and sum l, earlier output rescaled when m grows), and
// tiles entirely above the causal diagonal are never computed. Only the output and each row's
// log-sum-exp are kept, so memory grows linearly with the context. The backward recomputes each
// tile's probabilities from Q, K and the log-sum-exp. Dropout on the probabilities uses the
// counter-based mask of element (b, h, t, s) of the whole (B,H,T,T) mask, made tile by tile.
// (batch, head) pairs run in parallel; inside a parallel region OpenBLAS runs on the calling
// thread.
namespace {

struct AttentionShape {
  int64_t t_len, n_head, c, hs;
  int64_t stride() const { return 3 * c; }  // floats between rows of qkv
};

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

// Row t (absolute) sees keys j0 .. t of the tile starting at key j0: how many of `cols`.
int64_t visible_keys(int64_t t, int64_t j0, int64_t cols) { return std::min(cols, t - j0 + 1); }

void attention_head_tiles_forward(const AttentionShape& a, const float* q, float* out, float* lse,
                                  uint64_t mask_key, float dropout_p, int64_t mask_first) {
  TileScratch& tile = tile_scratch();
  const int64_t stride = a.stride(), ld = kAttentionTile;
  const float scale = 1.0f / std::sqrt(float(a.hs));
  const float *k = q + a.c, *v = q + 2 * a.c;
  float row_max[kAttentionTile], row_sum[kAttentionTile];
  for (int64_t i0 = 0; i0 < a.t_len; i0 += kAttentionTile) {
    const int64_t rows = std::min(kAttentionTile, a.t_len - i0);
    float* o = out + i0 * a.c;
    for (int64_t r = 0; r < rows; ++r) std::fill_n(o + r * a.c, a.hs, 0.0f);
    std::fill_n(row_max, rows, -INFINITY);
    std::fill_n(row_sum, rows, 0.0f);
    for (int64_t j0 = 0; j0 < i0 + rows; j0 += kAttentionTile) {
      const int64_t cols = std::min(kAttentionTile, a.t_len - j0);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, cols, a.hs, scale, q + i0 * stride,
                  stride, k + j0 * stride, stride, 0.0f, tile.s.data(), ld);
      for (int64_t r = 0; r < rows; ++r) {
        const int64_t t = i0 + r, n = visible_keys(t, j0, cols);
        float* srow = tile.s.data() + r * ld;
        float tile_max = -INFINITY;
#pragma omp simd reduction(max : tile_max)
        for (int64_t c = 0; c < n; ++c) tile_max = std::max(tile_max, srow[c]);
        const float new_max = std::max(row_max[r], tile_max);
        // Underflows to ~0 while row_max is still -inf, when the output and sum are 0 anyway.
        const float rescale = fast_exp(row_max[r] - new_max);
        float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
        for (int64_t c = 0; c < n; ++c) sum += (srow[c] = fast_exp(srow[c] - new_max));
        std::fill(srow + n, srow + cols, 0.0f);
        row_sum[r] = row_sum[r] * rescale + sum;
        row_max[r] = new_max;
        float* orow = o + r * a.c;
#pragma omp simd
        for (int64_t d = 0; d < a.hs; ++d) orow[d] *= rescale;
        if (dropout_p > 0.0f) {
          dropout_mask_span(mask_key, dropout_p, mask_first + t * a.t_len + j0, tile.mask.data(),
                            n);
#pragma omp simd
          for (int64_t c = 0; c < n; ++c) srow[c] *= tile.mask[c];
        }
      }
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, a.hs, cols, 1.0f, tile.s.data(),
                  ld, v + j0 * stride, stride, 1.0f, o, a.c);
    }
    for (int64_t r = 0; r < rows; ++r) {
      const float inv = 1.0f / row_sum[r];
      float* orow = o + r * a.c;
#pragma omp simd
      for (int64_t d = 0; d < a.hs; ++d) orow[d] *= inv;
      lse[i0 + r] = row_max[r] + std::log(row_sum[r]);
    }
  }
}

// With P the probabilities, M the dropout mask, Pd = P * M, O the output and dO its gradient:
//   dV += Pdᵀ dO    dP = (dO Vᵀ) * M    dS = P * (dP - D) / √hs with D = rowsum(dO * O)
//   dQ += dS K      dK += dSᵀ Q
// (rowsum(P * dP) = dO · Σ Pd V = dO · O, so D needs neither P nor M in full.)
void attention_head_tiles_backward(const AttentionShape& a, const float* q, float* dq,
                                   const float* out, const float* dout, const float* lse,
                                   uint64_t mask_key, float dropout_p, int64_t mask_first) {
  TileScratch& tile = tile_scratch();
  const int64_t stride = a.stride(), ld = kAttentionTile;
  const float scale = 1.0f / std::sqrt(float(a.hs));
  const float *k = q + a.c, *v = q + 2 * a.c;
  float *dk = dq + a.c, *dv = dq + 2 * a.c;
  tile.row_d.resize(a.t_len);
  float *row_d = tile.row_d.data(), *mask = tile.mask.data();
  for (int64_t t = 0; t < a.t_len; ++t) row_d[t] = dot(dout + t * a.c, out + t * a.c, a.hs);
  for (int64_t j0 = 0; j0 < a.t_len; j0 += kAttentionTile) {
    const int64_t cols = std::min(kAttentionTile, a.t_len - j0);
    for (int64_t i0 = j0; i0 < a.t_len; i0 += kAttentionTile) {
      const int64_t rows = std::min(kAttentionTile, a.t_len - i0);
      const float* qi = q + i0 * stride;
      const float* dout_i = dout + i0 * a.c;
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, cols, a.hs, scale, qi, stride,
                  k + j0 * stride, stride, 0.0f, tile.p.data(), ld);
      // tile.p <- P; tile.s <- Pd (the probabilities dropout kept, scaled)
      for (int64_t r = 0; r < rows; ++r) {
        const int64_t t = i0 + r, n = visible_keys(t, j0, cols);
        float *prow = tile.p.data() + r * ld, *pdrow = tile.s.data() + r * ld;
#pragma omp simd
        for (int64_t c = 0; c < n; ++c) prow[c] = fast_exp(prow[c] - lse[t]);
        std::fill(prow + n, prow + cols, 0.0f);
        if (dropout_p > 0.0f) {
          float* mrow = mask + r * ld;
          dropout_mask_span(mask_key, dropout_p, mask_first + t * a.t_len + j0, mrow, n);
#pragma omp simd
          for (int64_t c = 0; c < n; ++c) pdrow[c] = prow[c] * mrow[c];
          std::fill(pdrow + n, pdrow + cols, 0.0f);
        }
      }
      const float* pd = dropout_p > 0.0f ? tile.s.data() : tile.p.data();
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, cols, a.hs, rows, 1.0f, pd, ld, dout_i,
                  a.c, 1.0f, dv + j0 * stride, stride);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, cols, a.hs, 1.0f, dout_i, a.c,
                  v + j0 * stride, stride, 0.0f, tile.s.data(), ld);
      // tile.s <- dS
      for (int64_t r = 0; r < rows; ++r) {
        const int64_t t = i0 + r, n = visible_keys(t, j0, cols);
        const float* prow = tile.p.data() + r * ld;
        float* dsrow = tile.s.data() + r * ld;
        if (dropout_p > 0.0f) {
          const float* mrow = mask + r * ld;
#pragma omp simd
          for (int64_t c = 0; c < n; ++c) dsrow[c] *= mrow[c];
        }
#pragma omp simd
        for (int64_t c = 0; c < n; ++c) dsrow[c] = prow[c] * (dsrow[c] - row_d[t]) * scale;
        std::fill(dsrow + n, dsrow + cols, 0.0f);
      }
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, a.hs, cols, 1.0f, tile.s.data(),
                  ld, k + j0 * stride, stride, 1.0f, dq + i0 * stride, stride);
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, cols, a.hs, rows, 1.0f, tile.s.data(),
                  ld, qi, stride, 1.0f, dk + j0 * stride, stride);
    }
  }
}

}  // namespace

Var causal_attention(Graph& g, const Var& qkv, int64_t n_head, float dropout_p,
                     std::mt19937_64* rng) {
  OpTimer timer(OpClass::kAttention);
  const int64_t b_len = qkv->value.size(0), t_len = qkv->value.size(1);
  const int64_t c = qkv->value.size(2) / 3, hs = c / n_head;
  if (qkv->value.size(2) != 3 * c || hs * n_head != c)
    throw Error("causal_attention: last axis " + std::to_string(qkv->value.size(2)) +
                " is not 3 x n_head x head_size");
  const AttentionShape shape{t_len, n_head, c, hs};
  Var y = g.output({b_len, t_len, c}, {&qkv});
  auto lse = std::make_shared<FloatBuffer>(b_len * n_head * t_len);
  const bool use_dropout = dropout_p > 0.0f && g.recording() && rng;
  const float p = use_dropout ? dropout_p : 0.0f;
  const uint64_t mask_key = use_dropout ? (*rng)() : 0;
  const float* base = qkv->value.ptr();
  float* out = y->value.ptr();
#pragma omp parallel for schedule(static)
  for (int64_t bh = 0; bh < b_len * n_head; ++bh) {
    const int64_t b = bh / n_head, hd = bh % n_head;
    attention_head_tiles_forward(shape, base + b * t_len * 3 * c + hd * hs,
                                 out + b * t_len * c + hd * hs, lse->data() + bh * t_len, mask_key,
                                 p, bh * t_len * t_len);
  }
  g.on_backward(y, [qkv, y, lse, shape, b_len, mask_key, p] {
    OpTimer timer(OpClass::kAttention);
    const int64_t t_len = shape.t_len, c = shape.c, hs = shape.hs, n_head = shape.n_head;
    const float* base = qkv->value.ptr();
    float* dbase = qkv->grad_ptr();
    const float *out = y->value.ptr(), *dout = y->grad_ptr();
#pragma omp parallel for schedule(static)
    for (int64_t bh = 0; bh < b_len * n_head; ++bh) {
      const int64_t b = bh / n_head, hd = bh % n_head;
      const int64_t in_offset = b * t_len * 3 * c + hd * hs, out_offset = b * t_len * c + hd * hs;
      attention_head_tiles_backward(shape, base + in_offset, dbase + in_offset, out + out_offset,
                                    dout + out_offset, lse->data() + bh * t_len, mask_key, p,
                                    bh * t_len * t_len);
    }
  });
  return y;
}

}  // namespace dikkat
