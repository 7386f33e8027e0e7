// Generation's window rule: beyond the context the model sees the last `context` tokens.
#include "generate/text_generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "io/safetensors.h"
#include "nn/gpt.h"
#include "test_support.h"

namespace dikkat {
namespace {

Tensor full_forward(const Gpt& model, const std::vector<int32_t>& ids) {
  Graph g = Graph::inference();
  return model.forward(g, ids, 1, int64_t(ids.size()), nullptr)->value;
}

TEST(TextGenerator, GreedyBeyondTheContextSeesTheLastContextTokens) {
  auto model = testing::fixture_model<Gpt>("gpt_prenorm_learned.safetensors");
  const int64_t ctx = model->config().context;
  std::mt19937_64 rng(1);
  const std::vector<int32_t> prompt = {1, 2, 3};
  const std::vector<int32_t> got =
      generate_tokens(*model, prompt, 3 * ctx, {.temperature = 0.0f}, rng, [](int32_t) {});
  ASSERT_EQ(int64_t(got.size()), 3 * ctx);
  // Replay without a cache: each token is the argmax after the last `ctx` tokens (seed 003's
  // `inference` loop).
  std::vector<int32_t> text = prompt;
  for (int32_t token : got) {
    const std::vector<int32_t> window(text.end() - std::min<int64_t>(ctx, int64_t(text.size())),
                                      text.end());
    const Tensor logits = full_forward(*model, window);
    const int64_t v = model->config().vocab_size;
    const float* last = logits.ptr() + (int64_t(window.size()) - 1) * v;
    EXPECT_EQ(token, int32_t(std::max_element(last, last + v) - last));
    text.push_back(token);
  }
}

// Several samples in one batch: greedy rows are each the single greedy continuation (also past
// the context, where every row's window is rebuilt); sampled rows are repeatable for a seed and
// are the same draws one row at a time would take from the logits the rows see.
TEST(TextGenerator, SamplesSideBySideAreWhatOneRowWouldGenerate) {
  auto model = testing::fixture_model<Gpt>("gpt_prenorm_learned.safetensors");
  const int64_t ctx = model->config().context;
  const std::vector<int32_t> prompt = {1, 2, 3};
  std::mt19937_64 rng(1);
  const std::vector<int32_t> one =
      generate_tokens(*model, prompt, 2 * ctx, {.temperature = 0.0f}, rng, [](int32_t) {});
  const auto greedy = generate_samples(*model, prompt, 2 * ctx, 3, {.temperature = 0.0f}, rng);
  ASSERT_EQ(greedy.size(), 3u);
  for (const auto& row : greedy) EXPECT_EQ(row, one);

  std::mt19937_64 a(9), b(9);
  const auto sampled = generate_samples(*model, prompt, ctx + 5, 4, {.temperature = 1.5f}, a);
  EXPECT_EQ(generate_samples(*model, prompt, ctx + 5, 4, {.temperature = 1.5f}, b), sampled);
  bool differ = false;
  for (const auto& row : sampled) {
    EXPECT_EQ(int64_t(row.size()), ctx + 5);
    differ = differ || row != sampled[0];
  }
  EXPECT_TRUE(differ) << "four samples at temperature 1.5 all came out the same";
  // Replayed row by row: each token is the draw from the logits of that row's own text.
  std::mt19937_64 replay(9);
  const int64_t v = model->config().vocab_size;
  std::vector<std::vector<int32_t>> texts(4, prompt);
  for (int64_t n = 0; n < ctx + 5; ++n)
    for (size_t r = 0; r < 4; ++r) {
      const auto& text = texts[r];
      const std::vector<int32_t> window(text.end() - std::min<int64_t>(ctx, int64_t(text.size())),
                                        text.end());
      const Tensor logits = full_forward(*model, window);
      const int32_t token = sample_token(
          std::span<const float>(logits.ptr() + (int64_t(window.size()) - 1) * v, size_t(v)),
          {.temperature = 1.5f}, replay);
      ASSERT_EQ(token, sampled[r][size_t(n)]) << "row " << r << " token " << n;
      texts[r].push_back(token);
    }
}

}  // namespace
}  // namespace dikkat
