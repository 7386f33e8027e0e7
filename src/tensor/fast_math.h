#pragma once
// exp and erf for float32 written so that compilers vectorise loops over them (`omp simd`):
// no calls into libm, no branches. Accuracy is that of float32 for the inputs activations see:
// fast_exp within ~2 ulp (Cephes' expf polynomial after range reduction by ln 2), fast_erf
// within 5e-7 absolute (a rational minimax approximation on [-4, 4]; erf is +-1 in float
// beyond that). tests/tensor/fast_math_test.cpp checks both against std::exp / std::erf.
#include <algorithm>
#include <bit>
#include <cstdint>

namespace dikkat {

// Runtime CPU dispatch for a hot loop: the compiler builds one copy per listed instruction set
// and the loader picks the best the CPU has, so the default build stays portable x86-64.
// x86-64-v4 is AVX-512 F/BW/DQ/VL: DQ's 64-bit multiplies make the dropout hash 2.2x faster
// than plain AVX-512F's emulated ones.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define DIKKAT_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define DIKKAT_VECTOR_CLONES
#endif

inline float fast_exp(float x) {
  x = std::min(std::max(x, -87.0f), 88.0f);
  // x = n ln2 + r, |r| <= ln2 / 2; ln 2 split in two so n * ln2 stays exact. Adding and
  // subtracting 1.5 * 2^23 rounds to the nearest integer without a branch, which would keep
  // the compiler from vectorising the loops around this.
  const float round_shift = 12582912.0f;
  const float nf = (x * 1.44269504088896341f + round_shift) - round_shift;
  const int32_t n = int32_t(nf);
  const float r = (x - nf * 0.693359375f) - nf * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float e = p * r * r + r + 1.0f;
  return e * std::bit_cast<float>((n + 127) << 23);
}

inline float fast_erf(float x) {
  x = std::min(std::max(x, -4.0f), 4.0f);
  const float x2 = x * x;
  float p = -2.72614225801306e-10f;
  p = p * x2 + 2.77068142495902e-08f;
  p = p * x2 + -2.10102402082508e-06f;
  p = p * x2 + -5.69250639462346e-05f;
  p = p * x2 + -7.34990630326855e-04f;
  p = p * x2 + -2.95459980854025e-03f;
  p = p * x2 + -1.60960333262415e-02f;
  float q = -1.45660718464996e-05f;
  q = q * x2 + -2.13374055278905e-04f;
  q = q * x2 + -1.68282697438203e-03f;
  q = q * x2 + -7.37332916720468e-03f;
  q = q * x2 + -1.42647390514189e-02f;
  // Near +-4 the rational function overshoots +-1 by a few ulp; erf never does.
  return std::min(std::max(x * p / q, -1.0f), 1.0f);
}

// The logistic sigmoid 1 / (1 + e^-x) and tanh x = 2 sigmoid(2x) - 1 from fast_exp, for the
// gates of recurrent cells: within 1e-7 absolute of libm (tests/tensor/fast_math_test.cpp).
inline float fast_sigmoid(float x) { return 1.0f / (1.0f + fast_exp(-x)); }
inline float fast_tanh(float x) { return 2.0f * fast_sigmoid(2.0f * x) - 1.0f; }

}  // namespace dikkat
