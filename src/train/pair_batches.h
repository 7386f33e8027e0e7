#pragma once
// Translation batches by a token budget (fairseq's --max-tokens, Marian's --mini-batch-words):
// pairs are sorted by length, so that a batch holds sentences of about the same length and
// padding stays small, then cut into batches whose padded size — rows x the longest side of any
// of its pairs — stays within the budget. Each epoch visits every batch once, in an order drawn
// from (seed, epoch) alone, so the batch of any step can be recomputed after a resume.
#include <cstdint>
#include <span>
#include <vector>

namespace dikkat {

struct PairLengths {
  int32_t source, target;  // tokens on each side, as the model will see them
};

class PairBatches {
 public:
  // A pair whose own padded size exceeds max_tokens forms a batch alone.
  PairBatches(std::span<const PairLengths> lengths, int64_t max_tokens, uint64_t seed);

  int64_t batches_per_epoch() const { return int64_t(batches_.size()); }
  // Pair indices of training step `step` (0-based), sorted by length inside the batch.
  std::span<const int32_t> for_step(int64_t step) const;
  // Every batch in length order: evaluation's walk over a whole set.
  const std::vector<std::vector<int32_t>>& in_length_order() const { return batches_; }

 private:
  void draw_epoch_order(int64_t epoch) const;

  std::vector<std::vector<int32_t>> batches_;
  uint64_t seed_;
  mutable int64_t ordered_epoch_ = -1;  // the epoch whose order `epoch_order_` holds
  mutable std::vector<int32_t> epoch_order_;
};

}  // namespace dikkat
