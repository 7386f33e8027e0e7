#include <algorithm>
#include <cmath>
#include <vector>

#include "error.h"
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

// probs[t, s] = softmax_s(q_t . k_s / sqrt(hs)) for s <= past + t, and exactly 0 above that.
void attention_head_weights(const HeadView& h, int64_t tq, int64_t past, int64_t hs, float* probs) {
  const int64_t tk = past + tq;
  const float scale = 1.0f / std::sqrt(float(hs));
  for (int64_t t = 0; t < tq; ++t) {
    float* row = probs + t * tk;
    const float* q = h.q + t * h.q_stride;
    const int64_t visible = past + t + 1;
    float max_score = -INFINITY;
    for (int64_t s = 0; s < visible; ++s) {
      row[s] = dot(q, h.k + s * h.k_stride, hs) * scale;
      max_score = std::max(max_score, row[s]);
    }
    float sum = 0.0f;
    for (int64_t s = 0; s < visible; ++s) sum += (row[s] = std::exp(row[s] - max_score));
    const float inv = 1.0f / sum;
    for (int64_t s = 0; s < visible; ++s) row[s] *= inv;
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

namespace {

// Gradients of one head (T queries, no past), given probs P, the weights actually used Pd
// (P with dropout applied; the same array as P without dropout) and the dropout scale mask M:
//   dV[s] += sum_t Pd[t,s] dY[t]        dPd[t,s] = dY[t] . V[s]        dP = dPd * M
//   dS[t,s] = P[t,s] (dP[t,s] - sum_s' P[t,s'] dP[t,s'])   (softmax backward)
//   dQ[t] += scale sum_s dS[t,s] K[s]   dK[s] += scale sum_t dS[t,s] Q[t]
void attention_head_backward(const HeadView& h, const float* p, const float* pd, const float* mask,
                             const float* dy, int64_t dy_stride, float* dq, float* dk, float* dv,
                             int64_t dqkv_stride, int64_t t_len, int64_t hs,
                             std::vector<float>& dp) {
  const float scale = 1.0f / std::sqrt(float(hs));
  dp.resize(t_len);
  for (int64_t t = 0; t < t_len; ++t) {
    const float* dyt = dy + t * dy_stride;
    const float *pt = p + t * t_len, *pdt = pd + t * t_len;
    float weighted = 0.0f;
    for (int64_t s = 0; s <= t; ++s) {
      axpy(pdt[s], dyt, dv + s * dqkv_stride, hs);
      dp[s] = dot(dyt, h.v + s * h.v_stride, hs) * (mask ? mask[t * t_len + s] : 1.0f);
      weighted += pt[s] * dp[s];
    }
    for (int64_t s = 0; s <= t; ++s) {
      const float ds = pt[s] * (dp[s] - weighted) * scale;
      axpy(ds, h.k + s * h.k_stride, dq + t * dqkv_stride, hs);
      axpy(ds, h.q + t * h.q_stride, dk + s * dqkv_stride, hs);
    }
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
  // Drawn serially before the parallel loop so a seed gives the same mask on any thread count.
  auto mask = std::make_shared<std::vector<float>>();
  if (use_dropout) {
    mask->resize(probs->size());
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    for (float& m : *mask) m = uniform(*rng) < dropout_p ? 0.0f : 1.0f / (1.0f - dropout_p);
  }
  auto dropped = std::make_shared<std::vector<float>>(use_dropout ? probs->size() : 0);
  const float* base = qkv->value.ptr();
  float* out = y->value.ptr();
  const int64_t stride = 3 * c;
#pragma omp parallel for schedule(static)
  for (int64_t bh = 0; bh < b_len * n_head; ++bh) {
    const int64_t b = bh / n_head, hd = bh % n_head;
    const float* q = base + b * t_len * stride + hd * hs;
    HeadView view{q, stride, q + c, stride, q + 2 * c, stride};
    float* p = probs->data() + bh * tt;
    attention_head_weights(view, t_len, 0, hs, p);
    const float* used = p;
    if (use_dropout) {
      float* pd = dropped->data() + bh * tt;
      for (int64_t i = 0; i < tt; ++i) pd[i] = p[i] * (*mask)[bh * tt + i];
      used = pd;
    }
    attention_head_mix(used, view.v, stride, t_len, 0, hs, out + b * t_len * c + hd * hs, c);
  }
  if (probs_out) {
    probs_out->shape = {b_len, n_head, t_len, t_len};
    probs_out->data = *probs;
  }
  g.on_backward(y, [qkv, y, probs, mask, dropped, b_len, t_len, n_head, c, hs, tt] {
    OpTimer timer(OpClass::kAttention);
    const int64_t stride = 3 * c;
    const float* base = qkv->value.ptr();
    float* dbase = qkv->grad_ptr();
    const float* dy = y->grad_ptr();
    const bool with_mask = !mask->empty();
#pragma omp parallel for schedule(static)
    for (int64_t bh = 0; bh < b_len * n_head; ++bh) {
      std::vector<float> dp;
      const int64_t b = bh / n_head, hd = bh % n_head;
      const int64_t offset = b * t_len * stride + hd * hs;
      const float* q = base + offset;
      HeadView view{q, stride, q + c, stride, q + 2 * c, stride};
      const float* p = probs->data() + bh * tt;
      attention_head_backward(view, p, with_mask ? dropped->data() + bh * tt : p,
                              with_mask ? mask->data() + bh * tt : nullptr,
                              dy + b * t_len * c + hd * hs, c, dbase + offset, dbase + offset + c,
                              dbase + offset + 2 * c, stride, t_len, hs, dp);
    }
  });
  return y;
}

}  // namespace dikkat
