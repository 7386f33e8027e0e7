#include <algorithm>
#include <memory>
#include <vector>

#include "tensor/bf16_matmul.h"
#include "tensor/column_sums.h"
#include "tensor/fast_math.h"
#include "tensor/gemm.h"
#include "tensor/op_profile.h"
#include "tensor/ops.h"
#include "tensor/parallel.h"

namespace dikkat {

namespace {

void add_bias_rows(const float* b, float* y, int64_t n, int64_t out) {
  parallel_for_each(n, out, [&](int64_t i) {
    float* row = y + i * out;
#pragma omp simd
    for (int64_t j = 0; j < out; ++j) row[j] += b[j];
  });
}

void accumulate_bias_grad(const float* dy, float* db, int64_t n, int64_t out) {
  accumulate_column_sums(
      n, out,
      [&](int64_t i, float* acc) {
        const float* row = dy + i * out;
#pragma omp simd
        for (int64_t j = 0; j < out; ++j) acc[j] += row[j];
      },
      db);
}

using Bf16Buffer = std::vector<bf16_t, DefaultInitAllocator<bf16_t>>;

// y = W x (+ b) for one row x: each output is a dot product with one row of W, rows split
// between threads, so W streams from memory once at the machine's read bandwidth. OpenBLAS's
// sgemv reached 22-25 GB/s on gpt2-small's shapes here, this 28-45.
// The dot products are their own function: target_clones does not reach into a lambda, and the
// parallel loop's body would be built for baseline x86-64 only.
DIKKAT_VECTOR_CLONES void matrix_vector_rows(const float* w, const float* x, const float* b,
                                             float* y, int64_t in, int64_t begin, int64_t end) {
  for (int64_t r = begin; r < end; ++r) {
    const float* row = w + r * in;
    float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
    for (int64_t i = 0; i < in; ++i) sum += row[i] * x[i];
    y[r] = b ? sum + b[r] : sum;
  }
}

void matrix_vector(const float* w, const float* x, const float* b, float* y, int64_t in,
                   int64_t out) {
  parallel_for(out, std::max<int64_t>(1, kParallelMinOps / std::max<int64_t>(in, 1)),
               [&](int64_t begin, int64_t end) { matrix_vector_rows(w, x, b, y, in, begin, end); });
}

std::shared_ptr<Bf16Buffer> to_bf16(const float* x, int64_t n) {
  auto out = std::make_shared<Bf16Buffer>(n);
  float_to_bf16(x, out->data(), n);
  return out;
}

// Mixed precision (Graph with MatmulPrecision::kBf16): fills linear's output y and records its
// backward, the same products with bf16 copies of x, W and dy and float32 accumulation. The copies
// of x and W are what the backward multiplies with, so they are kept instead of being made again.
void linear_bf16(Graph& g, const Var& x, const Var& w, const Var& b, const Var& y, int64_t n,
                 int64_t in, int64_t out_features) {
  auto xb = to_bf16(x->value.ptr(), n * in);
  auto wb = to_bf16(w->value.ptr(), out_features * in);
  bf16_matmul(n, out_features, in, {xb->data(), in, false}, {wb->data(), in, true}, false,
              y->value.ptr(), out_features);
  if (b) add_bias_rows(b->value.ptr(), y->value.ptr(), n, out_features);
  g.on_backward(y, [x, w, b, y, xb, wb, n, in, out_features] {
    OpTimer timer(OpClass::kMatmul);
    const float* dy = y->grad_ptr();
    auto dyb = to_bf16(dy, n * out_features);
    if (x->requires_grad)
      bf16_matmul(n, in, out_features, {dyb->data(), out_features, false}, {wb->data(), in, false},
                  true, x->grad_ptr(), in);
    if (w->requires_grad)
      bf16_matmul(out_features, in, n, {dyb->data(), out_features, true}, {xb->data(), in, false},
                  true, w->grad_ptr(), in);
    if (b && b->requires_grad) accumulate_bias_grad(dy, b->grad_ptr(), n, out_features);
  });
}

}  // namespace

// y (N,out) = x (N,in) . W^T (in,out) + b
void linear_forward(const float* x, const float* w, const float* b, float* y, int64_t n, int64_t in,
                    int64_t out) {
  if (n == 1) {
    matrix_vector(w, x, b, y, in, out);  // one generated token
    return;
  }
  sgemm(false, true, n, out, in, 1.0f, x, in, w, in, 0.0f, y, out);
  if (b) add_bias_rows(b, y, n, out);
}

// dx (N,in) += dy (N,out) . W (out,in);  dW (out,in) += dy^T (out,N) . x (N,in);  db += sum_N dy
void linear_backward(const float* dy, const float* x, const float* w, float* dx, float* dw,
                     float* db, int64_t n, int64_t in, int64_t out) {
  if (dx) sgemm(false, false, n, in, out, 1.0f, dy, out, w, in, 1.0f, dx, in);
  if (dw) sgemm(true, false, out, in, n, 1.0f, dy, out, x, in, 1.0f, dw, in);
  if (db) accumulate_bias_grad(dy, db, n, out);
}

Var linear(Graph& g, const Var& x, const Var& w, const Var& b) {
  OpTimer timer(OpClass::kMatmul);
  const int64_t in = w->value.size(1), out_features = w->value.size(0), n = x->value.rows();
  std::vector<int64_t> shape = x->value.shape;
  shape.back() = out_features;
  Var y = g.output(shape, {&x, &w, &b});
  // One row is a matrix-vector product, bound by reading W: bf16 would only add a conversion.
  if (g.matmul_precision() == MatmulPrecision::kBf16 && n > 1) {
    linear_bf16(g, x, w, b, y, n, in, out_features);
    return y;
  }
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
