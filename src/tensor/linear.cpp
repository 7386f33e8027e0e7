#include <cblas.h>

#include <algorithm>

#include "tensor/op_profile.h"
#include "tensor/ops.h"

namespace dikkat {

// y (N,out) = x (N,in) . W^T (in,out) + b
void linear_forward(const float* x, const float* w, const float* b, float* y, int64_t n, int64_t in,
                    int64_t out) {
  if (n == 1) {
    // One row (a generated token): a matrix-vector product that streams W once.
    if (b) std::copy_n(b, out, y);
    cblas_sgemv(CblasRowMajor, CblasNoTrans, out, in, 1.0f, w, in, x, 1, b ? 1.0f : 0.0f, y, 1);
    return;
  }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, out, in, 1.0f, x, in, w, in, 0.0f, y,
              out);
  if (!b) return;
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) {
    float* row = y + i * out;
    for (int64_t j = 0; j < out; ++j) row[j] += b[j];
  }
}

// dx (N,in) += dy (N,out) . W (out,in);  dW (out,in) += dy^T (out,N) . x (N,in);  db += sum_N dy
void linear_backward(const float* dy, const float* x, const float* w, float* dx, float* dw,
                     float* db, int64_t n, int64_t in, int64_t out) {
  if (dx)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, in, out, 1.0f, dy, out, w, in, 1.0f,
                dx, in);
  if (dw)
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, n, 1.0f, dy, out, x, in, 1.0f, dw,
                in);
  if (db) {
    // Columns are independent, so each thread owns a slice of db and the sum order is fixed.
#pragma omp parallel for schedule(static)
    for (int64_t j = 0; j < out; ++j) {
      float acc = 0.0f;
      for (int64_t i = 0; i < n; ++i) acc += dy[i * out + j];
      db[j] += acc;
    }
  }
}

Var linear(Graph& g, const Var& x, const Var& w, const Var& b) {
  OpTimer timer(OpClass::kMatmul);
  const int64_t in = w->value.size(1), out_features = w->value.size(0), n = x->value.rows();
  std::vector<int64_t> shape = x->value.shape;
  shape.back() = out_features;
  Var y = g.output(shape, {&x, &w, &b});
  linear_forward(x->value.ptr(), w->value.ptr(), b ? b->value.ptr() : nullptr, y->value.ptr(), n,
                 in, out_features);
  g.on_backward(y, [x, w, b, y, n, in, out_features] {
    OpTimer timer(OpClass::kMatmul);
    linear_backward(y->grad_ptr(), x->value.ptr(), w->value.ptr(),
                    x->requires_grad ? x->grad_ptr() : nullptr,
                    w->requires_grad ? w->grad_ptr() : nullptr,
                    b && b->requires_grad ? b->grad_ptr() : nullptr, n, in, out_features);
  });
  return y;
}

}  // namespace dikkat
