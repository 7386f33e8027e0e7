// The KV-cache decoder must compute exactly what the full forward pass computes.
#include "nn/gpt_decoder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "generate/sampler.h"
#include "generate/text_generator.h"
#include "io/safetensors.h"
#include "test_support.h"

namespace dikkat {
namespace {

std::unique_ptr<Gpt> fixture_model(const std::string& name) {
  const SafetensorsReader f = SafetensorsReader::open(testing::fixture_path(name));
  ModelConfig config;
  from_json(nlohmann::json::parse(f.metadata_value("config")), config);
  auto model = std::make_unique<Gpt>(config);
  for (const auto& p : model->parameters()) p.var->value = f.f32("param/" + p.name);
  return model;
}

Tensor full_forward(const Gpt& model, const std::vector<int32_t>& ids) {
  Graph g = Graph::inference();
  return model.forward(g, ids, 1, int64_t(ids.size()), nullptr)->value;
}

class DecoderMatchesForward : public ::testing::TestWithParam<std::string> {};

TEST_P(DecoderMatchesForward, AtEveryPosition) {
  auto model = fixture_model(GetParam());
  const int64_t ctx = model->config().context, v = model->config().vocab_size;
  std::vector<int32_t> ids;
  for (int64_t i = 0; i < ctx; ++i) ids.push_back(int32_t((i * 7 + 3) % v));
  const Tensor want = full_forward(*model, ids);
  GptDecoder decoder(*model);
  for (int64_t t = 0; t < ctx; ++t) {
    std::span<const float> got = decoder.feed(ids[t]);
    for (int64_t j = 0; j < v; ++j)
      ASSERT_NEAR(got[j], want.data[t * v + j], 1e-5) << "position " << t << " token " << j;
  }
  EXPECT_THROW(decoder.feed(0), std::exception);  // the cache holds exactly `context` positions
}

// A prompt fed as one block, then tokens one at a time, as generation does.
TEST_P(DecoderMatchesForward, AfterABlockOfPrompt) {
  auto model = fixture_model(GetParam());
  const int64_t ctx = model->config().context, v = model->config().vocab_size;
  std::vector<int32_t> ids;
  for (int64_t i = 0; i < ctx; ++i) ids.push_back(int32_t((i * 5 + 1) % v));
  const Tensor want = full_forward(*model, ids);
  const auto decoder = model->decoder();
  const int64_t prompt = ctx / 2;
  std::span<const float> got = decoder->feed(std::span<const int32_t>(ids).first(prompt));
  for (int64_t t = prompt - 1; t < ctx; ++t) {
    if (t >= prompt) got = decoder->feed(ids[t]);
    for (int64_t j = 0; j < v; ++j)
      ASSERT_NEAR(got[j], want.data[t * v + j], 1e-5) << "position " << t << " token " << j;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DecoderMatchesForward,
                         ::testing::Values("gpt_prenorm_learned.safetensors",
                                           "gpt_seed248.safetensors",
                                           "gpt_postnorm_relu.safetensors"));

TEST(TextGenerator, GreedyBeyondTheContextSeesTheLastContextTokens) {
  auto model = fixture_model("gpt_prenorm_learned.safetensors");
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

TEST(Sampler, GreedyTopKOneAndTinyTopPAllPickTheArgmax) {
  const std::vector<float> logits = {0.1f, 2.0f, -1.0f, 1.9f};
  std::mt19937_64 rng(3);
  EXPECT_EQ(sample_token(logits, {.temperature = 0.0f}, rng), 1);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(sample_token(logits, {.temperature = 1.0f, .top_k = 1}, rng), 1);
    EXPECT_EQ(sample_token(logits, {.temperature = 1.0f, .top_p = 0.01f}, rng), 1);
  }
}

TEST(Sampler, TopKNeverPicksOutsideTheK) {
  const std::vector<float> logits = {0.0f, 1.0f, 0.5f, 3.0f, -2.0f};
  std::mt19937_64 rng(4);
  std::vector<int> counts(5);
  for (int i = 0; i < 2000; ++i)
    ++counts[sample_token(logits, {.temperature = 2.0f, .top_k = 2}, rng)];
  EXPECT_EQ(counts[0] + counts[2] + counts[4], 0);
  EXPECT_GT(counts[1], 100);  // temperature 2 flattens: the runner-up is drawn often
  EXPECT_GT(counts[3], counts[1]);
}

TEST(Sampler, FrequenciesFollowTheSoftmax) {
  const std::vector<float> logits = {0.0f, std::log(3.0f)};  // probabilities 1/4 and 3/4
  std::mt19937_64 rng(5);
  int ones = 0;
  for (int i = 0; i < 20000; ++i) ones += sample_token(logits, {}, rng);
  EXPECT_NEAR(ones / 20000.0, 0.75, 0.015);
}

TEST(Sampler, SameSeedSameTokens) {
  const std::vector<float> logits = {0.3f, 0.2f, 0.1f, 0.4f};
  std::mt19937_64 a(9), b(9);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(sample_token(logits, {}, a), sample_token(logits, {}, b));
}

}  // namespace
}  // namespace dikkat
