#include "train/training_task.h"

#include "nn/model_task.h"
#include "train/language_model_task.h"
#include "train/masked_lm_task.h"
#include "train/translation_task.h"

namespace dikkat {

std::string vocabulary_text(const TrainConfig& config, ModelTask task,
                            std::vector<std::string>& special_tokens) {
  switch (task) {
    case ModelTask::kLanguageModel:
      return read_training_text(config.data);
    case ModelTask::kMaskedLanguageModel:
      special_tokens = {std::string(kMaskToken), std::string(kClsToken), std::string(kSepToken),
                        std::string(kPadToken)};
      return read_training_text(config.data);
    case ModelTask::kTranslation:
      break;
  }
  special_tokens = {"<|endoftext|>"};
  std::vector<SentencePair> train, valid;
  int64_t skipped = 0;
  read_run_pairs(config, train, valid, skipped);
  std::string text;
  for (const auto& p : train) text += p.source + "\n" + p.target + "\n";
  return text;
}

std::unique_ptr<TrainingTask> make_training_task(const RunConfig& config,
                                                 const Tokenizer& tokenizer) {
  switch (task_of(config.model.arch)) {
    case ModelTask::kLanguageModel:
      return std::make_unique<LanguageModelTask>(config, tokenizer);
    case ModelTask::kTranslation:
      return std::make_unique<TranslationTask>(config, tokenizer);
    case ModelTask::kMaskedLanguageModel:
      return std::make_unique<MaskedLmTask>(config, tokenizer);
  }
  return nullptr;  // every ModelTask is handled above
}

}  // namespace dikkat
