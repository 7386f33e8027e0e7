// The KV-cache decoder must compute exactly what the full forward pass computes.
#include "nn/gpt_decoder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "error.h"
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

// Several rows side by side: a shared prompt fed once, copied to three rows by select_rows, then
// each row continued with its own tokens; every row's logits are those of its own sequence's full
// forward. Dropping and reordering rows keeps each row's cache with it.
TEST_P(DecoderMatchesForward, RowsSideBySide) {
  auto model = testing::fixture_model<Gpt>(GetParam());
  const int64_t ctx = model->config().context, v = model->config().vocab_size;
  const int64_t prompt = ctx / 3, rows = 3;
  std::vector<std::vector<int32_t>> seqs(rows);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t i = 0; i < ctx; ++i)
      seqs[r].push_back(int32_t(i < prompt ? (i * 3 + 2) % v : (i * (r + 2) + r) % v));
  std::vector<Tensor> want;
  for (const auto& s : seqs) want.push_back(full_forward(*model, s));
  const auto decoder = model->decoder();
  decoder->feed(std::span<const int32_t>(seqs[0]).first(prompt));
  decoder->select_rows(std::vector<int32_t>(rows, 0));
  ASSERT_EQ(decoder->rows(), rows);
  std::vector<int32_t> order = {0, 1, 2};  // which sequence each decoder row follows
  for (int64_t t = prompt; t < ctx; ++t) {
    if (t == prompt + 2) {  // drop sequence 1 and swap the others
      decoder->select_rows(std::vector<int32_t>{2, 0});
      order = {2, 0};
      EXPECT_THROW(decoder->feed(std::vector<int32_t>{1, 2, 3}), Error);  // 3 tokens, 2 rows
    }
    std::vector<int32_t> step;
    for (int32_t s : order) step.push_back(seqs[size_t(s)][size_t(t)]);
    const std::span<const float> got = decoder->feed(step);
    for (size_t r = 0; r < order.size(); ++r)
      for (int64_t j = 0; j < v; ++j)
        ASSERT_NEAR(got[r * v + j], want[size_t(order[r])].data[t * v + j], 1e-5)
            << "row " << r << " position " << t;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DecoderMatchesForward,
                         ::testing::Values("gpt_prenorm_learned.safetensors",
                                           "gpt_seed248.safetensors",
                                           "gpt_postnorm_relu.safetensors"));

}  // namespace
}  // namespace dikkat
