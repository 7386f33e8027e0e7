#pragma once
// nanoGPT's data: random windows of `context` tokens from the first part of one token stream,
// the last val_fraction held out; evaluation averages eval_batches random batches; the sample is
// a greedy continuation of one validation token.
#include "train/training_task.h"

namespace dikkat {

class LanguageModelTask final : public TrainingTask {
 public:
  LanguageModelTask(const RunConfig& config, const Tokenizer& tokenizer);

  std::string describe() const override;
  void train_batch(int64_t step, std::mt19937_64& rng, Batch& batch) const override;
  int64_t batch_tokens(const Batch& batch) const override { return batch.rows * batch.time; }
  float evaluate(const Model& model, Split split, std::mt19937_64& rng,
                 const std::string& progress_label) const override;
  nlohmann::json quality(const Model&) const override { return nlohmann::json::object(); }
  std::string sample(const Model& model) const override;

 private:
  const RunConfig& config_;
  const Tokenizer& tokenizer_;
  TokenDataset data_;
};

}  // namespace dikkat
