#pragma once
// Named starting points for `--preset`: a model shape plus how to train it.
#include <string>
#include <vector>

#include "nn/model_config.h"
#include "run/train_config.h"

namespace dikkat {

struct Preset {
  std::string name;
  std::string description;
  ModelConfig model;
  TrainConfig train;
};

const std::vector<Preset>& all_presets();
// Error "unknown preset 'x' (choose from: ...)" when the name is not one of all_presets().
const Preset& find_preset(const std::string& name);
// Where `--arch A` alone starts: the default preset for a GPT, the mid-sized one of the others.
const Preset& default_preset(Arch arch);

}  // namespace dikkat
