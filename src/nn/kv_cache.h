#pragma once
// The keys and values a transformer decoder keeps so that no position is computed twice: per
// layer one (rows, capacity, 2C) tensor, [keys | values] for each position of each row. Every row
// holds the same number of positions (a prompt, or beam hypotheses of one length). Beam search and
// batched sampling reorder, duplicate and drop rows with select_rows; GPT generation and
// translation share this one design.
#include <cstdint>
#include <span>
#include <vector>

#include "tensor/graph.h"

namespace dikkat {

class KvCache {
 public:
  KvCache(int64_t layers, int64_t rows, int64_t capacity, int64_t channels);

  int64_t rows() const { return rows_; }
  int64_t length() const { return length_; }  // positions held per row
  int64_t capacity() const { return capacity_; }

  // Copies the keys and values of n new positions, columns [C, 3C) of a (rows, n, 3C) Q|K|V
  // tensor, into layer `layer` at positions length() .. length() + n - 1. The new positions count
  // once every layer has them (advance).
  void append(int64_t layer, const Var& qkv);
  // (rows, capacity, 2C): positions below length() + the appended n are filled.
  const Var& keys_values(int64_t layer) const { return layers_[size_t(layer)]; }
  void advance(int64_t n);
  // Row r becomes old row keep[r] (rows may repeat or go); Error for a row that does not exist.
  void select_rows(std::span<const int32_t> keep);
  // Empty rows again, `rows` of them.
  void reset(int64_t rows);

 private:
  int64_t rows_, capacity_, channels_, length_ = 0;
  std::vector<Var> layers_;
};

}  // namespace dikkat
