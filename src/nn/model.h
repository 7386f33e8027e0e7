#pragma once
// What every architecture gives the rest of dikkat (Marian's IModel idea): its parameters with
// their roles, the loss of a batch, and an incremental decoder. The trainer, checkpoints, AdamW,
// generation and the look-inside commands hold a Model and never name a concrete architecture;
// make_model (nn/architectures.h) builds the one a config names.
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "nn/incremental_decoder.h"
#include "nn/model_config.h"
#include "nn/parameter.h"
#include "tensor/graph.h"

namespace dikkat {

// A language-modelling batch: `rows` sequences of `time` tokens, row-major, and the token each
// position must predict.
struct Batch {
  int64_t rows = 0, time = 0;
  std::vector<int32_t> inputs, targets;
};

class Model {
 public:
  virtual ~Model() = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const ModelConfig& config() const { return config_; }
  const std::vector<Parameter>& parameters() const { return params_; }
  const Var* find(const std::string& name) const;
  int64_t parameter_count() const;
  // Fresh weights by role (GPT-2's scheme, nn/parameter.h). Parameters start at zero.
  void init(std::mt19937_64& rng, float std);

  // Mean cross-entropy of the batch's targets. Dropout draws from `dropout_rng` when it is given
  // and `g` records; otherwise the model runs deterministically.
  virtual Var loss(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng) const = 0;
  virtual std::unique_ptr<IncrementalDecoder> decoder() const = 0;

  // What the embedding views show: the token table (V, C) and the position table (context, C),
  // learned or fixed.
  virtual const Var& token_embedding() const = 0;
  virtual const Var& position_table() const = 0;

 protected:
  explicit Model(const ModelConfig& config);
  Var add_parameter(std::string name, std::vector<int64_t> shape, ParamRole role);
  // How many branches add into the residual stream; residual projections start with
  // std / sqrt(this).
  virtual int64_t residual_branches() const = 0;

 private:
  ModelConfig config_;
  std::vector<Parameter> params_;
};

}  // namespace dikkat
