#pragma once
// bfloat16: the top 16 bits of a float32 (same exponent range, 8 bits of mantissa). Mixed
// precision training keeps fp32 master weights and hands matrix multiplies bf16 copies.
#include <cstdint>

namespace dikkat {

using bf16_t = uint16_t;  // raw bits; arithmetic always happens in float32

// Round to nearest, ties to even (as PyTorch and the hardware's vcvtneps2bf16 do); NaN stays NaN.
void float_to_bf16(const float* x, bf16_t* y, int64_t n);
void bf16_to_float(const bf16_t* x, float* y, int64_t n);

}  // namespace dikkat
