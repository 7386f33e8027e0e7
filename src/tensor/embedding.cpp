#include <algorithm>

#include "tensor/op_profile.h"
#include "tensor/ops.h"
#include "tensor/parallel.h"

namespace dikkat {

// out[i] = table[ids[i]]   table (V,C), out (N,C)
void embedding_forward(const float* table, std::span<const int32_t> ids, float* out, int64_t c) {
  parallel_for_each(ids.size(), c, [&](size_t i) {
    std::copy_n(table + int64_t(ids[i]) * c, c, out + int64_t(i) * c);
  });
}

// d table[ids[i]] += scale * d out[i]. Several positions may share an id, so this runs serially:
// the order of additions, and therefore the result, stays the same for any thread count.
static void embedding_backward(const float* dout, std::span<const int32_t> ids, float* dtable,
                               int64_t c, float scale) {
  for (size_t i = 0; i < ids.size(); ++i) {
    float* row = dtable + int64_t(ids[i]) * c;
    const float* d = dout + int64_t(i) * c;
    for (int64_t j = 0; j < c; ++j) row[j] += scale * d[j];
  }
}

// out[i] = scale * table[ids[i]]
Var embedding(Graph& g, const Var& table, std::span<const int32_t> ids,
              std::vector<int64_t> out_leading_shape, float scale) {
  OpTimer timer(OpClass::kEmbedding);
  const int64_t c = table->value.size(1);
  out_leading_shape.push_back(c);
  Var out = g.output(out_leading_shape, {&table});
  float* y = out->value.ptr();
  embedding_forward(table->value.ptr(), ids, y, c);
  if (scale != 1.0f) {
    const int64_t n = out->value.numel();
    parallel_for(n, kParallelMinOps, [&](int64_t begin, int64_t end) {
#pragma omp simd
      for (int64_t i = begin; i < end; ++i) y[i] *= scale;
    });
  }
  std::vector<int32_t> kept(ids.begin(), ids.end());
  g.on_backward(out, [table, out, kept = std::move(kept), c, scale] {
    OpTimer timer(OpClass::kEmbedding);
    embedding_backward(out->grad_ptr(), kept, table->grad_ptr(), c, scale);
  });
  return out;
}

}  // namespace dikkat
