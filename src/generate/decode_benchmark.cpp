#include "generate/decode_benchmark.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "error.h"

namespace dikkat {

DecodeTiming time_decoding(const Model& model, int64_t prompt_tokens, int64_t new_tokens,
                           int repeats) {
  const int64_t context = model.config().context;
  if (prompt_tokens < 1 || prompt_tokens >= context)
    throw Error("--prompt-tokens must be between 1 and " + std::to_string(context - 1));
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<int32_t> token(0, int32_t(model.config().vocab_size - 1));
  std::vector<int32_t> prompt(prompt_tokens);
  for (int32_t& id : prompt) id = token(rng);
  DecodeTiming t;
  t.prompt_tokens = prompt_tokens;
  t.generated_tokens = std::min(new_tokens, context - prompt_tokens);
  t.weight_bytes_per_token = 4.0 * double(model.parameter_count());
  t.prompt_seconds = t.generate_seconds = 1e30;
  using clock = std::chrono::steady_clock;
  const auto decoder_ptr = model.decoder();
  if (!decoder_ptr)
    throw Error("the model does not continue text (" + model.summary() +
                "): the decoding benchmark needs a language model");
  IncrementalDecoder& decoder = *decoder_ptr;
  for (int run = 0; run <= repeats; ++run) {
    decoder.reset();
    const auto start = clock::now();
    std::span<const float> logits = decoder.feed(prompt);
    const auto prompt_done = clock::now();
    for (int64_t i = 0; i < t.generated_tokens; ++i) {
      const int32_t next = int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
      if (decoder.length() == context) break;
      logits = decoder.feed(next);
    }
    const auto done = clock::now();
    if (run == 0) continue;  // warm-up: page faults, caches, thread start
    t.prompt_seconds =
        std::min(t.prompt_seconds, std::chrono::duration<double>(prompt_done - start).count());
    t.generate_seconds =
        std::min(t.generate_seconds, std::chrono::duration<double>(done - prompt_done).count());
  }
  return t;
}

}  // namespace dikkat
