// bf16 rounding, the bf16 matrix multiply against float32 on the same rounded inputs, and the
// mixed precision linear layer against the float32 one.
#include "tensor/bf16.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "tensor/bf16_matmul.h"
#include "tensor/ops.h"

namespace dikkat {
namespace {

bf16_t round_one(float x) {
  bf16_t y;
  float_to_bf16(&x, &y, 1);
  return y;
}

TEST(Bf16, RoundsToNearestWithTiesToEven) {
  EXPECT_EQ(round_one(1.0f), 0x3f80);
  // 1 + 2^-8 lies halfway between 1 and the next bf16 (1 + 2^-7): ties go to the even, 1.
  EXPECT_EQ(round_one(1.0f + 0x1p-8f), 0x3f80);
  // 1 + 3 * 2^-8 is halfway between 1 + 2^-7 (odd) and 1 + 2^-6: up to the even.
  EXPECT_EQ(round_one(1.0f + 3 * 0x1p-8f), 0x3f82);
  // Just above halfway rounds up.
  EXPECT_EQ(round_one(std::nextafter(1.0f + 0x1p-8f, 2.0f)), 0x3f81);
  EXPECT_EQ(round_one(-2.5f), 0xc020);
  EXPECT_EQ(round_one(std::numeric_limits<float>::infinity()), 0x7f80);
  // The largest float rounds past bf16's largest finite value: infinity, as in PyTorch.
  EXPECT_EQ(round_one(std::numeric_limits<float>::max()), 0x7f80);
  EXPECT_TRUE(std::isnan(bf16_to_float(round_one(std::numeric_limits<float>::quiet_NaN()))));
  // A NaN whose payload sits only in the dropped bits must not become infinity.
  EXPECT_TRUE(std::isnan(bf16_to_float(round_one(std::bit_cast<float>(0x7f800001u)))));
}

TEST(Bf16, LongArraysRoundLikeSingleValues) {
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0f, 10.0f);
  std::vector<float> x(300000);
  for (float& v : x) v = normal(rng);
  std::vector<bf16_t> y(x.size());
  float_to_bf16(x.data(), y.data(), int64_t(x.size()));
  for (size_t i = 0; i < x.size(); i += 997) {
    ASSERT_EQ(y[i], round_one(x[i])) << i;
    EXPECT_LE(std::abs(bf16_to_float(y[i]) - x[i]), std::abs(x[i]) * 0x1p-8f) << i;
  }
}

FloatBuffer random_matrix(int64_t n, std::mt19937& rng) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  FloatBuffer m(n);
  for (float& v : m) v = normal(rng);
  return m;
}

class Bf16Matmul : public ::testing::TestWithParam<std::tuple<bool, bool, bool>> {
 protected:
  void SetUp() override {
    if (!bf16_matmul_supported()) GTEST_SKIP() << "this CPU has no AVX512-BF16 or AMX";
  }
};

// The product of bf16 inputs accumulated in float32 equals a float32 product of the same
// (rounded) values up to float32 summation order.
TEST_P(Bf16Matmul, MatchesFloat32OnTheRoundedInputs) {
  const auto [trans_a, trans_b, accumulate] = GetParam();
  const int64_t m = 37, n = 29, k = 70;
  std::mt19937 rng(11);
  const auto a = random_matrix(m * k, rng), b = random_matrix(k * n, rng);
  std::vector<bf16_t> ab(a.size()), bb(b.size());
  float_to_bf16(a.data(), ab.data(), int64_t(a.size()));
  float_to_bf16(b.data(), bb.data(), int64_t(b.size()));
  // Element (i, p) of op(A) and (p, j) of op(B), read through the storage layout.
  auto a_at = [&](int64_t i, int64_t p) {
    return bf16_to_float(ab[trans_a ? p * m + i : i * k + p]);
  };
  auto b_at = [&](int64_t p, int64_t j) {
    return bf16_to_float(bb[trans_b ? j * k + p : p * n + j]);
  };
  const auto start = random_matrix(m * n, rng);
  FloatBuffer c = start;
  bf16_matmul(m, n, k, {ab.data(), trans_a ? m : k, trans_a}, {bb.data(), trans_b ? k : n, trans_b},
              accumulate, c.data(), n);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double want = accumulate ? start[i * n + j] : 0.0;
      for (int64_t p = 0; p < k; ++p) want += double(a_at(i, p)) * b_at(p, j);
      ASSERT_NEAR(c[i * n + j], want, 1e-4 * (1.0 + std::abs(want))) << i << "," << j;
    }
}

INSTANTIATE_TEST_SUITE_P(AllLayouts, Bf16Matmul,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool(),
                                            ::testing::Bool()));

// Mixed precision changes the linear layer's numbers only by bf16 rounding of its inputs:
// output and gradients stay within a few bf16 ulps (2^-8 relative) of float32's.
TEST(Bf16Linear, OutputAndGradientsFollowFloat32) {
  if (!bf16_matmul_supported()) GTEST_SKIP() << "this CPU has no AVX512-BF16 or AMX";
  const int64_t n = 24, in = 48, out = 40;
  auto run = [&](MatmulPrecision precision) {
    std::mt19937 same(5);
    Var x = make_var(Tensor({n, in}), true), w = make_var(Tensor({out, in}), true),
        b = make_var(Tensor({out}), true);
    for (Var* v : {&x, &w, &b}) (*v)->value.data = random_matrix((*v)->value.numel(), same);
    Graph g(precision);
    Var y = linear(g, x, w, b);
    Tensor seed(y->value.shape);
    seed.data = random_matrix(seed.numel(), same);
    g.backward(y, seed);
    return std::vector<Tensor>{y->value, x->grad, w->grad, b->grad};
  };
  const auto fp32 = run(MatmulPrecision::kFp32), bf16 = run(MatmulPrecision::kBf16);
  const char* names[] = {"y", "dx", "dW", "db"};
  for (size_t t = 0; t < fp32.size(); ++t) {
    double err = 0.0, scale = 0.0;
    for (int64_t i = 0; i < fp32[t].numel(); ++i) {
      err = std::max(err, double(std::abs(fp32[t].data[i] - bf16[t].data[i])));
      scale = std::max(scale, double(std::abs(fp32[t].data[i])));
    }
    // Sums of ~50 products of inputs each off by up to 2^-9 relative: errors stay well inside
    // 3% of the largest value; a wrong transpose or a missing term would be off by ~100%.
    EXPECT_LT(err, 0.03 * scale) << names[t];
    EXPECT_GT(scale, 0.0) << names[t];
  }
  // The bias gradient is summed in float32 from the float32 dy: exactly the same.
  EXPECT_EQ(fp32[3].data, bf16[3].data);
}

}  // namespace
}  // namespace dikkat
