#include "nn/bigram.h"

#include <algorithm>
#include <string>
#include <vector>

#include "error.h"
#include "tensor/ops.h"

namespace dikkat {

namespace {

// Generation's view: the logits after a text are the table row of its last token; the cache is
// just how many tokens were fed (the context still bounds a text, as for every model).
class BigramDecoder final : public IncrementalDecoder {
 public:
  explicit BigramDecoder(const Bigram& model) : model_(model) {}

  using IncrementalDecoder::feed;
  void reset() override { length_ = 0; }
  int64_t length() const override { return length_; }
  int64_t capacity() const override { return model_.config().context; }
  std::span<const float> feed(std::span<const int32_t> tokens, ActivationTrace* trace) override {
    const ModelConfig& c = model_.config();
    const int64_t n = int64_t(tokens.size()), V = c.vocab_size;
    check_feed("bigram decoder", tokens, length_, c.context, V);
    Graph g = Graph::inference();
    const Var logits = model_.logits(g, tokens, 1, n);
    record_rows(trace, "logits", logits->value);
    logits_.assign(logits->value.ptr() + (n - 1) * V, logits->value.ptr() + n * V);
    length_ += n;
    return logits_;
  }

 private:
  const Bigram& model_;
  int64_t length_ = 0;
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

}  // namespace dikkat
