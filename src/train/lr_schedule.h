#pragma once
#include <cstdint>

#include "run/train_config.h"

namespace dikkat {

// Learning rate for update `it` (0-based), nanoGPT's get_lr: linear warm-up over warmup_steps
// (lr * (it+1) / (warmup+1)), then cosine from lr down to min_lr at decay_steps, then min_lr.
// "constant" ignores min_lr and decay but keeps the warm-up; "inverse-sqrt" keeps the warm-up,
// then decays as lr * sqrt((warmup+1) / (it+1)) (the transformer paper's schedule, peak at lr).
float learning_rate(const TrainConfig& c, int64_t it);

}  // namespace dikkat
