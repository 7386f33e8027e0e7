#include "nn/gpt_decoder.h"

#include "tensor/ops.h"

namespace dikkat {

GptDecoder::GptDecoder(const Gpt& model)
    : model_(model),
      cache_(model.config().n_layer, 1, model.config().context, model.config().n_embd) {}

std::span<const float> GptDecoder::feed(std::span<const int32_t> tokens) {
  const ModelConfig& c = model_.config();
  const int64_t n = tokens_per_row("KV decoder", tokens, cache_.rows());
  check_feed("KV decoder", tokens.first(size_t(n)), cache_.length(), c.context, c.vocab_size);
  check_token_ids(tokens, c.vocab_size);
  Graph g = Graph::inference();
  const Var logits = model_.forward_cached(g, tokens, n, cache_);
  logits_ = std::move(logits->value);
  return logits_.data;
}

}  // namespace dikkat
