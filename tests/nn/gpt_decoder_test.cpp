// The KV-cache decoder must compute exactly what the full forward pass computes.
#include "nn/gpt_decoder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "io/safetensors.h"
#include "test_support.h"

namespace dikkat {
namespace {

Tensor full_forward(const Gpt& model, const std::vector<int32_t>& ids) {
  Graph g = Graph::inference();
  return model.forward(g, ids, 1, int64_t(ids.size()), nullptr)->value;
}

class DecoderMatchesForward : public ::testing::TestWithParam<std::string> {};

TEST_P(DecoderMatchesForward, AtEveryPosition) {
  auto model = testing::fixture_model<Gpt>(GetParam());
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
  auto model = testing::fixture_model<Gpt>(GetParam());
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

}  // namespace
}  // namespace dikkat
