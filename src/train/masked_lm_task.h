#pragma once
// A masked language model's data (BERT's pre-training task): examples of [CLS] tokens [SEP] made
// from the text file, each non-empty line one example (config "examples": "lines") or the token
// stream cut into windows of the context ("windows"); the last val_fraction of the examples is
// held out. A batch is batch_size random examples, right-padded with [PAD], masked as BERT masks
// (train/masked_lm_data.h); the loss counts the masked positions only. Evaluations add top-1 and
// top-5 accuracy on validation examples; the sample is one validation example filled in.
#include <vector>

#include "train/masked_lm_data.h"
#include "train/training_task.h"

namespace dikkat {

// The run's examples: training and validation.
struct MaskedLmExamples {
  std::vector<std::vector<int32_t>> train, valid;
};
MaskedLmExamples read_masked_lm_examples(const RunConfig& config, const Tokenizer& tokenizer,
                                         const MaskedLmTokens& tokens);

class MaskedLmTask final : public TrainingTask {
 public:
  MaskedLmTask(const RunConfig& config, const Tokenizer& tokenizer);

  std::string describe() const override;
  void train_batch(int64_t step, std::mt19937_64& rng, Batch& batch) const override;
  int64_t batch_tokens(const Batch& batch) const override;
  float evaluate(const Model& model, Split split, std::mt19937_64& rng,
                 const std::string& progress_label) const override;
  nlohmann::json quality(const Model& model) const override;
  std::string sample(const Model& model) const override;

 private:
  // batch_size random examples of `examples`, padded and masked.
  void random_batch(const std::vector<std::vector<int32_t>>& examples, std::mt19937_64& rng,
                    Batch& batch) const;

  const RunConfig& config_;
  const Tokenizer& tokenizer_;
  MaskedLmTokens tokens_;
  MaskedLmExamples examples_;
};

}  // namespace dikkat
