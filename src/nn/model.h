#pragma once
// What every architecture gives the rest of dikkat (Marian's IModel idea): its parameters with
// their roles, the loss of a batch, its decoders, and what can be seen inside it (its attention
// kinds and one input traced step by step). The trainer, checkpoints, AdamW, generation, the
// look-inside commands and the server hold a Model and never name a concrete architecture;
// make_model (nn/architectures.h) builds the one a config names.
#include <cstdint>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "nn/activation_trace.h"
#include "nn/incremental_decoder.h"
#include "nn/inspection.h"
#include "nn/model_config.h"
#include "nn/model_task.h"
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
  // A masked language model's batch of right-padded examples: each row's real length (empty:
  // no padding).
  std::vector<int32_t> lengths;
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
  // The logits (rows, time, V) of every position of the batch, without dropout: what the loss
  // scores (evaluations that need more than the loss, such as a masked LM's top-5 accuracy).
  virtual Var batch_logits(Graph& g, const Batch& batch) const = 0;
  // What it is trained to do (nn/model_task.h): it decides the data and the views it has.
  ModelTask task() const { return task_of(config_.arch); }
  // Language models continue a text (generate, probs); others return null.
  virtual std::unique_ptr<IncrementalDecoder> decoder() const { return nullptr; }
  // Sequence-to-sequence models translate; others return null.
  virtual std::unique_ptr<TranslationDecoder> translation_decoder() const { return nullptr; }

  // Looking inside (nn/inspection.h). The kinds of attention table the model has (none for a
  // model without attention), and one input through the training forward on an inference graph
  // with every step traced: its attention tables (AttentionKind::tables) among them, "logits"
  // (positions, V) last. A language model reads input.input; a translator input.input as its
  // source (end token appended) and end_token + input.target as its target. Error for an input
  // it cannot read (empty, longer than the context, an id outside the vocabulary).
  virtual std::vector<AttentionKind> attention_kinds() const = 0;
  virtual ActivationTrace inspect(const InspectionInput& input) const = 0;
  // Its shape in one line: "4 layers, 4 heads, n_embd 128".
  virtual std::string summary() const = 0;
  // For a model whose next token depends on the current token alone (the bigram): its (V, V)
  // table of next-token logits, row = current token. Null for every other model.
  virtual Var next_token_table() const { return nullptr; }
  // Whether the output projection is the token embedding table itself (tie_head).
  virtual bool output_tied_to_embedding() const { return false; }

  // What the embedding views show: the token table (V, C) and the position table (context, C),
  // learned or fixed; null for a model that knows order from reading in sequence (an RNN).
  virtual const Var& token_embedding() const = 0;
  virtual Var position_table() const = 0;

 protected:
  explicit Model(const ModelConfig& config);
  Var add_parameter(std::string name, std::vector<int64_t> shape, ParamRole role);
  // add_parameter as the layers in src/nn take it.
  AddParameter parameter_adder();
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
