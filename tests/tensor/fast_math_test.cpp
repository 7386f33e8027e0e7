#include "tensor/fast_math.h"

#include <gtest/gtest.h>

#include <cmath>

namespace dikkat {
namespace {

TEST(FastMath, ExpIsWithinAFewUlpOfLibm) {
  for (float x = -87.0f; x <= 88.0f; x += 0.001953125f) {
    const double want = std::exp(double(x));
    ASSERT_NEAR(fast_exp(x), want, 3e-7 * want) << x;
  }
  EXPECT_EQ(fast_exp(0.0f), 1.0f);
  EXPECT_LT(fast_exp(-1000.0f), 1e-37f);  // clamped, not garbage
}

TEST(FastMath, ErfIsWithinFloatPrecisionOfLibm) {
  for (float x = -6.0f; x <= 6.0f; x += 0.0001f)
    ASSERT_NEAR(fast_erf(x), std::erf(double(x)), 5e-7) << x;
  EXPECT_EQ(fast_erf(0.0f), 0.0f);
  EXPECT_EQ(fast_erf(10.0f), -fast_erf(-10.0f));
}

TEST(FastMath, SigmoidAndTanhAreWithinFloatPrecisionOfLibm) {
  for (float x = -20.0f; x <= 20.0f; x += 0.0001f) {
    ASSERT_NEAR(fast_sigmoid(x), 1.0 / (1.0 + std::exp(-double(x))), 2e-7) << x;
    ASSERT_NEAR(fast_tanh(x), std::tanh(double(x)), 3e-7) << x;
  }
  EXPECT_EQ(fast_tanh(100.0f), 1.0f);
  EXPECT_EQ(fast_tanh(-100.0f), -1.0f);
}

}  // namespace
}  // namespace dikkat
