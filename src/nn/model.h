#pragma once
// What every architecture gives the rest of dikkat (Marian's IModel idea): its parameters with
// their roles, the loss of a batch, and an incremental decoder. The trainer, checkpoints, AdamW,
// generation and the look-inside commands hold a Model and never name a concrete architecture;
// make_model (nn/architectures.h) builds the one a config names.
#include <cstdint>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "nn/incremental_decoder.h"
#include "nn/model_config.h"
#include "nn/parameter.h"
#include "nn/translation_decoder.h"
#include "tensor/graph.h"

namespace dikkat {

// `rows` sequences of `time` tokens, row-major, and the token each position must predict; a
// target of kIgnoredTarget (padding) is left out of the loss. A sequence-to-sequence batch also
// carries the source sentences, padded to `source_time`, with their true lengths.
inline constexpr int32_t kIgnoredTarget = -1;
struct Batch {
  int64_t rows = 0, time = 0;
  std::vector<int32_t> inputs, targets;
  int64_t source_time = 0;
  std::vector<int32_t> source, source_lengths;
};

// One sentence pair as a batch of one row, as the look-inside commands run it: the source with
// the end token after it, decoder inputs <end> + target (so position t predicts target[t], and
// the end token after the last), no targets.
Batch translation_batch(std::span<const int32_t> source, std::span<const int32_t> target,
                        int32_t end_token);

// Error "<who>: ..." unless a sequence-to-sequence batch holds rows x source_time source ids, a
// length per row and rows x time target ids, both sides within `context`.
void check_translation_batch(const char* who, const Batch& batch, int64_t context);

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
  // Language models continue a text (generate, probs, trace); others return null.
  virtual std::unique_ptr<IncrementalDecoder> decoder() const { return nullptr; }
  // Sequence-to-sequence models translate; language models return null.
  virtual std::unique_ptr<TranslationDecoder> translation_decoder() const { return nullptr; }
  // For translation models: `source` (+ end token) and <end> + `target` through the training
  // forward with every attention table kept (the look-inside commands). Error for others.
  virtual TranslationPass translation_pass(std::span<const int32_t> source,
                                           std::span<const int32_t> target,
                                           int32_t end_token) const;

  // What the embedding views show: the token table (V, C) and the position table (context, C),
  // learned or fixed; null for a model that knows order from reading in sequence (an RNN).
  virtual const Var& token_embedding() const = 0;
  virtual Var position_table() const = 0;

 protected:
  explicit Model(const ModelConfig& config);
  Var add_parameter(std::string name, std::vector<int64_t> shape, ParamRole role);
  // How many branches add into the residual stream; residual projections start with
  // std / sqrt(this).
  virtual int64_t residual_branches() const = 0;
  // The std of embedding tables' initial values.
  virtual float embedding_std(float std) const { return std; }

 private:
  ModelConfig config_;
  std::vector<Parameter> params_;
};

}  // namespace dikkat
