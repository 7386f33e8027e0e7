#pragma once
// What an architecture is trained to do, which decides the data it reads (fairseq's task) and the
// views it has: a language model continues a token stream; a translation model maps a source
// sentence to a target; a masked language model fills in the tokens hidden behind [MASK].
#include <array>

#include "nn/enum_names.h"
#include "nn/model_config.h"

namespace dikkat {

enum class ModelTask { kLanguageModel, kTranslation, kMaskedLanguageModel };

inline constexpr std::array kTaskNames = {
    EnumName<ModelTask>{ModelTask::kLanguageModel, "language_model"},
    EnumName<ModelTask>{ModelTask::kTranslation, "translation"},
    EnumName<ModelTask>{ModelTask::kMaskedLanguageModel, "masked_language_model"}};

ModelTask task_of(Arch arch);

}  // namespace dikkat
