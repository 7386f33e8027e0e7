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

// Training's attention, one (batch, head) at a time through BLAS: S = Q Kᵀ / √hs for the whole
// T x T block (the upper triangle is computed and then ignored: at these sizes a GEMM is
// several times faster than the triangle as dot products), the causal softmax row by row, and
// Y = P V. The backward is four more GEMMs per head. Heads run in parallel; inside a parallel
// region OpenBLAS runs each GEMM on the calling thread.
namespace {

// p (T,T) <- causal softmax of the scores already in p; zeros above the diagonal.
void causal_softmax_rows(float* p, int64_t t_len) {
  for (int64_t t = 0; t < t_len; ++t) {
    float* row = p + t * t_len;
    softmax_in_place(row, t + 1);
    std::fill(row + t + 1, row + t_len, 0.0f);
  }
}

}  // namespace

Var causal_attention(Graph& g, const Var& qkv, int64_t n_head, float dropout_p,
                     std::mt19937_64* rng, Tensor* probs_out) {
  OpTimer timer(OpClass::kAttention);
  const int64_t b_len = qkv->value.size(0), t_len = qkv->value.size(1);
  const int64_t c = qkv->value.size(2) / 3, hs = c / n_head;
  if (qkv->value.size(2) != 3 * c || hs * n_head != c)
    throw Error("causal_attention: last axis " + std::to_string(qkv->value.size(2)) +
                " is not 3 x n_head x head_size");
  Var y = g.output({b_len, t_len, c}, {&qkv});
  const int64_t tt = t_len * t_len;
  auto probs = std::make_shared<std::vector<float>>(b_len * n_head * tt);
  const bool use_dropout = dropout_p > 0.0f && g.recording() && rng;
  auto mask = std::make_shared<std::vector<float>>();
  auto dropped = std::make_shared<std::vector<float>>();
  if (use_dropout) {
    mask->resize(probs->size());
    dropped->resize(probs->size());
    fill_dropout_mask((*rng)(), dropout_p, mask->data(), int64_t(mask->size()));
  }
  const float* base = qkv->value.ptr();
  float* out = y->value.ptr();
  const int64_t stride = 3 * c;
  const float scale = 1.0f / std::sqrt(float(hs));
#pragma omp parallel for schedule(static)
  for (int64_t bh = 0; bh < b_len * n_head; ++bh) {
    const int64_t b = bh / n_head, hd = bh % n_head;
    const float* q = base + b * t_len * stride + hd * hs;
    float* p = probs->data() + bh * tt;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, t_len, t_len, hs, scale, q, stride, q + c,
                stride, 0.0f, p, t_len);
    causal_softmax_rows(p, t_len);
    const float* used = p;
    if (use_dropout) {
      float* pd = dropped->data() + bh * tt;
      const float* m = mask->data() + bh * tt;
      for (int64_t i = 0; i < tt; ++i) pd[i] = p[i] * m[i];
      used = pd;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, t_len, hs, t_len, 1.0f, used, t_len,
                q + 2 * c, stride, 0.0f, out + b * t_len * c + hd * hs, c);
  }
  if (probs_out) {
    probs_out->shape = {b_len, n_head, t_len, t_len};
    probs_out->data = *probs;
  }
  // With P the weights, Pd = P * M the weights used (M the dropout mask), dY the output's grad:
  //   dV += Pdᵀ dY    dPd = dY Vᵀ    dP = dPd * M
  //   dS = P * (dP - rowsum(P * dP)) / √hs    dQ += dS K    dK += dSᵀ Q
  g.on_backward(y, [qkv, y, probs, mask, dropped, b_len, t_len, n_head, c, hs, tt, scale] {
    OpTimer timer(OpClass::kAttention);
    const int64_t stride = 3 * c;
    const float* base = qkv->value.ptr();
    float* dbase = qkv->grad_ptr();
    const float* dy_all = y->grad_ptr();
    const bool with_mask = !mask->empty();
#pragma omp parallel
    {
      std::vector<float> ds(tt);
#pragma omp for schedule(static)
      for (int64_t bh = 0; bh < b_len * n_head; ++bh) {
        const int64_t b = bh / n_head, hd = bh % n_head;
        const int64_t offset = b * t_len * stride + hd * hs;
        const float *q = base + offset, *k = q + c, *v = q + 2 * c;
        float *dq = dbase + offset, *dk = dq + c, *dv = dq + 2 * c;
        const float* dy = dy_all + b * t_len * c + hd * hs;
        const float* p = probs->data() + bh * tt;
        const float* used = with_mask ? dropped->data() + bh * tt : p;
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, t_len, hs, t_len, 1.0f, used, t_len,
                    dy, c, 1.0f, dv, stride);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, t_len, t_len, hs, 1.0f, dy, c, v,
                    stride, 0.0f, ds.data(), t_len);
        for (int64_t t = 0; t < t_len; ++t) {
          float* row = ds.data() + t * t_len;
          const float* pt = p + t * t_len;
          if (with_mask) {
            const float* m = mask->data() + bh * tt + t * t_len;
            for (int64_t s = 0; s <= t; ++s) row[s] *= m[s];
          }
          float weighted = 0.0f;
#pragma omp simd reduction(+ : weighted)
          for (int64_t s = 0; s <= t; ++s) weighted += pt[s] * row[s];
#pragma omp simd
          for (int64_t s = 0; s <= t; ++s) row[s] = pt[s] * (row[s] - weighted) * scale;
          std::fill(row + t + 1, row + t_len, 0.0f);
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, t_len, hs, t_len, 1.0f, ds.data(),
                    t_len, k, stride, 1.0f, dq, stride);
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, t_len, hs, t_len, 1.0f, ds.data(),
                    t_len, q, stride, 1.0f, dk, stride);
      }
    }
  });
  return y;
}

}  // namespace dikkat
