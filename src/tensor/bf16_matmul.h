#pragma once
// C (m,n) = op(A) op(B), or C += op(A) op(B), with A and B in bf16 and C in float32: the
// multiply of mixed precision training, through oneDNN's matmul (AMX or AVX512-BF16 kernels),
// accumulating in float32. Row-major like cblas: op(A) is (m,k), stored (m,k) with row stride
// lda, or transposed, stored (k,m); likewise op(B) is (k,n).
#include <cstdint>

#include "tensor/bf16.h"

namespace dikkat {

// Whether this CPU multiplies bf16 in hardware (AVX512-BF16 or AMX). oneDNN would emulate it
// elsewhere, slower than float32, so callers fall back to float32 instead. oneDNN's
// DNNL_MAX_CPU_ISA environment variable can hide the instructions (the tests do, to check the
// fallback).
bool bf16_matmul_supported();

struct Bf16Operand {
  const bf16_t* data;
  int64_t ld;       // row stride of the matrix as stored
  bool transposed;  // stored as the transpose of the operand
};

void bf16_matmul(int64_t m, int64_t n, int64_t k, Bf16Operand a, Bf16Operand b, bool accumulate,
                 float* c, int64_t ldc);

}  // namespace dikkat
