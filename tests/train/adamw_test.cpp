#include "train/adamw.h"

#include <gtest/gtest.h>

#include <cmath>

namespace dikkat {
namespace {

// Two AdamW steps on one weight, against the update written out by hand (torch.optim.AdamW).
TEST(AdamW, MatchesTheClosedFormForTwoSteps) {
  TrainConfig c;
  c.beta1 = 0.9f, c.beta2 = 0.99f, c.adam_eps = 1e-8f, c.weight_decay = 0.1f;
  Var w = make_var(Tensor({1, 1}), true);
  Var b = make_var(Tensor({1}), true);
  w->value.data[0] = 0.5f;
  b->value.data[0] = 0.5f;
  std::vector<Parameter> params = {{"w", w, ParamRole::kWeight}, {"b", b, ParamRole::kBias}};
  AdamW opt(params, c);
  double p = 0.5, pb = 0.5, m = 0, v = 0, mb = 0, vb = 0;
  const double lr = 0.01;
  for (int t = 1; t <= 2; ++t) {
    const double g = t == 1 ? 0.3 : -0.2;
    w->grad_ptr()[0] = float(g);
    b->grad_ptr()[0] = float(g);
    opt.step(float(lr));
    p *= 1 - lr * 0.1;  // decay only on the matrix
    m = 0.9 * m + 0.1 * g, v = 0.99 * v + 0.01 * g * g;
    mb = 0.9 * mb + 0.1 * g, vb = 0.99 * vb + 0.01 * g * g;
    const double c1 = 1 - std::pow(0.9, t), c2 = std::sqrt(1 - std::pow(0.99, t));
    p -= lr / c1 * m / (std::sqrt(v) / c2 + 1e-8);
    pb -= lr / c1 * mb / (std::sqrt(vb) / c2 + 1e-8);
    EXPECT_NEAR(w->value.data[0], p, 1e-6);
    EXPECT_NEAR(b->value.data[0], pb, 1e-6);
  }
}

TEST(GradClip, ScalesToTheLimitOnlyWhenAbove) {
  Var a = make_var(Tensor({2}), true);
  a->grad_ptr()[0] = 3.0f;
  a->grad_ptr()[1] = 4.0f;
  std::vector<Parameter> params = {{"a", a, ParamRole::kBias}};
  const double norm = global_grad_norm(params);
  EXPECT_DOUBLE_EQ(norm, 5.0);
  EXPECT_EQ(clip_coefficient(norm, 10.0f), 1.0f);
  EXPECT_EQ(clip_coefficient(norm, 0.0f), 1.0f);
  EXPECT_NEAR(clip_coefficient(norm, 1.0f) * norm, 1.0, 1e-6);
}

// A gradient of many blocks: the parallel sum equals a plain sum in double.
TEST(GradClip, NormOfALargeGradient) {
  Var a = make_var(Tensor({100000}), true), b = make_var(Tensor({7}), true);
  double want = 0.0;
  for (int64_t i = 0; i < 100000; ++i) {
    a->grad_ptr()[i] = float(i % 13) - 6.0f;
    want += double(a->grad.data[i]) * a->grad.data[i];
  }
  for (int64_t i = 0; i < 7; ++i) want += double(b->grad_ptr()[i] = 0.5f) * 0.5;
  EXPECT_NEAR(global_grad_norm({{"a", a, ParamRole::kWeight}, {"b", b, ParamRole::kBias}}),
              std::sqrt(want), 1e-9);
}

// Clipping inside the update: step(lr, s) on gradient g equals step(lr) on gradient s * g.
TEST(AdamW, GradScaleEqualsScaledGradients) {
  TrainConfig c;
  auto run = [&](float grad, float scale) {
    Var w = make_var(Tensor({2, 2}), true);
    std::vector<Parameter> params = {{"w", w, ParamRole::kWeight}};
    AdamW opt(params, c);
    for (int t = 0; t < 3; ++t) {
      for (int i = 0; i < 4; ++i) w->grad_ptr()[i] = grad * float(i + 1);
      opt.step(0.01f, scale);
    }
    return w->value.data;
  };
  const auto scaled = run(2.0f, 0.25f), plain = run(0.5f, 1.0f);
  for (int i = 0; i < 4; ++i) EXPECT_FLOAT_EQ(scaled[i], plain[i]);
}

// A frozen parameter (no gradient needed) is passed by: no update, no decay, its moments stay
// zero, and its gradient buffer is neither read nor allocated by the norm or the NaN check.
TEST(AdamW, PassesByParametersThatNeedNoGradient) {
  TrainConfig c;
  c.weight_decay = 0.1f;
  Var frozen = make_var(Tensor({3}), false), trained = make_var(Tensor({3}), true);
  for (int i = 0; i < 3; ++i) frozen->value.data[i] = trained->value.data[i] = 0.5f;
  std::vector<Parameter> params = {{"frozen", frozen, ParamRole::kWeight},
                                   {"trained", trained, ParamRole::kWeight}};
  AdamW opt(params, c);
  for (int i = 0; i < 3; ++i) trained->grad_ptr()[i] = 1.0f;
  EXPECT_DOUBLE_EQ(global_grad_norm(params), std::sqrt(3.0));
  EXPECT_EQ(first_non_finite_gradient(params), "(none)");
  opt.step(0.01f);
  EXPECT_TRUE(frozen->grad.empty());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(frozen->value.data[i], 0.5f);
    EXPECT_EQ(opt.first_moments()[0].data[i], 0.0f);
    EXPECT_EQ(opt.second_moments()[0].data[i], 0.0f);
    EXPECT_NE(trained->value.data[i], 0.5f);
  }
}

}  // namespace
}  // namespace dikkat
