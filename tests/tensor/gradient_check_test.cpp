// Every op's backward against central finite differences of its forward.
// For an op y = f(inputs) and a fixed random R, L = sum(R * y); the analytic gradient comes from
// running the backward with seed R, the numeric one from (L(x + eps) - L(x - eps)) / 2 eps.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "tensor/ops.h"

namespace dikkat {
namespace {

using Build = std::function<Var(Graph&, const std::vector<Var>&)>;

Tensor random_tensor(std::vector<int64_t> shape, std::mt19937_64& rng, float scale = 1.0f) {
  Tensor t(std::move(shape));
  std::normal_distribution<float> normal(0.0f, scale);
  for (float& x : t.data) x = normal(rng);
  return t;
}

double weighted_sum(const Tensor& y, const Tensor& r) {
  double s = 0.0;
  for (int64_t i = 0; i < y.numel(); ++i) s += double(y.data[i]) * double(r.data[i]);
  return s;
}

// Checks d(sum R*y)/d(input) for every element of every input that `differentiable` marks.
void check_gradients(const Build& build, std::vector<Tensor> inputs,
                     std::vector<bool> differentiable, float eps = 1e-2f, float tolerance = 2e-2f) {
  std::mt19937_64 rng(7);
  std::vector<Var> vars;
  for (size_t i = 0; i < inputs.size(); ++i) vars.push_back(make_var(inputs[i], differentiable[i]));
  Graph g;
  Var y = build(g, vars);
  const Tensor r = random_tensor(y->value.shape, rng);
  g.backward(y, r);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!differentiable[i]) continue;
    for (int64_t k = 0; k < inputs[i].numel(); ++k) {
      auto loss_at = [&](float delta) {
        std::vector<Var> shifted;
        for (size_t j = 0; j < inputs.size(); ++j) {
          Tensor t = inputs[j];
          if (j == i) t.data[k] += delta;
          shifted.push_back(make_var(t, false));
        }
        // A recording graph (so dropout stays on) whose inputs need no gradient: values only.
        Graph values_only;
        return weighted_sum(build(values_only, shifted)->value, r);
      };
      const double numeric = (loss_at(eps) - loss_at(-eps)) / (2.0 * eps);
      const double analytic = vars[i]->grad.empty() ? 0.0 : vars[i]->grad.data[k];
      ASSERT_NEAR(analytic, numeric, tolerance * std::max(1.0, std::fabs(numeric)))
          << "input " << i << " element " << k;
    }
  }
}

TEST(GradientCheck, Linear) {
  std::mt19937_64 rng(1);
  check_gradients(
      [](Graph& g, const std::vector<Var>& v) { return linear(g, v[0], v[1], v[2]); },
      {random_tensor({2, 3, 4}, rng), random_tensor({5, 4}, rng), random_tensor({5}, rng)},
      {true, true, true});
}

TEST(GradientCheck, LinearWithoutBias) {
  std::mt19937_64 rng(2);
  check_gradients(
      [](Graph& g, const std::vector<Var>& v) { return linear(g, v[0], v[1], nullptr); },
      {random_tensor({3, 4}, rng), random_tensor({2, 4}, rng)}, {true, true});
}

TEST(GradientCheck, EmbeddingWithRepeatedIds) {
  std::mt19937_64 rng(3);
  const std::vector<int32_t> ids = {1, 0, 1, 3, 1, 2};
  check_gradients(
      [&](Graph& g, const std::vector<Var>& v) {
        return embedding(g, v[0], ids, {2, 3});
      },
      {random_tensor({4, 5}, rng)}, {true});
}

TEST(GradientCheck, AddAndAddRows) {
  std::mt19937_64 rng(4);
  check_gradients([](Graph& g, const std::vector<Var>& v) { return add(g, v[0], v[1]); },
                  {random_tensor({2, 3}, rng), random_tensor({2, 3}, rng)}, {true, true});
  check_gradients([](Graph& g, const std::vector<Var>& v) { return add_rows(g, v[0], v[1]); },
                  {random_tensor({2, 3, 4}, rng), random_tensor({5, 4}, rng)}, {true, true});
}

TEST(GradientCheck, LayerNorm) {
  std::mt19937_64 rng(5);
  check_gradients(
      [](Graph& g, const std::vector<Var>& v) { return layernorm(g, v[0], v[1], v[2], 1e-5f); },
      {random_tensor({3, 6}, rng), random_tensor({6}, rng), random_tensor({6}, rng)},
      {true, true, true}, 1e-2f, 3e-2f);
}

TEST(GradientCheck, BiasGeluAndBiasRelu) {
  std::mt19937_64 rng(6);
  Tensor x = random_tensor({4, 5}, rng), b = random_tensor({5}, rng);
  for (const Activation act : {Activation::kGelu, Activation::kRelu}) {
    if (act == Activation::kRelu)
      for (int64_t i = 0; i < x.numel(); ++i)
        if (std::fabs(x.data[i] + b.data[i % 5]) < 0.05f)
          x.data[i] += 0.5f;  // keep finite differences away from the kink at 0
    check_gradients(
        [act](Graph& g, const std::vector<Var>& v) { return bias_activation(g, v[0], v[1], act); },
        {x, b}, {true, true});
    check_gradients(
        [act](Graph& g, const std::vector<Var>& v) {
          return bias_activation(g, v[0], nullptr, act);
        },
        {x}, {true});
  }
}

TEST(GradientCheck, DropoutWithAFixedMask) {
  std::mt19937_64 rng(7);
  // A fresh generator per evaluation gives every evaluation the same mask.
  check_gradients(
      [](Graph& g, const std::vector<Var>& v) {
        std::mt19937_64 mask_rng(42);
        return dropout(g, v[0], 0.3f, mask_rng);
      },
      {random_tensor({4, 6}, rng)}, {true});
}

TEST(GradientCheck, CausalAttention) {
  std::mt19937_64 rng(9);
  check_gradients(
      [](Graph& g, const std::vector<Var>& v) {
        return causal_attention(g, v[0], 2, 0.0f, nullptr);
      },
      {random_tensor({2, 4, 3 * 6}, rng)}, {true});
}

TEST(GradientCheck, CausalAttentionWithDropout) {
  std::mt19937_64 rng(10);
  check_gradients(
      [](Graph& g, const std::vector<Var>& v) {
        std::mt19937_64 mask_rng(5);
        return causal_attention(g, v[0], 2, 0.25f, &mask_rng);
      },
      {random_tensor({1, 5, 3 * 4}, rng)}, {true});
}

TEST(GradientCheck, CrossEntropy) {
  std::mt19937_64 rng(11);
  const std::vector<int32_t> targets = {0, 3, 2, 3};
  check_gradients(
      [&](Graph& g, const std::vector<Var>& v) { return cross_entropy(g, v[0], targets); },
      {random_tensor({4, 5}, rng)}, {true});
}

}  // namespace
}  // namespace dikkat
