// cross_entropy with ignored targets and label smoothing, over a table of cases: the loss and the
// count against PyTorch's formula computed in double, the gradient against central finite
// differences, and ignored rows' gradient exactly zero.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "error.h"
#include "tensor/ops.h"

namespace dikkat {
namespace {

constexpr int64_t kVocab = 7;

struct Case {
  std::string name;
  std::vector<int32_t> targets;
  int32_t ignore_id;
  float smoothing;
};

std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.name; }

const Case kCases[] = {
    {"Plain", {0, 3, 2, 3, 6}, -1, 0.0f},
    {"Smoothed", {0, 3, 2, 3, 6}, -1, 0.1f},
    {"IgnoredPadding", {0, 3, 0, 2, 1}, 0, 0.0f},
    {"IgnoredPaddingSmoothed", {0, 3, 0, 2, 1}, 0, 0.1f},
    {"AllIgnored", {2, 2, 2}, 2, 0.1f},
};

Tensor random_logits(int64_t rows, uint64_t seed) {
  Tensor t({rows, kVocab});
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 2.0f);
  for (float& x : t.data) x = normal(rng);
  return t;
}

// F.cross_entropy(logits, targets, ignore_index, label_smoothing, reduction='mean'), except
// that no counted target gives 0 (PyTorch: NaN).
double reference_loss(const Tensor& logits, const Case& tc, int64_t* counted) {
  double total = 0.0;
  *counted = 0;
  for (size_t i = 0; i < tc.targets.size(); ++i) {
    if (tc.targets[i] == tc.ignore_id) continue;
    const float* x = logits.ptr() + i * kVocab;
    double sum = 0.0;
    for (int64_t j = 0; j < kVocab; ++j) sum += std::exp(double(x[j]));
    const double lse = std::log(sum);
    double smooth = 0.0;  // mean_j -log p_j
    for (int64_t j = 0; j < kVocab; ++j) smooth += (lse - x[j]) / kVocab;
    total += (1.0 - tc.smoothing) * (lse - x[tc.targets[i]]) + tc.smoothing * smooth;
    ++*counted;
  }
  return *counted ? total / double(*counted) : 0.0;
}

CrossEntropyLoss run(Graph& g, const Var& logits, const Case& tc) {
  return cross_entropy(g, logits, tc.targets, {tc.ignore_id, tc.smoothing});
}

class CrossEntropy : public ::testing::TestWithParam<Case> {};

TEST_P(CrossEntropy, LossAndCountMatchTheFormula) {
  const Case& tc = GetParam();
  const Tensor logits = random_logits(int64_t(tc.targets.size()), 1);
  int64_t counted = 0;
  const double want = reference_loss(logits, tc, &counted);
  Graph g;
  const CrossEntropyLoss got = run(g, make_var(logits, false), tc);
  EXPECT_EQ(got.counted, counted);
  EXPECT_NEAR(got.loss->value.data[0], want, 1e-6 * (1.0 + std::abs(want)));
}

TEST_P(CrossEntropy, GradientMatchesFiniteDifferences) {
  const Case& tc = GetParam();
  const Tensor logits = random_logits(int64_t(tc.targets.size()), 2);
  Graph g;
  const Var x = make_var(logits, true);
  const float seed = 1.7f;  // d(loss)/d(loss) other than 1: the scale reaches every row
  Tensor seed_tensor(std::vector<int64_t>{});
  seed_tensor.data[0] = seed;
  g.backward(run(g, x, tc).loss, seed_tensor);
  ASSERT_EQ(x->grad.numel(), logits.numel());  // zeros even when every target is ignored
  for (int64_t k = 0; k < logits.numel(); ++k) {
    auto loss_at = [&](float delta) {
      Tensor shifted = logits;
      shifted.data[k] += delta;
      Graph values_only;
      return double(run(values_only, make_var(shifted, false), tc).loss->value.data[0]);
    };
    const float eps = 1e-2f;
    const double numeric = seed * (loss_at(eps) - loss_at(-eps)) / (2.0 * eps);
    ASSERT_NEAR(x->grad.data[k], numeric, 2e-4) << "element " << k;
    if (tc.targets[k / kVocab] == tc.ignore_id) {
      ASSERT_EQ(x->grad.data[k], 0.0f) << "ignored row, element " << k;
    }
  }
}

// A gradient already there (another use of the logits, gradient accumulation) is added to, not
// overwritten: the backward writes a new buffer in place but must add into an existing one.
TEST_P(CrossEntropy, GradientAddsToOneAlreadyThere) {
  const Case& tc = GetParam();
  const Tensor logits = random_logits(int64_t(tc.targets.size()), 4);
  Graph fresh_graph, adding_graph;
  const Var fresh = make_var(logits, true), adding = make_var(logits, true);
  fresh_graph.backward(run(fresh_graph, fresh, tc).loss);
  adding->grad = Tensor(logits.shape);
  for (int64_t k = 0; k < logits.numel(); ++k) adding->grad.data[k] = 0.25f * float(k % 5) - 0.5f;
  const Tensor before = adding->grad;
  adding_graph.backward(run(adding_graph, adding, tc).loss);
  for (int64_t k = 0; k < logits.numel(); ++k)
    ASSERT_NEAR(adding->grad.data[k], before.data[k] + fresh->grad.data[k], 1e-6f) << k;
}

INSTANTIATE_TEST_SUITE_P(CrossEntropyTable, CrossEntropy, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.name; });

// The three-argument form is the options form with its defaults, bit for bit.
TEST(CrossEntropyDefaults, MatchTheOptionsForm) {
  const Tensor logits = random_logits(4, 3);
  const std::vector<int32_t> targets = {1, 0, 6, 1};
  Graph a, b;
  const Var xa = make_var(logits, true), xb = make_var(logits, true);
  const Var plain = cross_entropy(a, xa, targets);
  const CrossEntropyLoss general = cross_entropy(b, xb, targets, {});
  EXPECT_EQ(plain->value.data[0], general.loss->value.data[0]);
  EXPECT_EQ(general.counted, 4);
  a.backward(plain);
  b.backward(general.loss);
  for (int64_t k = 0; k < logits.numel(); ++k) ASSERT_EQ(xa->grad.data[k], xb->grad.data[k]) << k;
}

TEST(CrossEntropyTargets, OutOfRangeOnesAreRejected) {
  const Var x = make_var(random_logits(2, 4), false);
  Graph g;
  const std::vector<int32_t> too_big = {1, int32_t(kVocab)}, negative = {-2, 1}, too_few = {1};
  EXPECT_THROW(cross_entropy(g, x, too_big), Error);
  EXPECT_THROW(cross_entropy(g, x, negative), Error);
  EXPECT_THROW(cross_entropy(g, x, too_few), Error);
}

}  // namespace
}  // namespace dikkat
