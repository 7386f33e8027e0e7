#pragma once
// bfloat16: the top 16 bits of a float32 (same exponent range, 8 bits of mantissa). Mixed
// precision training keeps fp32 master weights and hands matrix multiplies bf16 copies.
#include <bit>
#include <cstdint>

namespace dikkat {

using bf16_t = uint16_t;  // raw bits; arithmetic always happens in float32

// Round to nearest, ties to even (as PyTorch and the hardware's vcvtneps2bf16 do); NaN stays NaN.
void float_to_bf16(const float* x, bf16_t* y, int64_t n);
// Widening is exact: the bf16 bits are the top half of the float32.
inline float bf16_to_float(bf16_t x) { return std::bit_cast<float>(uint32_t(x) << 16); }

}  // namespace dikkat
