#include <cmath>

#include "tensor/column_sums.h"
#include "tensor/op_profile.h"
#include "tensor/ops.h"
#include "tensor/parallel.h"

namespace dikkat {

// out = (x - mean) * rstd * w + b over each row of C; rstd = 1 / sqrt(var + eps) (biased var).
void layernorm_forward(const float* x, const float* w, const float* b, float* out, float* mean,
                       float* rstd, int64_t n, int64_t c, float eps) {
  parallel_for_each(n, 4 * c, [&](int64_t i) {
    const float* xi = x + i * c;
    float m = 0.0f;
#pragma omp simd reduction(+ : m)
    for (int64_t j = 0; j < c; ++j) m += xi[j];
    m /= float(c);
    float var = 0.0f;
#pragma omp simd reduction(+ : var)
    for (int64_t j = 0; j < c; ++j) var += (xi[j] - m) * (xi[j] - m);
    const float r = 1.0f / std::sqrt(var / float(c) + eps);
    float* oi = out + i * c;
    if (b) {
#pragma omp simd
      for (int64_t j = 0; j < c; ++j) oi[j] = (xi[j] - m) * r * w[j] + b[j];
    } else {
#pragma omp simd
      for (int64_t j = 0; j < c; ++j) oi[j] = (xi[j] - m) * r * w[j];
    }
    if (mean) mean[i] = m;
    if (rstd) rstd[i] = r;
  });
}

// With xhat = (x - mean) * rstd and g = dout * w:
//   dx = rstd * (g - mean(g) - xhat * mean(g * xhat)),  dw += sum_rows dout * xhat,  db += sum dout
static void layernorm_backward(const float* dout, const float* x, const float* w, const float* mean,
                               const float* rstd, float* dx, float* dw, float* db, int64_t n,
                               int64_t c) {
  if (dx) {
    parallel_for_each(n, 4 * c, [&](int64_t i) {
      const float *xi = x + i * c, *di = dout + i * c;
      float mean_g = 0.0f, mean_gx = 0.0f;
#pragma omp simd reduction(+ : mean_g, mean_gx)
      for (int64_t j = 0; j < c; ++j) {
        const float xhat = (xi[j] - mean[i]) * rstd[i];
        mean_g += di[j] * w[j];
        mean_gx += di[j] * w[j] * xhat;
      }
      mean_g /= float(c);
      mean_gx /= float(c);
      float* dxi = dx + i * c;
#pragma omp simd
      for (int64_t j = 0; j < c; ++j) {
        const float xhat = (xi[j] - mean[i]) * rstd[i];
        dxi[j] += rstd[i] * (di[j] * w[j] - mean_g - xhat * mean_gx);
      }
    });
  }
  if (dw || db) {
    // sums[0..c): dw's terms dout * xhat; sums[c..2c): db's terms dout.
    std::vector<float> sums(2 * c, 0.0f);
    accumulate_column_sums(
        n, 2 * c,
        [&](int64_t i, float* acc) {
          const float *xi = x + i * c, *di = dout + i * c;
#pragma omp simd
          for (int64_t j = 0; j < c; ++j) {
            acc[j] += di[j] * (xi[j] - mean[i]) * rstd[i];
            acc[c + j] += di[j];
          }
        },
        sums.data());
    for (int64_t j = 0; j < c; ++j) {
      if (dw) dw[j] += sums[j];
      if (db) db[j] += sums[c + j];
    }
  }
}

Var layernorm(Graph& g, const Var& x, const Var& w, const Var& b, float eps) {
  OpTimer timer(OpClass::kLayerNorm);
  const int64_t c = x->value.size(-1), n = x->value.rows();
  Var out = g.output(x->value.shape, {&x, &w, &b});
  auto stats = std::make_shared<FloatBuffer>(2 * n);
  layernorm_forward(x->value.ptr(), w->value.ptr(), b ? b->value.ptr() : nullptr, out->value.ptr(),
                    stats->data(), stats->data() + n, n, c, eps);
  g.on_backward(out, [x, w, b, out, stats, n, c] {
    OpTimer timer(OpClass::kLayerNorm);
    layernorm_backward(out->grad_ptr(), x->value.ptr(), w->value.ptr(), stats->data(),
                       stats->data() + n, x->requires_grad ? x->grad_ptr() : nullptr,
                       w->requires_grad ? w->grad_ptr() : nullptr,
                       b && b->requires_grad ? b->grad_ptr() : nullptr, n, c);
  });
  return out;
}

}  // namespace dikkat
