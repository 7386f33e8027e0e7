#include "nn/architectures.h"

#include "nn/bert.h"
#include "nn/bigram.h"
#include "nn/gpt.h"
#include "nn/model_task.h"
#include "nn/rnn.h"
#include "nn/seq2seq.h"

namespace dikkat {

std::unique_ptr<Model> make_model(const ModelConfig& config) {
  switch (config.arch) {
    case Arch::kGpt:
      return std::make_unique<Gpt>(config);
    case Arch::kSeq2seq:
      return std::make_unique<Seq2seq>(config);
    case Arch::kRnn:
      return std::make_unique<Rnn>(config);
    case Arch::kBigram:
      return std::make_unique<Bigram>(config);
    case Arch::kBert:
      return std::make_unique<Bert>(config);
  }
  return nullptr;  // every Arch is handled above; the compiler warns when one is added
}

ModelTask task_of(Arch arch) {
  switch (arch) {
    case Arch::kGpt:
    case Arch::kBigram:
      return ModelTask::kLanguageModel;
    case Arch::kSeq2seq:
    case Arch::kRnn:
      return ModelTask::kTranslation;
    case Arch::kBert:
      return ModelTask::kMaskedLanguageModel;
  }
  return ModelTask::kLanguageModel;  // every Arch is handled above
}

}  // namespace dikkat
