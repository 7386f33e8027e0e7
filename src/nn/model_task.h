#pragma once
// What an architecture is trained to do, which decides the data it reads (fairseq's task): a
// language model continues a token stream; a translation model maps a source sentence to a target.
#include "nn/model_config.h"

namespace dikkat {

enum class ModelTask { kLanguageModel, kTranslation };

ModelTask task_of(Arch arch);

}  // namespace dikkat
