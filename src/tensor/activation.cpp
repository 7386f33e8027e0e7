#include <cmath>
#include <numbers>

#include "tensor/fast_math.h"
#include "tensor/op_profile.h"
#include "tensor/ops.h"

namespace dikkat {

// GELU(x) = x * Phi(x) with Phi the standard normal CDF = 0.5 * (1 + erf(x / sqrt 2)): the exact
// form, as torch.nn.GELU, with a vectorisable erf (fast_math.h) instead of libm's scalar one.
DIKKAT_VECTOR_CLONES void gelu_forward(const float* x, float* y, int64_t n) {
  const float inv_sqrt2 = 1.0f / std::numbers::sqrt2_v<float>;
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; ++i) y[i] = 0.5f * x[i] * (1.0f + fast_erf(x[i] * inv_sqrt2));
}

// GELU'(x) = Phi(x) + x * phi(x), phi the standard normal density.
DIKKAT_VECTOR_CLONES static void gelu_backward(const float* x, const float* dy, float* dx,
                                               int64_t n) {
  const float inv_sqrt2 = 1.0f / std::numbers::sqrt2_v<float>;
  const float inv_sqrt_2pi =
      0.5f * std::numbers::inv_sqrtpi_v<float> * std::numbers::sqrt2_v<float>;
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; ++i) {
    const float cdf = 0.5f * (1.0f + fast_erf(x[i] * inv_sqrt2));
    const float pdf = inv_sqrt_2pi * fast_exp(-0.5f * x[i] * x[i]);
    dx[i] += dy[i] * (cdf + x[i] * pdf);
  }
}

void relu_forward(const float* x, float* y, int64_t n) {
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

static void relu_backward(const float* x, const float* dy, float* dx, int64_t n) {
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; ++i) dx[i] += x[i] > 0.0f ? dy[i] : 0.0f;
}

Var gelu(Graph& g, const Var& x) {
  OpTimer timer(OpClass::kActivation);
  Var y = g.output(x->value.shape, {&x});
  gelu_forward(x->value.ptr(), y->value.ptr(), x->value.numel());
  g.on_backward(y, [x, y] {
    OpTimer timer(OpClass::kActivation);
    gelu_backward(x->value.ptr(), y->grad_ptr(), x->grad_ptr(), x->value.numel());
  });
  return y;
}

Var relu(Graph& g, const Var& x) {
  OpTimer timer(OpClass::kActivation);
  Var y = g.output(x->value.shape, {&x});
  relu_forward(x->value.ptr(), y->value.ptr(), x->value.numel());
  g.on_backward(y, [x, y] {
    OpTimer timer(OpClass::kActivation);
    relu_backward(x->value.ptr(), y->grad_ptr(), x->grad_ptr(), x->value.numel());
  });
  return y;
}

}  // namespace dikkat
