#include "train/lr_schedule.h"

#include <cmath>
#include <numbers>

namespace dikkat {

float learning_rate(const TrainConfig& c, int64_t it) {
  if (it < c.warmup_steps) return c.lr * float(it + 1) / float(c.warmup_steps + 1);
  if (c.schedule == "constant") return c.lr;
  if (c.schedule == "inverse-sqrt")
    return c.lr * float(std::sqrt(double(c.warmup_steps + 1) / double(it + 1)));
  const int64_t decay = c.effective_decay_steps();
  if (it > decay || decay <= c.warmup_steps) return c.min_lr;
  const double ratio = double(it - c.warmup_steps) / double(decay - c.warmup_steps);
  const double coeff = 0.5 * (1.0 + std::cos(std::numbers::pi * ratio));
  return float(c.min_lr + coeff * (c.lr - c.min_lr));
}

}  // namespace dikkat
