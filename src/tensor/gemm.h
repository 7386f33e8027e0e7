#pragma once
// C = alpha op(A) op(B) + beta C in float32, row-major, with cblas_sgemm's arguments, spread over
// dikkat's threads (tensor/parallel.h): C is cut into blocks of rows (or of columns, when it is
// wider than tall), each block one single-threaded sgemm. Blocks are whole multiples of the
// kernels' register tile, so each runs at the single-thread speed of the whole product.
#include <algorithm>
#include <cstdint>

#include "tensor/parallel.h"

namespace dikkat {

void sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
           int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

// The same cut for any product: runs block(row0, rows, col0, cols) over blocks covering the
// (m, n) result, each worth at least kGemmMinBlock multiply-adds (with k of them per element).
inline constexpr int64_t kGemmMinBlock = 1 << 19;
inline constexpr int64_t kGemmTile = 16;

// Where a block starts in an operand stored with row stride ld: rows from `first` of op(A), or
// columns from `first` of op(B); `transposed` as in the product's arguments.
template <typename T>
const T* rows_from(const T* a, int64_t ld, bool transposed, int64_t first) {
  return transposed ? a + first : a + first * ld;
}
template <typename T>
const T* columns_from(const T* b, int64_t ld, bool transposed, int64_t first) {
  return transposed ? b + first * ld : b + first;
}

template <typename Block>
void for_each_gemm_block(int64_t m, int64_t n, int64_t k, const Block& block) {
  const bool by_rows = m >= n;
  const int64_t length = by_rows ? m : n, across = by_rows ? n : m;
  const int64_t tiles = (length + kGemmTile - 1) / kGemmTile;
  const int64_t tile_cost = kGemmTile * std::max<int64_t>(across * k, 1);
  const int64_t grain = std::max<int64_t>(1, kGemmMinBlock / tile_cost);
  parallel_for(tiles, grain, [&](int64_t first, int64_t last) {
    const int64_t begin = first * kGemmTile, end = std::min(length, last * kGemmTile);
    use_one_library_thread_here();
    if (by_rows)
      block(begin, end - begin, int64_t(0), n);
    else
      block(int64_t(0), m, begin, end - begin);
  });
}

}  // namespace dikkat
