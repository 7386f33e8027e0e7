#include "tensor/gemm.h"

#include <cblas.h>

namespace dikkat {

void sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
           int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  for_each_gemm_block(m, n, k, [&](int64_t row0, int64_t rows, int64_t col0, int64_t cols) {
    // Row i of op(A) starts at a + i * lda, or at column i of the stored A when transposed;
    // column j of op(B) likewise.
    const float* a_block = trans_a ? a + row0 : a + row0 * lda;
    const float* b_block = trans_b ? b + col0 * ldb : b + col0;
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, int(rows), int(cols), int(k), alpha, a_block,
                int(lda), b_block, int(ldb), beta, c + row0 * ldc + col0, int(ldc));
  });
}

}  // namespace dikkat
