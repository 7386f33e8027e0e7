#pragma once
// The weights a run keeps by step, for watching a model learn (seed 002 compares one head's
// weights while training "is not finished yet"): model_step0.safetensors, the snapshots that
// `train --snapshot-every N` writes as snapshots/step_<N>.safetensors (weights only, the size of
// model.safetensors each), and model.safetensors, the latest.
#include <cstdint>
#include <string>
#include <vector>

#include "nn/model.h"

namespace dikkat {

struct Checkpoint {
  int64_t step;
  std::string file;  // relative to the run directory
};

std::string snapshot_file(int64_t step);
// Writes the model's weights as the snapshot of `step` (through a temporary file and a rename).
void save_snapshot(const std::string& dir, const Model& model, int64_t step);
// The run's weights in step order, one file per step (a snapshot before model.safetensors when
// both hold the same step); empty when the directory has none.
std::vector<Checkpoint> list_checkpoints(const std::string& dir);
// The file holding step `step`; Error naming `flag`, the directory and the steps it has when
// there is none.
std::string checkpoint_at(const std::string& dir, int64_t step, const std::string& flag);

}  // namespace dikkat
