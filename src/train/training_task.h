#pragma once
// The data side of training, separate from the model (fairseq's task): what a batch is, how the
// loss is evaluated, and what a sample shows. A language model trains on random windows of one
// token stream; a translation model on length-sorted batches of sentence pairs.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "nn/model.h"
#include "nn/model_task.h"
#include "run/checkpoint.h"
#include "train/dataset.h"

namespace dikkat {

class TrainingTask {
 public:
  virtual ~TrainingTask() = default;

  // What the data holds, for the run's first line.
  virtual std::string describe() const = 0;
  // Fills `batch` with training step `step`'s batch (0-based); `rng` is the run's batch stream,
  // for tasks that draw batches at random.
  virtual void train_batch(int64_t step, std::mt19937_64& rng, Batch& batch) const = 0;
  // Target tokens a batch trains on (for tokens/s).
  virtual int64_t batch_tokens(const Batch& batch) const = 0;
  // Mean loss per target token on `split`; `rng` is the run's evaluation stream.
  virtual float evaluate(const Model& model, Split split, std::mt19937_64& rng,
                         const std::string& progress_label) const = 0;
  // Scores beyond the loss at an evaluation (translation: BLEU and chrF on validation pairs),
  // as metrics.jsonl fields.
  virtual nlohmann::json quality(const Model& model) const = 0;
  // One line showing what the model does now: a continuation or a translation.
  virtual std::string sample(const Model& model) const = 0;
};

// The text a new run's vocabulary is learned from: the training text, or both sides of the
// training pairs. `special_tokens` receives the tokens the task needs in the vocabulary.
std::string vocabulary_text(const TrainConfig& config, ModelTask task,
                            std::vector<std::string>& special_tokens);
std::unique_ptr<TrainingTask> make_training_task(const RunConfig& config,
                                                 const Tokenizer& tokenizer);

}  // namespace dikkat
