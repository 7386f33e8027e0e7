#pragma once
// Prompt in, continuation out, one token at a time (the seed's `inference` loop with a KV cache).
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "generate/sampler.h"
#include "nn/model.h"

namespace dikkat {

// Feeds `prompt` (non-empty), then samples `max_tokens` tokens, calling `on_token` with each as
// soon as it is chosen. While the text fits the context every token extends the cache; once it
// outgrows the context the model sees only the last `context` tokens (positions restart at 0),
// so the cache is rebuilt from that window for each further token. Stops early at `stop_token`
// when it is >= 0. Returns the generated ids.
std::vector<int32_t> generate_tokens(const Model& model, const std::vector<int32_t>& prompt,
                                     int64_t max_tokens, const SamplingOptions& options,
                                     std::mt19937_64& rng,
                                     const std::function<void(int32_t)>& on_token,
                                     int32_t stop_token = -1);

// `samples` continuations of one prompt side by side, in one batch: the prompt is fed once and
// its cache copied to every row (IncrementalDecoder::select_rows), then each step runs every
// row's newest token together, so the weights are read once per step for all rows. Row after
// row, each samples its token from its own logits with `rng`. A row that reaches `stop_token`
// (>= 0) keeps it as its last token and stops growing. The context rule is generate_tokens'.
// `on_token`, when set, is called with each row's token as it is chosen, row after row.
std::vector<std::vector<int32_t>> generate_samples(
    const Model& model, const std::vector<int32_t>& prompt, int64_t max_tokens, int64_t samples,
    const SamplingOptions& options, std::mt19937_64& rng, int32_t stop_token = -1,
    const std::function<void(int32_t)>& on_token = {});

}  // namespace dikkat
