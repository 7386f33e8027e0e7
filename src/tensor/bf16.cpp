#include "tensor/bf16.h"

#include <algorithm>
#include <bit>

#include "tensor/fast_math.h"
#include "tensor/parallel.h"

namespace dikkat {

namespace {

// Rows of this many values go to one thread: conversion is memory bound, so smaller pieces
// cost more in scheduling than they save.
constexpr int64_t kChunk = 1 << 16;

DIKKAT_VECTOR_CLONES void float_to_bf16_run(const float* x, bf16_t* y, int64_t n) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) {
    const uint32_t u = std::bit_cast<uint32_t>(x[i]);
    const bool nan = (u & 0x7fffffffu) > 0x7f800000u;
    // Adding 0x7fff plus the lowest kept bit carries into the kept half exactly when the
    // dropped half is above one half, or equal to it with the kept part odd.
    const uint32_t rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
    y[i] = bf16_t(nan ? (u >> 16) | 0x40u : rounded);
  }
}

}  // namespace

void float_to_bf16(const float* x, bf16_t* y, int64_t n) {
  parallel_for(n, kChunk, [&](int64_t begin, int64_t end) {
    float_to_bf16_run(x + begin, y + begin, end - begin);
  });
}

}  // namespace dikkat
