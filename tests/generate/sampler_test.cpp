// Greedy, temperature, top-k and top-p sampling.
#include "generate/sampler.h"

#include <gtest/gtest.h>

#include <cmath>

namespace dikkat {
namespace {

TEST(Sampler, GreedyTopKOneAndTinyTopPAllPickTheArgmax) {
  const std::vector<float> logits = {0.1f, 2.0f, -1.0f, 1.9f};
  std::mt19937_64 rng(3);
  EXPECT_EQ(sample_token(logits, {.temperature = 0.0f}, rng), 1);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(sample_token(logits, {.temperature = 1.0f, .top_k = 1}, rng), 1);
    EXPECT_EQ(sample_token(logits, {.temperature = 1.0f, .top_p = 0.01f}, rng), 1);
  }
}

TEST(Sampler, TopKNeverPicksOutsideTheK) {
  const std::vector<float> logits = {0.0f, 1.0f, 0.5f, 3.0f, -2.0f};
  std::mt19937_64 rng(4);
  std::vector<int> counts(5);
  for (int i = 0; i < 2000; ++i)
    ++counts[sample_token(logits, {.temperature = 2.0f, .top_k = 2}, rng)];
  EXPECT_EQ(counts[0] + counts[2] + counts[4], 0);
  EXPECT_GT(counts[1], 100);  // temperature 2 flattens: the runner-up is drawn often
  EXPECT_GT(counts[3], counts[1]);
}

TEST(Sampler, FrequenciesFollowTheSoftmax) {
  const std::vector<float> logits = {0.0f, std::log(3.0f)};  // probabilities 1/4 and 3/4
  std::mt19937_64 rng(5);
  int ones = 0;
  for (int i = 0; i < 20000; ++i) ones += sample_token(logits, {}, rng);
  EXPECT_NEAR(ones / 20000.0, 0.75, 0.015);
}

TEST(Sampler, SameSeedSameTokens) {
  const std::vector<float> logits = {0.3f, 0.2f, 0.1f, 0.4f};
  std::mt19937_64 a(9), b(9);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(sample_token(logits, {}, a), sample_token(logits, {}, b));
}

}  // namespace
}  // namespace dikkat
