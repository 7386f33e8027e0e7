// Token-budget batches: every pair once per epoch, each batch within its budget, little padding,
// and the batch of any step the same when computed again (as after a resume).
#include "train/pair_batches.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace dikkat {
namespace {

std::vector<PairLengths> random_lengths(int64_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int32_t> len(1, 60);
  std::vector<PairLengths> out;
  for (int64_t i = 0; i < n; ++i) {
    const int32_t s = len(rng);
    out.push_back({s, std::max(1, s + int32_t(rng() % 7) - 3)});
  }
  return out;
}

int32_t longest_side(const PairLengths& p) { return std::max(p.source, p.target); }

TEST(PairBatches, EveryPairOncePerEpochWithinTheBudget) {
  const auto lengths = random_lengths(2000, 1);
  const int64_t budget = 500;
  const PairBatches batches(lengths, budget, 7);
  std::multiset<int32_t> seen;
  int64_t real = 0, padded = 0;
  for (int64_t step = 0; step < batches.batches_per_epoch(); ++step) {
    const auto batch = batches.for_step(step);
    int32_t longest = 0;
    for (int32_t i : batch) {
      seen.insert(i);
      longest = std::max(longest, longest_side(lengths[i]));
      real += longest_side(lengths[i]);
    }
    EXPECT_LE(int64_t(batch.size()) * longest, budget) << "step " << step;
    padded += int64_t(batch.size()) * longest;
  }
  ASSERT_EQ(seen.size(), lengths.size());
  for (int32_t i = 0; i < int32_t(lengths.size()); ++i) EXPECT_EQ(seen.count(i), 1u) << i;
  EXPECT_LT(double(padded) / double(real), 1.05);  // length-sorted: padding stays small
}

TEST(PairBatches, AnOverlongPairGoesAlone) {
  const std::vector<PairLengths> lengths = {{3, 3}, {90, 80}, {4, 2}};
  const PairBatches batches(lengths, 50, 1);
  bool alone = false;
  for (const auto& b : batches.in_length_order()) alone |= (b.size() == 1 && b[0] == 1);
  EXPECT_TRUE(alone);
}

TEST(PairBatches, StepsAreReproducibleAndEpochsReorder) {
  const auto lengths = random_lengths(500, 2);
  const PairBatches a(lengths, 300, 11), b(lengths, 300, 11);
  const int64_t n = a.batches_per_epoch();
  ASSERT_GT(n, 4);
  // b is asked out of order (a resume lands in the middle of an epoch).
  for (int64_t step : {3 * n + 2, int64_t(0), 2 * n - 1, n + 1}) {
    const auto want = a.for_step(step);
    const auto got = b.for_step(step);
    EXPECT_TRUE(std::equal(want.begin(), want.end(), got.begin(), got.end())) << step;
  }
  int64_t moved = 0;
  for (int64_t i = 0; i < n; ++i) moved += a.for_step(i).data() != a.for_step(n + i).data();
  EXPECT_GT(moved, n / 2);  // the second epoch visits the batches in another order
}

}  // namespace
}  // namespace dikkat
