#include "train/adamw.h"

#include <algorithm>
#include <cmath>

#include "tensor/parallel.h"

namespace dikkat {

AdamW::AdamW(const std::vector<Parameter>& params, const TrainConfig& config)
    : params_(params),
      beta1_(config.beta1),
      beta2_(config.beta2),
      eps_(config.adam_eps),
      weight_decay_(config.weight_decay) {
  for (const auto& p : params_) {
    m_.emplace_back(p.var->value.shape);
    v_.emplace_back(p.var->value.shape);
  }
  updates_.assign(params_.size(), true);
}

void AdamW::keep_only(const std::vector<bool>& mine) {
  updates_ = mine;
  for (size_t k = 0; k < params_.size(); ++k)
    if (!mine[k]) m_[k] = Tensor(), v_[k] = Tensor();
}

void AdamW::step(float lr, float grad_scale) {
  ++t_;
  const float bias1 = 1.0f - std::pow(beta1_, float(t_));
  const float bias2_sqrt = std::sqrt(1.0f - std::pow(beta2_, float(t_)));
  const float step_size = lr / bias1;
  struct Slice {
    float *p, *m, *v;
    const float* g;
    int64_t n;
    float decay;
  };
  std::vector<Slice> slices;
  for (size_t k = 0; k < params_.size(); ++k) {
    Node& node = *params_[k].var;
    if (!node.requires_grad || !updates_[k]) continue;
    slices.push_back({node.value.ptr(), m_[k].ptr(), v_[k].ptr(), node.grad_ptr(),
                      node.value.numel(), params_[k].decays() ? 1.0f - lr * weight_decay_ : 1.0f});
  }
  // One parallel loop over every parameter's elements end to end, so small tensors do not each
  // cost a loop of their own (elements are independent).
  std::vector<int64_t> starts{0};
  for (const Slice& s : slices) starts.push_back(starts.back() + s.n);
  parallel_for(starts.back(), kParallelMinOps, [&](int64_t begin, int64_t end) {
    size_t k = size_t(std::upper_bound(starts.begin(), starts.end(), begin) - starts.begin()) - 1;
    for (; begin < end; ++k) {
      const Slice& s = slices[k];
      const int64_t first = begin - starts[k], last = std::min(end, starts[k + 1]) - starts[k];
#pragma omp simd
      for (int64_t i = first; i < last; ++i) {
        const float gi = s.g[i] * grad_scale;
        s.p[i] *= s.decay;
        s.m[i] = beta1_ * s.m[i] + (1.0f - beta1_) * gi;
        s.v[i] = beta2_ * s.v[i] + (1.0f - beta2_) * gi * gi;
        s.p[i] -= step_size * s.m[i] / (std::sqrt(s.v[i]) / bias2_sqrt + eps_);
      }
      begin = starts[k] + last;
    }
  });
}

std::string first_non_finite_gradient(const std::vector<Parameter>& params) {
  for (const auto& p : params) {
    if (!p.var->requires_grad) continue;
    const float* g = p.var->grad_ptr();
    for (int64_t i = 0; i < p.var->value.numel(); ++i)
      if (!std::isfinite(g[i])) return p.name;
  }
  return "(none)";
}

double global_grad_norm(const std::vector<Parameter>& params) {
  // Every tensor cut into blocks of a fixed size; blocks are summed in parallel, then added in
  // order, so the result does not depend on the thread count.
  constexpr int64_t kBlock = 1 << 14;
  struct Block {
    const float* g;
    int64_t n;
  };
  std::vector<Block> blocks;
  for (const auto& p : params) {
    if (!p.var->requires_grad) continue;
    const float* g = p.var->grad_ptr();
    const int64_t n = p.var->value.numel();
    for (int64_t start = 0; start < n; start += kBlock)
      blocks.push_back({g + start, std::min(kBlock, n - start)});
  }
  std::vector<double> partial(blocks.size());
  parallel_for_each(int64_t(blocks.size()), kBlock, [&](int64_t b) {
    double s = 0.0;
#pragma omp simd reduction(+ : s)
    for (int64_t i = 0; i < blocks[b].n; ++i) s += double(blocks[b].g[i]) * double(blocks[b].g[i]);
    partial[b] = s;
  });
  double sum = 0.0;
  for (double s : partial) sum += s;
  return std::sqrt(sum);
}

float clip_coefficient(double norm, float max_norm) {
  if (max_norm <= 0.0f) return 1.0f;
  const double coef = double(max_norm) / (norm + 1e-6);
  return coef >= 1.0 ? 1.0f : float(coef);
}

}  // namespace dikkat
