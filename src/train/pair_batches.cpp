#include "train/pair_batches.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "error.h"

namespace dikkat {

PairBatches::PairBatches(std::span<const PairLengths> lengths, int64_t max_tokens, uint64_t seed)
    : seed_(seed) {
  if (max_tokens < 1) throw Error("batch token budget must be at least 1");
  if (lengths.empty()) throw Error("no sentence pairs to batch");
  std::vector<int32_t> order(lengths.size());
  std::iota(order.begin(), order.end(), 0);
  // Shuffled first, so pairs of equal lengths are not batched in file order.
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    const PairLengths &x = lengths[a], &y = lengths[b];
    return std::max(x.source, x.target) != std::max(y.source, y.target)
               ? std::max(x.source, x.target) < std::max(y.source, y.target)
               : x.source < y.source;
  });
  std::vector<int32_t> batch;
  int64_t longest = 0;
  for (int32_t i : order) {
    const int64_t len = std::max(lengths[i].source, lengths[i].target);
    const int64_t wider = std::max(longest, len);
    if (!batch.empty() && int64_t(batch.size() + 1) * wider > max_tokens) {
      batches_.push_back(std::move(batch));
      batch.clear();
      longest = 0;
    }
    batch.push_back(i);
    longest = std::max(longest, len);
  }
  batches_.push_back(std::move(batch));
}

void PairBatches::draw_epoch_order(int64_t epoch) const {
  epoch_order_.resize(batches_.size());
  std::iota(epoch_order_.begin(), epoch_order_.end(), 0);
  std::seed_seq seq{uint32_t(seed_), uint32_t(seed_ >> 32), uint32_t(epoch),
                    uint32_t(uint64_t(epoch) >> 32)};
  std::mt19937_64 rng(seq);
  std::shuffle(epoch_order_.begin(), epoch_order_.end(), rng);
  ordered_epoch_ = epoch;
}

std::span<const int32_t> PairBatches::for_step(int64_t step) const {
  const int64_t n = batches_per_epoch(), epoch = step / n;
  if (epoch != ordered_epoch_) draw_epoch_order(epoch);
  return batches_[epoch_order_[step % n]];
}

}  // namespace dikkat
