#include "tensor/dropout_mask.h"
#include "tensor/op_profile.h"
#include "tensor/ops.h"
#include "tensor/parallel.h"

namespace dikkat {

// Inverted dropout: each element is kept with probability 1-p and scaled by 1/(1-p), so the
// expected value is unchanged and inference needs no rescaling. One draw from `rng` keys the
// mask (dropout_mask.h), so a seed fixes it whatever the thread count.
Var dropout(Graph& g, const Var& x, float p, std::mt19937_64& rng) {
  OpTimer timer(OpClass::kElementwise);
  if (p <= 0.0f || !g.recording()) return x;
  Var y = g.output(x->value.shape, {&x});
  const int64_t n = x->value.numel();
  auto mask = std::make_shared<FloatBuffer>(n);
  // A tensor of a rank's rows is laid out row by row like the global batch's; its elements are
  // that batch's from its first row on.
  const int64_t first = g.batch_rows() > 0 ? g.batch_row_offset() * (n / g.batch_rows()) : 0;
  fill_dropout_mask(rng(), p, mask->data(), n, first);
  const float* px = x->value.ptr();
  float* py = y->value.ptr();
  const float* m = mask->data();
  parallel_for(n, kParallelMinOps, [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) py[i] = px[i] * m[i];
  });
  g.on_backward(y, [x, y, mask, n] {
    OpTimer timer(OpClass::kElementwise);
    const float* dy = y->grad_ptr();
    float* dx = x->grad_ptr();
    const float* m = mask->data();
    parallel_for(n, kParallelMinOps, [&](int64_t begin, int64_t end) {
#pragma omp simd
      for (int64_t i = begin; i < end; ++i) dx[i] += dy[i] * m[i];
    });
  });
  return y;
}

}  // namespace dikkat
