#include "tensor/gemm.h"

#include <cblas.h>

namespace dikkat {

void sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
           int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  for_each_gemm_block(m, n, k, [&](int64_t row0, int64_t rows, int64_t col0, int64_t cols) {
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, int(rows), int(cols), int(k), alpha,
                rows_from(a, lda, trans_a, row0), int(lda), columns_from(b, ldb, trans_b, col0),
                int(ldb), beta, c + row0 * ldc + col0, int(ldc));
  });
}

}  // namespace dikkat
