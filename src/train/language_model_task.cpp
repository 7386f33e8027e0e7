#include "train/language_model_task.h"

#include "generate/text_generator.h"
#include "train/eval_progress.h"

namespace dikkat {

LanguageModelTask::LanguageModelTask(const RunConfig& config, const Tokenizer& tokenizer)
    : config_(config),
      tokenizer_(tokenizer),
      data_(tokenizer.encode(read_training_text(config.train.data), config.train.data),
            config.train.val_fraction, config.model.context, config.train.data) {}

std::string LanguageModelTask::describe() const {
  return std::to_string(data_.train_tokens()) + " train / " + std::to_string(data_.val_tokens()) +
         " val tokens, " + std::to_string(config_.train.steps) + " steps of " +
         std::to_string(config_.train.batch_size) + " x " + std::to_string(config_.model.context) +
         " tokens";
}

void LanguageModelTask::train_batch(int64_t, std::mt19937_64& rng, Batch& batch) const {
  batch.rows = config_.train.batch_size;
  batch.time = config_.model.context;
  data_.sample(Split::kTrain, batch.rows, batch.time, rng, batch.inputs, batch.targets);
}

float LanguageModelTask::evaluate(const Model& model, Split split, std::mt19937_64& rng,
                                  const std::string& progress_label) const {
  Batch batch;
  batch.rows = config_.train.batch_size;
  batch.time = config_.model.context;
  const int64_t n = config_.train.eval_batches;
  EvalProgress progress(progress_label, n);
  double total = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    data_.sample(split, batch.rows, batch.time, rng, batch.inputs, batch.targets);
    Graph g = Graph::inference();
    total += model.loss(g, batch, nullptr)->value.data[0];
    progress.update(i + 1);
  }
  return float(total / double(n));
}

std::string LanguageModelTask::sample(const Model& model) const {
  if (config_.train.sample_tokens == 0) return "";
  // Greedy, like the seed's loop, from the same validation token every time: successive samples
  // show what changed. Greedy decoding draws nothing, so the training streams stay untouched and
  // a fixed local generator serves both the start position and the sampler.
  std::vector<int32_t> x, y;
  std::mt19937_64 fixed(0);
  data_.sample(Split::kVal, 1, 1, fixed, x, y);
  std::string text = tokenizer_.decode_one(x[0]);
  SamplingOptions greedy{.temperature = 0.0f};
  generate_tokens(model, x, config_.train.sample_tokens, greedy, fixed,
                  [&](int32_t id) { text += tokenizer_.decode_one(id); });
  for (char& c : text)
    if (c == '\n') c = ' ';
  return text;
}

}  // namespace dikkat
