#include "train/optimizer_shards.h"

#include <algorithm>

namespace dikkat {

OptimizerShards::OptimizerShards(Distributed& world, const std::vector<Parameter>& params)
    : world_(world), params_(params), owner_(params.size(), -1) {
  std::vector<int64_t> load(size_t(world.size()), 0);
  for (size_t k = 0; k < params_.size(); ++k) {
    if (!params_[k].var->requires_grad) continue;
    const int rank = int(std::min_element(load.begin(), load.end()) - load.begin());
    owner_[k] = rank;
    load[size_t(rank)] += params_[k].var->value.numel();
  }
}

std::vector<bool> OptimizerShards::mine() const {
  std::vector<bool> out(params_.size());
  for (size_t k = 0; k < params_.size(); ++k) out[k] = owner_[k] == world_.rank();
  return out;
}

int64_t OptimizerShards::owned_state_floats() const {
  int64_t n = 0;
  for (size_t k = 0; k < params_.size(); ++k)
    if (owner_[k] == world_.rank()) n += 2 * params_[k].var->value.numel();
  return n;
}

void OptimizerShards::gather_parameters() const {
  for (size_t k = 0; k < params_.size(); ++k)
    if (owner_[k] >= 0) {
      FloatBuffer& v = params_[k].var->value.data;
      world_.broadcast(std::span<float>(v.data(), v.size()), owner_[k]);
    }
}

void OptimizerShards::moments_to_root(AdamW& optimizer) const {
  for (size_t k = 0; k < params_.size(); ++k) {
    if (owner_[k] <= 0) continue;  // frozen, or rank 0's own
    for (std::vector<Tensor>* moments : {&optimizer.first_moments(), &optimizer.second_moments()}) {
      Tensor& m = (*moments)[k];
      if (world_.rank() == owner_[k]) {
        world_.send(std::span<const float>(m.ptr(), size_t(m.numel())), 0);
      } else if (world_.is_root()) {
        m = Tensor::uninitialized(params_[k].var->value.shape);
        world_.receive(std::span<float>(m.ptr(), size_t(m.numel())), owner_[k]);
      }
    }
  }
}

}  // namespace dikkat
