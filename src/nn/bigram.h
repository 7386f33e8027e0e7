#pragma once
// The bigram language model, seed 004's first model (and makemore's): the logits of the next token
// are the row of one (V x V) table that the current token picks. It sees one token of context and
// no positions, so every later model has to beat it; trained, its table softmaxed row by row is
// P(next | current), the count table of a bigram language model learned by gradient descent.
// The parameter is nanoGPT's bigram.py name, token_embedding_table.weight.
//
// Its trace (one text of T tokens): logits (T,V), the table rows of the tokens.
#include <cstdint>
#include <memory>
#include <random>
#include <span>

#include "nn/model.h"

namespace dikkat {

class Bigram final : public Model {
 public:
  explicit Bigram(const ModelConfig& config);

  // ids (B,T) -> logits (B,T,V)
  Var logits(Graph& g, std::span<const int32_t> ids, int64_t rows, int64_t time) const;
  Var loss(Graph& g, const Batch& batch, std::mt19937_64* dropout_rng) const override;
  Var batch_logits(Graph& g, const Batch& b) const override {
    return logits(g, b.inputs, b.rows, b.time);
  }
  std::unique_ptr<IncrementalDecoder> decoder() const override;
  std::vector<AttentionKind> attention_kinds() const override { return {}; }
  ActivationTrace inspect(const InspectionInput& input) const override;
  std::string summary() const override;
  Var next_token_table() const override { return table_; }
  // The embedding views read the table's rows: tokens followed by similar tokens lie together.
  const Var& token_embedding() const override { return table_; }
  Var position_table() const override { return nullptr; }

 protected:
  int64_t residual_branches() const override { return 1; }

 private:
  Var table_;
};

}  // namespace dikkat
