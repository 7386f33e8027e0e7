#pragma once
// What an architecture is trained to do, which decides the data it reads (fairseq's task) and the
// views it has: a language model continues a token stream; a translation model maps a source
// sentence to a target.
#include <array>

#include "nn/enum_names.h"
#include "nn/model_config.h"

namespace dikkat {

enum class ModelTask { kLanguageModel, kTranslation };

inline constexpr std::array kTaskNames = {
    EnumName<ModelTask>{ModelTask::kLanguageModel, "language_model"},
    EnumName<ModelTask>{ModelTask::kTranslation, "translation"}};

ModelTask task_of(Arch arch);

}  // namespace dikkat
