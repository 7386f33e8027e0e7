#include "tensor/logsumexp.h"

#include <algorithm>
#include <cmath>

#include "tensor/fast_math.h"

namespace dikkat {

DIKKAT_VECTOR_CLONES float logsumexp(const float* x, int64_t n) {
  float m = -INFINITY;
#pragma omp simd reduction(max : m)
  for (int64_t j = 0; j < n; ++j) m = std::max(m, x[j]);
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int64_t j = 0; j < n; ++j) sum += fast_exp(x[j] - m);
  return m + std::log(sum);
}

DIKKAT_VECTOR_CLONES float row_sum(const float* x, int64_t n) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int64_t j = 0; j < n; ++j) sum += x[j];
  return sum;
}

}  // namespace dikkat
