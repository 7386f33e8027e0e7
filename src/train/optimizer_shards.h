#pragma once
// ZeRO-1 (Rajbhandari et al.) at the granularity of whole parameter tensors: each trainable
// tensor's AdamW state belongs to one rank, which alone keeps its moments and updates it; the
// new values then go from the owner to every rank. Gradients are still averaged everywhere
// first, so every update is the unsharded one, and the run's losses are bit-identical to it.
// Optimizer memory per rank falls from 2P floats to about 2P/N.
#include <cstdint>
#include <vector>

#include "nn/parameter.h"
#include "train/adamw.h"
#include "train/distributed.h"

namespace dikkat {

class OptimizerShards {
 public:
  // Tensors are dealt in parameter order to the rank that owns the fewest elements so far.
  OptimizerShards(Distributed& world, const std::vector<Parameter>& params);

  // Per parameter: this rank owns it.
  std::vector<bool> mine() const;
  // The floats of optimizer state (both moments) this rank keeps.
  int64_t owned_state_floats() const;
  // After each rank's AdamW step on its own tensors: every tensor's new values from its owner.
  void gather_parameters() const;
  // Before rank 0 writes a checkpoint (unsharded, as one process writes it): the moments of the
  // tensors other ranks own, sent into rank 0's optimizer. Rank 0 releases them again with
  // AdamW::keep_only(mine()).
  void moments_to_root(AdamW& optimizer) const;

 private:
  Distributed& world_;
  std::vector<Parameter> params_;
  std::vector<int> owner_;  // -1: frozen (no optimizer state anywhere)
};

}  // namespace dikkat
