#include "train/data_parallel.h"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace dikkat {

RowRange rank_rows(int64_t rows, int rank, int ranks) {
  const int64_t base = rows / ranks, extra = rows % ranks;
  return {rank * base + std::min<int64_t>(rank, extra), base + (rank < extra ? 1 : 0)};
}

Batch slice_rows(const Batch& batch, RowRange range) {
  Batch out;
  out.rows = range.count;
  out.time = batch.time;
  out.source_time = batch.source_time;
  auto rows_of = [&](const std::vector<int32_t>& v, int64_t width) {
    if (v.empty()) return std::vector<int32_t>();
    return std::vector<int32_t>(v.begin() + range.first * width,
                                v.begin() + (range.first + range.count) * width);
  };
  out.inputs = rows_of(batch.inputs, batch.time);
  out.targets = rows_of(batch.targets, batch.time);
  out.source = rows_of(batch.source, batch.source_time);
  out.source_lengths = rows_of(batch.source_lengths, 1);
  return out;
}

double allreduce_gradients(Distributed& world, const std::vector<Parameter>& params,
                           float weight) {
  constexpr size_t kBucketFloats = size_t(1) << 20;
  std::vector<float> bucket;
  bucket.reserve(kBucketFloats);
  struct Piece {
    float* grad;
    size_t n;
  };
  std::vector<Piece> pieces;
  double seconds = 0.0;
  auto flush = [&] {
    if (bucket.empty()) return;
    const auto start = std::chrono::steady_clock::now();
    world.allreduce_sum(bucket);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    size_t at = 0;
    for (const Piece& p : pieces) {
      std::memcpy(p.grad, bucket.data() + at, p.n * sizeof(float));
      at += p.n;
    }
    bucket.clear();
    pieces.clear();
  };
  for (const Parameter& p : params) {
    if (!p.var->requires_grad) continue;
    float* g = p.var->grad_ptr();
    const size_t n = size_t(p.var->value.numel());
    // A tensor larger than a bucket goes in pieces of a bucket.
    for (size_t done = 0; done < n;) {
      const size_t take = std::min(n - done, kBucketFloats - bucket.size());
      for (size_t i = 0; i < take; ++i) bucket.push_back(g[done + i] * weight);
      pieces.push_back({g + done, take});
      done += take;
      if (bucket.size() == kBucketFloats) flush();
    }
  }
  flush();
  return seconds;
}

}  // namespace dikkat
