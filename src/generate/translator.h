#pragma once
// Sentences in, translations out: greedy decoding or beam search over a model's
// TranslationDecoder, many sentences per batch. The encoder runs once per batch; each step feeds
// one token per live hypothesis; finished sentences leave the batch.
#include <cstdint>
#include <functional>
#include <vector>

#include "nn/model.h"

namespace dikkat {

struct TranslateOptions {
  int64_t beam = 1;             // 1: greedy
  float length_penalty = 1.0f;  // a hypothesis scores log P / length^length_penalty
  // The most target tokens per sentence (0: 2 x source tokens + 10), never past the context.
  int64_t max_len = 0;
};

// `sources` are token ids without the end-of-sentence token (added here, as in training); each
// must fit the model's context with it (Error naming the sentence's index otherwise). Returns the
// target ids of each sentence without its end token.
std::vector<std::vector<int32_t>> translate(const Model& model,
                                            const std::vector<std::vector<int32_t>>& sources,
                                            int32_t end_token, const TranslateOptions& options);

// translate() over any number of sentences, `batch` at a time, sentences of similar length
// together (less padding); the targets come back in the order of `sources`. `on_batch(done)` runs
// after each batch with the number of sentences translated so far (progress; it may throw to
// stop).
std::vector<std::vector<int32_t>> translate_in_batches(
    const Model& model, const std::vector<std::vector<int32_t>>& sources, int32_t end_token,
    const TranslateOptions& options, int64_t batch,
    const std::function<void(size_t done)>& on_batch = {});

}  // namespace dikkat
