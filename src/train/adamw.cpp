#include "train/adamw.h"

#include <algorithm>
#include <cmath>

namespace dikkat {

AdamW::AdamW(const std::vector<NamedParameter>& params, const TrainConfig& config)
    : params_(params),
      beta1_(config.beta1),
      beta2_(config.beta2),
      eps_(config.adam_eps),
      weight_decay_(config.weight_decay) {
  for (const auto& p : params_) {
    m_.emplace_back(p.var->value.shape);
    v_.emplace_back(p.var->value.shape);
  }
}

void AdamW::step(float lr, float grad_scale) {
  ++t_;
  const float bias1 = 1.0f - std::pow(beta1_, float(t_));
  const float bias2_sqrt = std::sqrt(1.0f - std::pow(beta2_, float(t_)));
  const float step_size = lr / bias1;
  for (size_t k = 0; k < params_.size(); ++k) {
    Node& node = *params_[k].var;
    float* p = node.value.ptr();
    const float* g = node.grad_ptr();
    float *m = m_[k].ptr(), *v = v_[k].ptr();
    const float decay = params_[k].decays ? 1.0f - lr * weight_decay_ : 1.0f;
    const int64_t n = node.value.numel();
#pragma omp parallel for simd schedule(static)
    for (int64_t i = 0; i < n; ++i) {
      const float gi = g[i] * grad_scale;
      p[i] *= decay;
      m[i] = beta1_ * m[i] + (1.0f - beta1_) * gi;
      v[i] = beta2_ * v[i] + (1.0f - beta2_) * gi * gi;
      p[i] -= step_size * m[i] / (std::sqrt(v[i]) / bias2_sqrt + eps_);
    }
  }
}

std::string first_non_finite_gradient(const std::vector<NamedParameter>& params) {
  for (const auto& p : params) {
    const float* g = p.var->grad_ptr();
    for (int64_t i = 0; i < p.var->value.numel(); ++i)
      if (!std::isfinite(g[i])) return p.name;
  }
  return "(none)";
}

double global_grad_norm(const std::vector<NamedParameter>& params) {
  // Blocks of a fixed size summed in parallel, then added in order.
  constexpr int64_t kBlock = 1 << 14;
  double sum = 0.0;
  for (const auto& p : params) {
    const float* g = p.var->grad_ptr();
    const int64_t n = p.var->value.numel(), blocks = (n + kBlock - 1) / kBlock;
    std::vector<double> partial(blocks);
#pragma omp parallel for schedule(static)
    for (int64_t b = 0; b < blocks; ++b) {
      double s = 0.0;
#pragma omp simd reduction(+ : s)
      for (int64_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i)
        s += double(g[i]) * double(g[i]);
      partial[b] = s;
    }
    for (double s : partial) sum += s;
  }
  return std::sqrt(sum);
}

float clip_coefficient(double norm, float max_norm) {
  if (max_norm <= 0.0f) return 1.0f;
  const double coef = double(max_norm) / (norm + 1e-6);
  return coef >= 1.0 ? 1.0f : float(coef);
}

}  // namespace dikkat
