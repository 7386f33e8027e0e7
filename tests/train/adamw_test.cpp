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
  std::vector<NamedParameter> params = {{"w", w, true}, {"b", b, false}};
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
  std::vector<NamedParameter> params = {{"a", a, false}};
  const double norm = global_grad_norm(params);
  EXPECT_DOUBLE_EQ(norm, 5.0);
  clip_grad_norm(params, norm, 10.0f);
  EXPECT_FLOAT_EQ(a->grad.data[0], 3.0f);
  clip_grad_norm(params, norm, 1.0f);
  EXPECT_NEAR(global_grad_norm(params), 1.0, 1e-5);
}

}  // namespace
}  // namespace dikkat
