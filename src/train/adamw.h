#pragma once
// AdamW (Loshchilov & Hutter) exactly as torch.optim.AdamW computes it:
//   p -= lr * wd * p   (decoupled decay, matrices only)
//   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
//   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// A parameter whose Var needs no gradient (frozen, train/freeze.h) is passed by, as torch passes
// by parameters without a .grad: no update, no decay, its moments stay as they are.
#include <string>
#include <vector>

#include "nn/parameter.h"
#include "run/train_config.h"

namespace dikkat {

class AdamW {
 public:
  AdamW(const std::vector<Parameter>& params, const TrainConfig& config);

  // One update from each parameter's current gradient times grad_scale (gradient clipping's
  // factor, applied here so clipping costs no pass of its own over the gradients).
  void step(float lr, float grad_scale = 1.0f);
  int64_t steps_taken() const { return t_; }
  void set_steps_taken(int64_t t) { t_ = t; }
  std::vector<Tensor>& first_moments() { return m_; }
  std::vector<Tensor>& second_moments() { return v_; }
  // ZeRO-1 (train/optimizer_shards.h): from now on update only the parameters `mine` marks and
  // keep only their moments (the others' are released; a checkpoint fills them in first).
  void keep_only(const std::vector<bool>& mine);

 private:
  std::vector<Parameter> params_;
  float beta1_, beta2_, eps_, weight_decay_;
  int64_t t_ = 0;
  std::vector<Tensor> m_, v_;
  std::vector<bool> updates_;  // per parameter: this optimizer updates it (all, unless sharded)
};

// The name of the first parameter (in model order) whose gradient holds a NaN or an infinity.
// This and global_grad_norm read only the parameters that need a gradient (not the frozen ones).
std::string first_non_finite_gradient(const std::vector<Parameter>& params);
// sqrt(sum of every gradient squared), summed in double in an order that does not depend on the
// thread count.
double global_grad_norm(const std::vector<Parameter>& params);
// The factor gradients are scaled by to clip their global norm to max_norm (torch's rule):
// max_norm / (norm + 1e-6) when norm exceeds max_norm, else 1. max_norm 0 turns clipping off.
float clip_coefficient(double norm, float max_norm);

}  // namespace dikkat
