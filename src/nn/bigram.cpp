#include "nn/bigram.h"

#include <algorithm>
#include <string>
#include <vector>

#include "error.h"
#include "tensor/ops.h"

namespace dikkat {

namespace {

// Generation's view: the logits after a text are the table row of its last token; the cache is
// just how many tokens each row was fed and its last token (the context still bounds a text, as
// for every model).
class BigramDecoder final : public IncrementalDecoder {
 public:
  explicit BigramDecoder(const Bigram& model) : model_(model) {}

  using IncrementalDecoder::feed;
  void reset() override { length_ = 0, last_ = {0}; }
  int64_t rows() const override { return int64_t(last_.size()); }
  int64_t length() const override { return length_; }
  int64_t capacity() const override { return model_.config().context; }
  std::span<const float> feed(std::span<const int32_t> tokens) override {
    const ModelConfig& c = model_.config();
    const int64_t n = tokens_per_row("bigram decoder", tokens, rows()), V = c.vocab_size;
    check_feed("bigram decoder", tokens.first(size_t(n)), length_, c.context, V);
    check_token_ids(tokens, V);
    for (size_t r = 0; r < last_.size(); ++r) last_[r] = tokens[(r + 1) * size_t(n) - 1];
    Graph g = Graph::inference();
    const Var logits = model_.logits(g, last_, rows(), 1);
    logits_.assign(logits->value.data.begin(), logits->value.data.end());
    length_ += n;
    return logits_;
  }
  void select_rows(std::span<const int32_t> keep) override {
    std::vector<int32_t> last;
    for (int32_t r : keep) {
      if (r < 0 || r >= rows())
        throw Error("bigram decoder: row " + std::to_string(r) + " does not exist");
      last.push_back(last_[size_t(r)]);
    }
    if (last.empty()) throw Error("bigram decoder: select_rows needs at least one row");
    last_ = std::move(last);
  }

 private:
  const Bigram& model_;
  int64_t length_ = 0;
  std::vector<int32_t> last_ = {0};  // each row's last token
  std::vector<float> logits_;
};

}  // namespace

Bigram::Bigram(const ModelConfig& config) : Model(config) {
  const int64_t V = this->config().vocab_size;
  table_ = add_parameter("token_embedding_table.weight", {V, V}, ParamRole::kEmbedding);
}

Var Bigram::logits(Graph& g, std::span<const int32_t> ids, int64_t rows, int64_t time) const {
  return embedding(g, table_, ids, {rows, time});
}

Var Bigram::loss(Graph& g, const Batch& batch, std::mt19937_64*) const {
  if (int64_t(batch.inputs.size()) != batch.rows * batch.time ||
      batch.targets.size() != batch.inputs.size())
    throw Error("bigram: a batch of " + std::to_string(batch.rows) + " x " +
                std::to_string(batch.time) + " needs as many inputs and targets");
  return cross_entropy(g, logits(g, batch.inputs, batch.rows, batch.time), batch.targets,
                       {.ignore_id = kIgnoredTarget, .label_smoothing = 0.0f})
      .loss;
}

std::unique_ptr<IncrementalDecoder> Bigram::decoder() const {
  return std::make_unique<BigramDecoder>(*this);
}

ActivationTrace Bigram::inspect(const InspectionInput& input) const {
  check_feed("inspect", input.input, 0, config().context, config().vocab_size);
  ActivationTrace trace;
  Graph g = Graph::inference();
  const Var table_rows = logits(g, input.input, 1, int64_t(input.input.size()));
  const TraceScope scope{&trace, "", {}, Sequence::kInput};
  scope.rows_of("logits", table_rows->value,
                {"logits: each token's row of the table, the scores of the token after it",
                 "logitler: her belirtecin tablo satırı, ondan sonraki belirtecin puanları"});
  return trace;
}

std::string Bigram::summary() const {
  return "a bigram table, vocab " + std::to_string(config().vocab_size);
}

}  // namespace dikkat
