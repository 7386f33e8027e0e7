#include "nn/kv_cache.h"

#include <algorithm>
#include <string>

#include "error.h"

namespace dikkat {

KvCache::KvCache(int64_t layers, int64_t rows, int64_t capacity, int64_t channels)
    : rows_(rows), capacity_(capacity), channels_(channels) {
  layers_.resize(size_t(layers));
  reset(rows);
}

void KvCache::reset(int64_t rows) {
  if (rows < 1) throw Error("KV cache: needs at least one row, got " + std::to_string(rows));
  rows_ = rows;
  length_ = 0;
  for (Var& l : layers_)
    if (!l || l->value.size(0) != rows)
      l = make_var(Tensor::uninitialized({rows, capacity_, 2 * channels_}), false);
}

void KvCache::append(int64_t layer, const Var& qkv) {
  const int64_t C = channels_, n = qkv->value.size(1);
  if (qkv->value.size(0) != rows_ || qkv->value.size(-1) != 3 * C)
    throw Error("KV cache: Q|K|V of shape " + shape_to_string(qkv->value.shape) + " for " +
                std::to_string(rows_) + " rows of " + std::to_string(C) + " channels");
  if (length_ + n > capacity_)
    throw Error("KV cache: " + std::to_string(length_ + n) + " positions exceed the capacity of " +
                std::to_string(capacity_));
  const float* from = qkv->value.ptr();
  float* to = layers_[size_t(layer)]->value.ptr();
  for (int64_t r = 0; r < rows_; ++r)
    for (int64_t t = 0; t < n; ++t)
      std::copy_n(from + (r * n + t) * 3 * C + C, 2 * C,
                  to + (r * capacity_ + length_ + t) * 2 * C);
}

void KvCache::advance(int64_t n) { length_ += n; }

void KvCache::select_rows(std::span<const int32_t> keep) {
  if (keep.empty()) throw Error("KV cache: select_rows needs at least one row");
  for (int32_t r : keep)
    if (r < 0 || r >= rows_)
      throw Error("KV cache: row " + std::to_string(r) + " does not exist");
  const int64_t per_row = capacity_ * 2 * channels_, used = length_ * 2 * channels_;
  for (Var& l : layers_) {
    Var out = make_var(Tensor::uninitialized({int64_t(keep.size()), capacity_, 2 * channels_}),
                       false);
    for (size_t r = 0; r < keep.size(); ++r)
      std::copy_n(l->value.ptr() + keep[r] * per_row, used, out->value.ptr() + r * per_row);
    l = std::move(out);
  }
  rows_ = int64_t(keep.size());
}

}  // namespace dikkat
