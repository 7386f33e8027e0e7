#include "nn/architectures.h"

#include "nn/gpt.h"
#include "nn/seq2seq.h"

namespace dikkat {

std::unique_ptr<Model> make_model(const ModelConfig& config) {
  switch (config.arch) {
    case Arch::kGpt:
      return std::make_unique<Gpt>(config);
    case Arch::kSeq2seq:
      return std::make_unique<Seq2seq>(config);
  }
  return nullptr;  // every Arch is handled above; the compiler warns when one is added
}

}  // namespace dikkat
