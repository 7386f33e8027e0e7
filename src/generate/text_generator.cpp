#include "generate/text_generator.h"

#include <algorithm>

#include "error.h"

namespace dikkat {

std::vector<int32_t> generate_tokens(const Model& model, const std::vector<int32_t>& prompt,
                                     int64_t max_tokens, const SamplingOptions& options,
                                     std::mt19937_64& rng,
                                     const std::function<void(int32_t)>& on_token,
                                     int32_t stop_token) {
  if (prompt.empty()) throw Error("prompt is empty: give at least one character");
  const auto decoder_ptr = model.decoder();
  if (!decoder_ptr)
    throw Error("the model does not continue text (" + model.summary() +
                "): use dikkat translate for a translator, dikkat fill for a masked language model");
  IncrementalDecoder& decoder = *decoder_ptr;
  const int64_t context = decoder.capacity();
  std::vector<int32_t> text = prompt;
  // The window the model sees: the last `context` tokens of the text so far.
  auto run_window = [&] {
    decoder.reset();
    const int64_t start = std::max<int64_t>(0, int64_t(text.size()) - context);
    return decoder.feed(std::span<const int32_t>(text).subspan(size_t(start)));
  };
  std::span<const float> logits = run_window();
  std::vector<int32_t> generated;
  for (int64_t n = 0; n < max_tokens; ++n) {
    const int32_t next = sample_token(logits, options, rng);
    generated.push_back(next);
    text.push_back(next);
    on_token(next);
    if (next == stop_token) break;
    if (n + 1 == max_tokens) break;
    logits = decoder.length() < context ? decoder.feed(next) : run_window();
  }
  return generated;
}

}  // namespace dikkat
