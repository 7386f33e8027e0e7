#pragma once
// Sums over the rows of an (N, width) quantity, e.g. a bias gradient. Walking each column down
// the rows reads memory with a stride of the row length; this walks rows instead, in blocks of
// kRowBlock rows (vectorised across the row), then adds the blocks' sums in block order. The
// order never depends on the thread count, so training stays repeatable.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "tensor/parallel.h"

namespace dikkat {

inline constexpr int64_t kRowBlock = 64;

// out[j] += sum over i of the terms add_row(i, acc) adds into acc[0..width).
template <typename AddRow>
void accumulate_column_sums(int64_t n, int64_t width, const AddRow& add_row, float* out) {
  const int64_t blocks = (n + kRowBlock - 1) / kRowBlock;
  std::vector<float> partial(blocks * width, 0.0f);
  parallel_for_each(blocks, kRowBlock * width, [&](int64_t block) {
    float* acc = partial.data() + block * width;
    for (int64_t i = block * kRowBlock; i < std::min(n, (block + 1) * kRowBlock); ++i)
      add_row(i, acc);
  });
  parallel_for_each(width, blocks, [&](int64_t j) {
    float sum = 0.0f;
    for (int64_t block = 0; block < blocks; ++block) sum += partial[block * width + j];
    out[j] += sum;
  });
}

}  // namespace dikkat
