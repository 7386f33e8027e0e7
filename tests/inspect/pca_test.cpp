#include "inspect/pca.h"

#include <gtest/gtest.h>

#include <cmath>

namespace dikkat {
namespace {

TEST(Pca, ThreeOrFewerDimensionsAreShownExactly) {
  const float rows[6] = {1, 2, 3, 4, 5, 6};
  const PcaBasis b = fit_pca(rows, 2, 3, 3);
  EXPECT_TRUE(b.identity);
  EXPECT_EQ(b.project(rows + 3), (std::vector<double>{4, 5, 6}));
}

TEST(Pca, FindsTheDirectionOfLargestVariance) {
  // Points along (1, 1, 0, 0) with a little spread along (0, 0, 1, 0).
  std::vector<float> rows;
  for (int i = -5; i <= 5; ++i) {
    const float t = float(i), wobble = (i % 2 ? 0.1f : -0.1f);
    rows.insert(rows.end(), {t + 10, t - 3, wobble, 7});
  }
  const PcaBasis b = fit_pca(rows.data(), 11, 4, 2);
  EXPECT_FALSE(b.identity);
  const double r = 1.0 / std::sqrt(2.0);
  EXPECT_NEAR(b.components[0][0], r, 1e-9);
  EXPECT_NEAR(b.components[0][1], r, 1e-9);
  EXPECT_NEAR(std::fabs(b.components[1][2]), 1.0, 1e-9);
  EXPECT_GT(b.explained[0], 0.99);
  // The mean projects to the origin; the last point lies 5 * sqrt(2) along PC1.
  EXPECT_NEAR(b.project(&rows[40])[0], 5.0 * std::sqrt(2.0), 1e-5);
}

}  // namespace
}  // namespace dikkat
