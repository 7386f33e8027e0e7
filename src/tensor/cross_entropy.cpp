#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "error.h"
#include "tensor/fast_math.h"
#include "tensor/logsumexp.h"
#include "tensor/op_profile.h"
#include "tensor/ops.h"
#include "tensor/parallel.h"

namespace dikkat {

namespace {

// dx (+)= softmax(x) * scale - uniform, from the row's log-sum-exp; `assign` for a fresh dx.
DIKKAT_VECTOR_CLONES void softmax_grad(const float* x, float lse, float scale, float uniform,
                                       float* dx, int64_t v, bool assign) {
  if (assign) {
#pragma omp simd
    for (int64_t j = 0; j < v; ++j) dx[j] = fast_exp(x[j] - lse) * scale - uniform;
  } else {
#pragma omp simd
    for (int64_t j = 0; j < v; ++j) dx[j] += fast_exp(x[j] - lse) * scale - uniform;
  }
}

}  // namespace

// logits (N,V), targets (N). With lse_i = logsumexp(logits_i), eps the label smoothing and the
// sums over the M counted rows (target != ignore_id):
//   loss = (1/M) sum_i [lse_i - (1 - eps) logits_i[target_i] - eps mean_j logits_i[j]]
//   d logits_i = (softmax(logits_i) - (1 - eps) onehot(target_i) - eps / V) * dloss / M
// and zero for ignored rows. M = 0 gives loss 0 and zero gradients.
CrossEntropyLoss cross_entropy(Graph& g, const Var& logits, std::span<const int32_t> targets,
                               const CrossEntropyOptions& options) {
  OpTimer timer(OpClass::kLoss);
  const int64_t v = logits->value.size(-1), n = logits->value.rows();
  if (int64_t(targets.size()) != n)
    throw Error("cross_entropy: " + std::to_string(targets.size()) + " targets for " +
                std::to_string(n) + " rows of logits");
  int64_t counted = 0;
  for (const int32_t t : targets) {
    if (t == options.ignore_id) continue;
    if (t < 0 || t >= v)
      throw Error("cross_entropy: target " + std::to_string(t) + " is outside [0, " +
                  std::to_string(v) + ")");
    ++counted;
  }
  const float eps = options.label_smoothing;
  Var loss = g.output({}, {&logits});
  auto lse = std::make_shared<std::vector<float>>(n);
  const float* x = logits->value.ptr();
  std::vector<double> row_loss(n, 0.0);
  parallel_for_each(n, 4 * v, [&](int64_t i) {
    if (targets[i] == options.ignore_id) return;
    const float* xi = x + i * v;
    (*lse)[i] = logsumexp(xi, v);
    row_loss[i] = double((*lse)[i]) - double(xi[targets[i]]);
    if (eps > 0.0f)
      row_loss[i] += double(eps) * (double(xi[targets[i]]) - double(row_sum(xi, v)) / double(v));
  });
  double total = 0.0;  // summed serially: the same bits for any thread count
  for (double l : row_loss) total += l;
  loss->value.data[0] = counted ? float(total / double(counted)) : 0.0f;
  std::vector<int32_t> kept(targets.begin(), targets.end());
  g.on_backward(loss, [logits, loss, lse, kept = std::move(kept), n, v, counted, eps,
                       ignore_id = options.ignore_id] {
    OpTimer timer(OpClass::kLoss);
    // The logits' gradient is usually created here, as big as the logits: written in the same
    // parallel pass rather than zero-filled first.
    const auto [dx, fresh] = logits->grad_to_write();
    const float scale = counted ? loss->grad_ptr()[0] / float(counted) : 0.0f;
    const float uniform = eps / float(v) * scale, target_share = (1.0f - eps) * scale;
    const float* x = logits->value.ptr();
    parallel_for_each(n, 4 * v, [&](int64_t i) {
      if (kept[i] == ignore_id) {
        if (fresh) std::fill(dx + i * v, dx + (i + 1) * v, 0.0f);
        return;
      }
      softmax_grad(x + i * v, (*lse)[i], scale, uniform, dx + i * v, v, fresh);
      dx[i * v + kept[i]] -= target_share;
    });
  });
  return {loss, counted};
}

Var cross_entropy(Graph& g, const Var& logits, std::span<const int32_t> targets) {
  return cross_entropy(g, logits, targets, CrossEntropyOptions{}).loss;
}

}  // namespace dikkat
