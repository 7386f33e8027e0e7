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

}  // namespace
}  // namespace dikkat
