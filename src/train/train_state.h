#pragma once
// Everything an exact resume needs, in one safetensors file (one atomic rename, so weights,
// optimizer moments, step and RNG states can never come from different steps):
//   param/<name>, adam_m/<name>, adam_v/<name>; metadata: step, rng, config.
#include <random>
#include <string>

#include "nn/model.h"
#include "train/adamw.h"

namespace dikkat {

// Independent streams, so that evaluation never shifts the training batches or dropout masks.
// Batches are drawn at random positions, so the batch stream's state is the data position.
struct TrainingRngs {
  std::mt19937_64 batches, dropout, eval;

  static TrainingRngs seeded(uint64_t seed);
  std::string serialize() const;
  void deserialize(const std::string& text, const std::string& source);
};

void save_train_state(const std::string& path, const Model& model, AdamW& optimizer, int64_t step,
                      const TrainingRngs& rngs);
// Restores weights, moments and RNGs into objects built for the same config; returns the step.
int64_t load_train_state(const std::string& path, Model& model, AdamW& optimizer,
                         TrainingRngs& rngs);

}  // namespace dikkat
