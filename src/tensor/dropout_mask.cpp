#include "tensor/dropout_mask.h"

#include <algorithm>

#include "tensor/fast_math.h"
#include "tensor/parallel.h"

namespace dikkat {

namespace {

// splitmix64's finaliser: a bijective mix whose outputs pass BigCrush for sequential inputs.
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

DIKKAT_VECTOR_CLONES void dropout_mask_span(uint64_t key, float p, int64_t first, float* mask,
                                            int64_t n) {
  // Keep when the top 24 bits, read as a fraction of 2^24, are >= p.
  const uint64_t threshold = uint64_t(double(p) * double(1 << 24));
  const float keep = 1.0f / (1.0f - p);
#pragma omp simd
  for (int64_t i = 0; i < n; ++i)
    mask[i] =
        (mix64(key + uint64_t(first + i) * 0x9e3779b97f4a7c15ULL) >> 40) < threshold ? 0.0f : keep;
}

void fill_dropout_mask(uint64_t key, float p, float* mask, int64_t n, int64_t first) {
  constexpr int64_t kChunk = 1 << 14;
  parallel_for(n, kChunk, [&](int64_t begin, int64_t end) {
    dropout_mask_span(key, p, first + begin, mask + begin, end - begin);
  });
}

}  // namespace dikkat
