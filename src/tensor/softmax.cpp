#include <algorithm>
#include <cmath>

#include "tensor/op_profile.h"
#include "tensor/ops.h"

namespace dikkat {

// y = exp(x - max) / sum exp(x - max), row by row (subtracting the max keeps exp finite).
void softmax_forward(const float* x, float* y, int64_t n, int64_t c) {
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) {
    const float* xi = x + i * c;
    float* yi = y + i * c;
    const float m = *std::max_element(xi, xi + c);
    float sum = 0.0f;
    for (int64_t j = 0; j < c; ++j) sum += (yi[j] = std::exp(xi[j] - m));
    const float inv = 1.0f / sum;
    for (int64_t j = 0; j < c; ++j) yi[j] *= inv;
  }
}

// dx = y * (dy - sum(dy * y))
static void softmax_backward(const float* y, const float* dy, float* dx, int64_t n, int64_t c) {
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) {
    const float *yi = y + i * c, *di = dy + i * c;
    float dot = 0.0f;
    for (int64_t j = 0; j < c; ++j) dot += yi[j] * di[j];
    for (int64_t j = 0; j < c; ++j) dx[i * c + j] += yi[j] * (di[j] - dot);
  }
}

Var softmax(Graph& g, const Var& x) {
  OpTimer timer(OpClass::kAttention);
  const int64_t c = x->value.size(-1), n = x->value.rows();
  Var y = g.output(x->value.shape, {&x});
  softmax_forward(x->value.ptr(), y->value.ptr(), n, c);
  g.on_backward(y, [x, y, n, c] {
    OpTimer timer(OpClass::kAttention);
    softmax_backward(y->value.ptr(), y->grad_ptr(), x->grad_ptr(), n, c);
  });
  return y;
}

}  // namespace dikkat
