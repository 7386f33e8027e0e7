#include <algorithm>
#include <cmath>

#include "tensor/op_profile.h"
#include "tensor/ops.h"

namespace dikkat {

// loss = mean_i (logsumexp(logits_i) - logits_i[target_i])
// d logits_i = (softmax(logits_i) - onehot(target_i)) * dloss / N
Var cross_entropy(Graph& g, const Var& logits, std::span<const int32_t> targets) {
  OpTimer timer(OpClass::kLoss);
  const int64_t v = logits->value.size(-1), n = logits->value.rows();
  Var loss = g.output({}, {&logits});
  auto lse = std::make_shared<std::vector<float>>(n);
  const float* x = logits->value.ptr();
  std::vector<double> row_loss(n);
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) {
    const float* xi = x + i * v;
    const float m = *std::max_element(xi, xi + v);
    double sum = 0.0;
    for (int64_t j = 0; j < v; ++j) sum += std::exp(double(xi[j] - m));
    (*lse)[i] = m + float(std::log(sum));
    row_loss[i] = double((*lse)[i]) - double(xi[targets[i]]);
  }
  double total = 0.0;  // summed serially: the same bits for any thread count
  for (double l : row_loss) total += l;
  loss->value.data[0] = float(total / double(n));
  std::vector<int32_t> kept(targets.begin(), targets.end());
  g.on_backward(loss, [logits, loss, lse, kept = std::move(kept), n, v] {
    OpTimer timer(OpClass::kLoss);
    const float scale = loss->grad_ptr()[0] / float(n);
    const float* x = logits->value.ptr();
    float* dx = logits->grad_ptr();
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t j = 0; j < v; ++j) dx[i * v + j] += std::exp(x[i * v + j] - (*lse)[i]) * scale;
      dx[i * v + kept[i]] -= scale;
    }
  });
  return loss;
}

}  // namespace dikkat
