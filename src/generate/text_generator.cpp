#include "generate/text_generator.h"

#include <algorithm>

#include "error.h"

namespace dikkat {

namespace {

IncrementalDecoder& language_model_decoder(const std::unique_ptr<IncrementalDecoder>& decoder,
                                           const Model& model) {
  if (!decoder)
    throw Error("the model does not continue text (" + model.summary() +
                "): use dikkat translate for a translator, dikkat fill for a masked language model");
  return *decoder;
}

}  // namespace

std::vector<std::vector<int32_t>> generate_samples(const Model& model,
                                                   const std::vector<int32_t>& prompt,
                                                   int64_t max_tokens, int64_t samples,
                                                   const SamplingOptions& options,
                                                   std::mt19937_64& rng, int32_t stop_token,
                                                   const std::function<void(int32_t)>& on_token) {
  if (prompt.empty()) throw Error("prompt is empty: give at least one character");
  if (samples < 1) throw Error("--samples must be at least 1");
  const auto decoder_ptr = model.decoder();
  IncrementalDecoder& decoder = language_model_decoder(decoder_ptr, model);
  const int64_t context = decoder.capacity(), V = model.config().vocab_size;
  const auto rows = static_cast<size_t>(samples);
  std::vector<std::vector<int32_t>> texts(rows, prompt), generated(rows);
  std::vector<bool> done(rows, false);
  // Every row's window, the last `context` tokens of its text, fed side by side from empty rows.
  auto run_windows = [&] {
    decoder.reset();
    const int64_t n = std::min<int64_t>(context, int64_t(texts[0].size()));
    if (samples > 1) decoder.select_rows(std::vector<int32_t>(size_t(samples), 0));
    std::vector<int32_t> tokens;
    for (const auto& t : texts) tokens.insert(tokens.end(), t.end() - n, t.end());
    return decoder.feed(tokens);
  };
  // The prompt once, then copied to every row.
  decoder.reset();
  const int64_t start = std::max<int64_t>(0, int64_t(prompt.size()) - context);
  std::span<const float> logits = decoder.feed(std::span<const int32_t>(prompt).subspan(size_t(start)));
  std::vector<float> first(logits.begin(), logits.end());
  if (samples > 1) decoder.select_rows(std::vector<int32_t>(size_t(samples), 0));
  for (int64_t n = 0; n < max_tokens; ++n) {
    std::vector<int32_t> step(rows);
    for (int64_t r = 0; r < samples; ++r) {
      const std::span<const float> row =
          n == 0 ? std::span<const float>(first) : logits.subspan(size_t(r * V), size_t(V));
      step[size_t(r)] = sample_token(row, options, rng);
      if (done[size_t(r)]) continue;
      generated[size_t(r)].push_back(step[size_t(r)]);
      if (on_token) on_token(step[size_t(r)]);
      done[size_t(r)] = step[size_t(r)] == stop_token;
    }
    for (int64_t r = 0; r < samples; ++r) texts[size_t(r)].push_back(step[size_t(r)]);
    if (n + 1 == max_tokens || std::all_of(done.begin(), done.end(), [](bool d) { return d; }))
      break;
    logits = decoder.length() < context ? decoder.feed(step) : run_windows();
  }
  return generated;
}

std::vector<int32_t> generate_tokens(const Model& model, const std::vector<int32_t>& prompt,
                                     int64_t max_tokens, const SamplingOptions& options,
                                     std::mt19937_64& rng,
                                     const std::function<void(int32_t)>& on_token,
                                     int32_t stop_token) {
  return generate_samples(model, prompt, max_tokens, 1, options, rng, stop_token, on_token)[0];
}

}  // namespace dikkat
