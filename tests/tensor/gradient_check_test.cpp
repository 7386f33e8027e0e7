// Every op's backward against central finite differences of its forward (gradient_check.h).
#include "tensor/gradient_check.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "tensor/ops.h"

namespace dikkat {
namespace {

using testing::check_gradients;
using testing::random_tensor;

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

TEST(GradientCheck, BiasActivations) {
  std::mt19937_64 rng(6);
  Tensor x = random_tensor({4, 5}, rng), b = random_tensor({5}, rng);
  for (const Activation act : {Activation::kGelu, Activation::kRelu, Activation::kTanh}) {
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
