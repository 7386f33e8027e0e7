#include <cmath>
#include <numbers>

#include "tensor/column_sums.h"
#include "tensor/fast_math.h"
#include "tensor/op_profile.h"
#include "tensor/ops.h"
#include "tensor/parallel.h"

namespace dikkat {

namespace {

constexpr float kInvSqrt2 = 1.0f / std::numbers::sqrt2_v<float>;
constexpr float kInvSqrt2Pi =
    0.5f * std::numbers::inv_sqrtpi_v<float> * std::numbers::sqrt2_v<float>;

// GELU(x) = x * Phi(x) with Phi the standard normal CDF = 0.5 * (1 + erf(x / sqrt 2)): the exact
// form, as torch.nn.GELU, with a vectorisable erf (fast_math.h) instead of libm's scalar one.
inline float gelu(float x) { return 0.5f * x * (1.0f + fast_erf(x * kInvSqrt2)); }
// GELU'(x) = Phi(x) + x * phi(x), phi the standard normal density.
inline float gelu_slope(float x) {
  return 0.5f * (1.0f + fast_erf(x * kInvSqrt2)) + x * kInvSqrt2Pi * fast_exp(-0.5f * x * x);
}

// One row of the fused op: y = act(x + b); b may be null.
DIKKAT_VECTOR_CLONES void bias_gelu_row(const float* x, const float* b, float* y, int64_t c) {
#pragma omp simd
  for (int64_t j = 0; j < c; ++j) y[j] = gelu(x[j] + (b ? b[j] : 0.0f));
}

void bias_relu_row(const float* x, const float* b, float* y, int64_t c) {
#pragma omp simd
  for (int64_t j = 0; j < c; ++j) y[j] = std::max(x[j] + (b ? b[j] : 0.0f), 0.0f);
}

DIKKAT_VECTOR_CLONES void bias_tanh_row(const float* x, const float* b, float* y, int64_t c) {
#pragma omp simd
  for (int64_t j = 0; j < c; ++j) y[j] = fast_tanh(x[j] + (b ? b[j] : 0.0f));
}

// Its backward: d = dy * act'(x + b); dx += d; db_terms += d (db_terms may be null).
DIKKAT_VECTOR_CLONES void bias_gelu_row_backward(const float* x, const float* b, const float* dy,
                                                 float* dx, float* db_terms, int64_t c) {
#pragma omp simd
  for (int64_t j = 0; j < c; ++j) {
    const float d = dy[j] * gelu_slope(x[j] + (b ? b[j] : 0.0f));
    dx[j] += d;
    if (db_terms) db_terms[j] += d;
  }
}

void bias_relu_row_backward(const float* x, const float* b, const float* dy, float* dx,
                            float* db_terms, int64_t c) {
#pragma omp simd
  for (int64_t j = 0; j < c; ++j) {
    const float d = x[j] + (b ? b[j] : 0.0f) > 0.0f ? dy[j] : 0.0f;
    dx[j] += d;
    if (db_terms) db_terms[j] += d;
  }
}

// tanh' = 1 - tanh²: recomputed from x + b, as the other activations do.
DIKKAT_VECTOR_CLONES void bias_tanh_row_backward(const float* x, const float* b, const float* dy,
                                                 float* dx, float* db_terms, int64_t c) {
#pragma omp simd
  for (int64_t j = 0; j < c; ++j) {
    const float t = fast_tanh(x[j] + (b ? b[j] : 0.0f));
    const float d = dy[j] * (1.0f - t * t);
    dx[j] += d;
    if (db_terms) db_terms[j] += d;
  }
}

using Row = void (*)(const float*, const float*, float*, int64_t);
using RowBackward = void (*)(const float*, const float*, const float*, float*, float*, int64_t);

Row row_of(Activation act) {
  switch (act) {
    case Activation::kGelu:
      return bias_gelu_row;
    case Activation::kRelu:
      return bias_relu_row;
    case Activation::kTanh:
      return bias_tanh_row;
  }
  return bias_gelu_row;  // every Activation is handled above
}

RowBackward row_backward_of(Activation act) {
  switch (act) {
    case Activation::kGelu:
      return bias_gelu_row_backward;
    case Activation::kRelu:
      return bias_relu_row_backward;
    case Activation::kTanh:
      return bias_tanh_row_backward;
  }
  return bias_gelu_row_backward;  // every Activation is handled above
}

// The loop is its own function: target_clones does not reach into the parallel loop's lambda.
DIKKAT_VECTOR_CLONES void gelu_range(const float* x, float* y, int64_t begin, int64_t end) {
#pragma omp simd
  for (int64_t i = begin; i < end; ++i) y[i] = gelu(x[i]);
}

}  // namespace

void gelu_forward(const float* x, float* y, int64_t n) {
  parallel_for(n, kParallelMinOps,
               [&](int64_t begin, int64_t end) { gelu_range(x, y, begin, end); });
}

void relu_forward(const float* x, float* y, int64_t n) {
  parallel_for(n, kParallelMinOps, [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
  });
}

// The FFN's (or any linear layer's) bias and activation in one pass over the hidden layer each way:
// the linear before it runs without its bias, and the bias gradient is summed in the same pass as
// dx.
Var bias_activation(Graph& g, const Var& x, const Var& b, Activation act) {
  OpTimer timer(OpClass::kActivation);
  const int64_t c = x->value.size(-1), n = x->value.rows();
  Var y = g.output(x->value.shape, {&x, &b});
  const Row row = row_of(act);
  const float* pb = b ? b->value.ptr() : nullptr;
  parallel_for_each(n, 4 * c,
                    [&](int64_t i) { row(x->value.ptr() + i * c, pb, y->value.ptr() + i * c, c); });
  g.on_backward(y, [x, b, y, act, n, c] {
    OpTimer timer(OpClass::kActivation);
    const RowBackward row_backward = row_backward_of(act);
    const float *px = x->value.ptr(), *dy = y->grad_ptr(), *pb = b ? b->value.ptr() : nullptr;
    // x always needs its gradient here: it is the output of the linear layer before.
    float* dx = x->grad_ptr();
    auto backward_row = [&](int64_t i, float* db_terms) {
      row_backward(px + i * c, pb, dy + i * c, dx + i * c, db_terms, c);
    };
    if (b && b->requires_grad) {
      accumulate_column_sums(n, c, backward_row, b->grad_ptr());
      return;
    }
    parallel_for_each(n, 4 * c, [&](int64_t i) { backward_row(i, nullptr); });
  });
  return y;
}

}  // namespace dikkat
