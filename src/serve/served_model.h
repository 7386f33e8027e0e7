#pragma once
// One model directory the server shows. Weights are loaded on first use and again whenever
// model.safetensors changes, so a server watching a training run shows its latest checkpoint;
// the directory's other checkpoints (model_step0.safetensors, the snapshots of
// train --snapshot-every, run/snapshots.h) load on demand and stay loaded.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "run/checkpoint.h"

namespace dikkat {

// The names of the kinds of attention table a model has (Model::attention_kinds), as a JSON list.
nlohmann::json attention_kind_names(const Model& model);

class ServedModel {
 public:
  ServedModel(std::string id, std::string dir);

  const std::string& id() const { return id_; }
  const std::string& dir() const { return dir_; }
  // config.json, tokenizer.json and model.safetensors all exist (a run writes its first weights
  // at its first checkpoint).
  bool ready() const;
  // The latest weights; an ApiError (409) while the directory has none yet.
  std::shared_ptr<const LoadedModel> latest();
  // A checkpoint file of the directory by name (model.safetensors, model_step0.safetensors,
  // snapshots/step_N.safetensors); ApiError (400, field `field`) for any other name.
  std::shared_ptr<const LoadedModel> checkpoint(const std::string& file, const std::string& field);
  // The entry of GET /api/models (docs/serve-api.md).
  nlohmann::json describe();
  std::string metrics_path() const;

 private:
  struct Loaded {
    std::filesystem::file_time_type mtime;
    uintmax_t size = 0;
    std::shared_ptr<const LoadedModel> model;
  };
  std::shared_ptr<const LoadedModel> load(const std::string& file);

  std::string id_, dir_;
  std::mutex mutex_;
  std::map<std::string, Loaded> loaded_;  // by checkpoint file name
};

}  // namespace dikkat
