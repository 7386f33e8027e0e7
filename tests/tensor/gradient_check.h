#pragma once
// Checks an op's backward against central finite differences of its forward. For an op
// y = f(inputs) and a fixed random R, L = sum(R * y); the analytic gradient comes from running the
// backward with seed R, the numeric one from (L(x + eps) - L(x - eps)) / 2 eps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <vector>

#include "tensor/graph.h"

namespace dikkat::testing {

using Build = std::function<Var(Graph&, const std::vector<Var>&)>;

inline Tensor random_tensor(std::vector<int64_t> shape, std::mt19937_64& rng, float scale = 1.0f) {
  Tensor t(std::move(shape));
  std::normal_distribution<float> normal(0.0f, scale);
  for (float& x : t.data) x = normal(rng);
  return t;
}

inline double weighted_sum(const Tensor& y, const Tensor& r) {
  double s = 0.0;
  for (int64_t i = 0; i < y.numel(); ++i) s += double(y.data[i]) * double(r.data[i]);
  return s;
}

// Checks d(sum R*y)/d(input) for every element of every input that `differentiable` marks.
inline void check_gradients(const Build& build, std::vector<Tensor> inputs,
                            std::vector<bool> differentiable, float eps = 1e-2f,
                            float tolerance = 2e-2f) {
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

}  // namespace dikkat::testing
