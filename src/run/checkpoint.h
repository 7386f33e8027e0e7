#pragma once
// A dikkat model directory:
//   config.json          {"format": "dikkat", "version": 1, "model": {...}, "train": {...}}
//   tokenizer.json       the vocabulary: characters, or byte-level BPE in Hugging Face's layout
//   model.safetensors    the latest weights (metadata: step, config)
//   model_step0.safetensors  the untrained weights, for before/after views
//   train_state.safetensors  weights + AdamW moments + step + RNG states, for an exact resume
//   metrics.jsonl        one JSON object per step
// Every file is written to a temporary name and renamed into place.
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "nn/model.h"
#include "nn/model_config.h"
#include "run/train_config.h"
#include "tokenize/tokenizer.h"

namespace dikkat {

struct RunConfig {
  ModelConfig model;
  TrainConfig train;
};

std::string join_path(const std::string& dir, const std::string& file);

void write_run_config(const std::string& dir, const RunConfig& config);
RunConfig read_run_config(const std::string& dir);
// config.json's content, checked field by field; `path` names it in errors.
RunConfig parse_run_config(const nlohmann::json& j, const std::string& path);
void write_tokenizer(const std::string& dir, const Tokenizer& tokenizer);
Tokenizer read_tokenizer(const std::string& dir);
// A tokenizer file on its own: a tokenizer.json (dikkat's characters or Hugging Face's BPE) or
// GPT-2's tiktoken ranks.
Tokenizer read_tokenizer_file(const std::string& path);

// Weights as safetensors under the model's own parameter names.
void save_weights(const std::string& path, const Model& model, int64_t step);
// Copies every parameter from `reader`-compatible file at `path` into `model`, checking that each
// is present with the right shape and that the file holds no tensor the model lacks.
// Returns the step recorded in the file's metadata.
int64_t load_weights(const std::string& path, Model& model);

struct LoadedModel {
  RunConfig config;
  Tokenizer tokenizer;
  std::unique_ptr<Model> model;
  int64_t step;
};
// Loads config, tokenizer and `weights_file` from `dir`, checking they agree with each other.
LoadedModel load_model_dir(const std::string& dir,
                           const std::string& weights_file = "model.safetensors");

}  // namespace dikkat
