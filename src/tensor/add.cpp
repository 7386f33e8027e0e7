#include "error.h"
#include "tensor/op_profile.h"
#include "tensor/ops.h"
#include "tensor/parallel.h"

namespace dikkat {

// c = a + b (same shape); both inputs receive c's gradient unchanged.
Var add(Graph& g, const Var& a, const Var& b) {
  OpTimer timer(OpClass::kElementwise);
  if (a->value.shape != b->value.shape)
    throw Error("add: shapes differ " + shape_to_string(a->value.shape) + " vs " +
                shape_to_string(b->value.shape));
  Var c = g.output(a->value.shape, {&a, &b});
  const int64_t n = c->value.numel();
  const float *pa = a->value.ptr(), *pb = b->value.ptr();
  float* pc = c->value.ptr();
  parallel_for(n, kParallelMinOps, [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) pc[i] = pa[i] + pb[i];
  });
  g.on_backward(c, [a, b, c, n] {
    OpTimer timer(OpClass::kElementwise);
    const float* dc = c->grad_ptr();
    for (const Var* in : {&a, &b}) {
      if (!(*in)->requires_grad) continue;
      float* d = (*in)->grad_ptr();
      parallel_for(n, kParallelMinOps, [&](int64_t begin, int64_t end) {
#pragma omp simd
        for (int64_t i = begin; i < end; ++i) d[i] += dc[i];
      });
    }
  });
  return c;
}

// y[b,t,:] = x[b,t,:] + table[first + t,:]   x (B,T,C), table (P,C) with P >= first + T
Var add_rows(Graph& g, const Var& x, const Var& table, int64_t first) {
  OpTimer timer(OpClass::kElementwise);
  const int64_t t_len = x->value.size(-2), c = x->value.size(-1);
  if (table->value.size(1) != c || first < 0 || table->value.size(0) < first + t_len)
    throw Error("add_rows: table " + shape_to_string(table->value.shape) + " does not cover " +
                shape_to_string(x->value.shape) + " from row " + std::to_string(first));
  Var y = g.output(x->value.shape, {&x, &table});
  const int64_t rows = x->value.rows();  // a whole number of T-row sequences: x is (..., T, C)
  const float *px = x->value.ptr(), *pt = table->value.ptr() + first * c;
  float* py = y->value.ptr();
  parallel_for_each(rows, c, [&](int64_t r) {
    const float* trow = pt + (r % t_len) * c;
    for (int64_t j = 0; j < c; ++j) py[r * c + j] = px[r * c + j] + trow[j];
  });
  g.on_backward(y, [x, table, y, rows, t_len, c, first] {
    OpTimer timer(OpClass::kElementwise);
    const float* dy = y->grad_ptr();
    if (x->requires_grad) {
      float* dx = x->grad_ptr();
      parallel_for(rows * c, kParallelMinOps, [&](int64_t begin, int64_t end) {
#pragma omp simd
        for (int64_t i = begin; i < end; ++i) dx[i] += dy[i];
      });
    }
    if (table->requires_grad) {
      // Position t's gradient sums rows t, t + T, t + 2T, ...: each thread owns whole positions.
      float* dt = table->grad_ptr() + first * c;
      const int64_t batches = rows / t_len;
      parallel_for_each(t_len, batches * c, [&](int64_t t) {
        for (int64_t bi = 0; bi < batches; ++bi) {
          const float* row = dy + (bi * t_len + t) * c;
#pragma omp simd
          for (int64_t j = 0; j < c; ++j) dt[t * c + j] += row[j];
        }
      });
    }
  });
  return y;
}

}  // namespace dikkat
