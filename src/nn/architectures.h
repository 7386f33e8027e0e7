#pragma once
// The list of architectures: the one place that maps a config's "arch" to a Model class.
#include <memory>

#include "nn/model.h"

namespace dikkat {

// The model `config.arch` names, with its parameters at zero (call Model::init or load weights).
std::unique_ptr<Model> make_model(const ModelConfig& config);

}  // namespace dikkat
