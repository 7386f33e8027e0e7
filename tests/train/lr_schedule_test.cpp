#include "train/lr_schedule.h"

#include <gtest/gtest.h>

#include "train/presets.h"

namespace dikkat {
namespace {

TEST(LearningRate, NanoGptWarmupThenCosineToMinLr) {
  const TrainConfig c = find_preset("shakespeare-cpu").train;  // 1e-3, 100 warm-up, 2000 steps
  EXPECT_FLOAT_EQ(learning_rate(c, 0), 1e-3f / 101.0f);
  EXPECT_FLOAT_EQ(learning_rate(c, 99), 1e-3f * 100.0f / 101.0f);
  EXPECT_FLOAT_EQ(learning_rate(c, 100), 1e-3f);
  EXPECT_NEAR(learning_rate(c, 1050), 0.5f * (1e-3f + 1e-4f), 1e-9);  // halfway down
  EXPECT_FLOAT_EQ(learning_rate(c, 2000), 1e-4f);
  EXPECT_FLOAT_EQ(learning_rate(c, 5000), 1e-4f);
  for (int64_t it = 101; it < 2000; ++it) EXPECT_LE(learning_rate(c, it), learning_rate(c, it - 1));
}

TEST(LearningRate, ConstantScheduleKeepsThePeak) {
  TrainConfig c;
  c.schedule = "constant";
  c.warmup_steps = 0;
  EXPECT_FLOAT_EQ(learning_rate(c, 0), c.lr);
  EXPECT_FLOAT_EQ(learning_rate(c, 1999), c.lr);
}

}  // namespace
}  // namespace dikkat
