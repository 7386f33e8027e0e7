// Training's tiled (flash) attention on contexts of several tiles, the last one partial: the
// output against the attention formula computed directly in double precision (the whole (T,T)
// table, with the same dropout mask), and the gradient against finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "tensor/dropout_mask.h"
#include "tensor/ops.h"

namespace dikkat {
namespace {

constexpr int64_t kBatch = 2, kHeads = 2, kHeadSize = 8, kTime = 2 * kAttentionTile + 22;
constexpr int64_t kC = kHeads * kHeadSize;

Tensor random_qkv(uint64_t seed) {
  Tensor t({kBatch, kTime, 3 * kC});
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (float& x : t.data) x = normal(rng);
  return t;
}

// softmax(q kᵀ / √hs) with the causal mask, times the dropout mask, times v.
std::vector<double> reference_attention(const Tensor& qkv, float dropout_p, uint64_t mask_key) {
  std::vector<float> mask(kBatch * kHeads * kTime * kTime, 1.0f);
  if (dropout_p > 0.0f) fill_dropout_mask(mask_key, dropout_p, mask.data(), int64_t(mask.size()));
  std::vector<double> out(kBatch * kTime * kC, 0.0);
  auto at = [&](int64_t b, int64_t t, int64_t part, int64_t h, int64_t d) {
    return double(qkv.data[(b * kTime + t) * 3 * kC + part * kC + h * kHeadSize + d]);
  };
  for (int64_t b = 0; b < kBatch; ++b)
    for (int64_t h = 0; h < kHeads; ++h)
      for (int64_t t = 0; t < kTime; ++t) {
        std::vector<double> w(t + 1);
        double max_score = -INFINITY, sum = 0.0;
        for (int64_t s = 0; s <= t; ++s) {
          for (int64_t d = 0; d < kHeadSize; ++d) w[s] += at(b, t, 0, h, d) * at(b, s, 1, h, d);
          w[s] /= std::sqrt(double(kHeadSize));
          max_score = std::max(max_score, w[s]);
        }
        for (double& x : w) sum += (x = std::exp(x - max_score));
        for (int64_t s = 0; s <= t; ++s) {
          const double weight = w[s] / sum * mask[((b * kHeads + h) * kTime + t) * kTime + s];
          for (int64_t d = 0; d < kHeadSize; ++d)
            out[(b * kTime + t) * kC + h * kHeadSize + d] += weight * at(b, s, 2, h, d);
        }
      }
  return out;
}

class FlashAttention : public ::testing::TestWithParam<float> {};

TEST_P(FlashAttention, OutputMatchesTheFormula) {
  const float p = GetParam();
  const Tensor qkv = random_qkv(1);
  std::mt19937_64 rng(42);
  const uint64_t mask_key = std::mt19937_64(42)();  // the draw causal_attention makes
  Graph g;
  const Var y = causal_attention(g, make_var(qkv, false), kHeads, p, &rng);
  const auto want = reference_attention(qkv, p, mask_key);
  for (size_t i = 0; i < want.size(); ++i)
    ASSERT_NEAR(y->value.data[i], want[i], 2e-5 * (1.0 + std::abs(want[i]))) << i;
}

// d(sum R*y)/d(qkv) at elements spread over every tile and over q, k and v.
TEST_P(FlashAttention, GradientMatchesFiniteDifferences) {
  const float p = GetParam();
  const Tensor qkv = random_qkv(2);
  Tensor r({kBatch, kTime, kC});
  std::mt19937_64 rng(3);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (float& x : r.data) x = normal(rng);
  auto loss = [&](const Tensor& input, Var* keep) {
    std::mt19937_64 mask_rng(9);
    Graph g;
    Var x = make_var(input, keep != nullptr);
    Var y = causal_attention(g, x, kHeads, p, &mask_rng);
    double sum = 0.0;
    for (int64_t i = 0; i < y->value.numel(); ++i) sum += double(y->value.data[i]) * r.data[i];
    if (keep) {
      g.backward(y, r);
      *keep = x;
    }
    return sum;
  };
  Var x;
  loss(qkv, &x);
  std::uniform_int_distribution<int64_t> pick(0, qkv.numel() - 1);
  const float eps = 1e-2f;
  for (int trial = 0; trial < 60; ++trial) {
    const int64_t k = pick(rng);
    Tensor plus = qkv, minus = qkv;
    plus.data[k] += eps;
    minus.data[k] -= eps;
    const double numeric = (loss(plus, nullptr) - loss(minus, nullptr)) / (2.0 * eps);
    ASSERT_NEAR(x->grad.data[k], numeric, 2e-2 * std::max(1.0, std::abs(numeric)))
        << "element " << k << " (time " << (k / (3 * kC)) % kTime << ")";
  }
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutDropout, FlashAttention, ::testing::Values(0.0f, 0.3f));

}  // namespace
}  // namespace dikkat
