// The bigram model against PyTorch (nn.Embedding + cross-entropy, tests/reference/
// make_bigram_fixture.py), and its decoder against its own table.
#include "nn/bigram.h"

#include <gtest/gtest.h>

#include "error.h"
#include "io/safetensors.h"
#include "nn/architectures.h"
#include "tensor/ops.h"
#include "test_support.h"

namespace dikkat {
namespace {

TEST(Bigram, LogitsLossAndGradientMatchPyTorch) {
  const SafetensorsReader file =
      SafetensorsReader::open(testing::fixture_path("bigram.safetensors"));
  const auto model = testing::fixture_model<Bigram>(file);
  Batch b;
  b.rows = file.entry("input").shape[0];
  b.time = file.entry("input").shape[1];
  b.inputs = file.i32("input");
  b.targets = file.i32("target");
  Graph g;
  const Var logits = model->logits(g, b.inputs, b.rows, b.time);
  const Tensor want_logits = file.f32("logits");
  ASSERT_EQ(logits->value.shape, want_logits.shape);
  for (int64_t i = 0; i < want_logits.numel(); ++i)
    ASSERT_FLOAT_EQ(logits->value.data[i], want_logits.data[i]);  // a lookup: exact
  Graph g2;
  const Var loss = model->loss(g2, b, nullptr);
  g2.backward(loss);
  EXPECT_NEAR(loss->value.data[0], file.f32("loss").data[0], 1e-6);
  const Var& table = model->token_embedding();
  const Tensor want = file.f32("grad/token_embedding_table.weight");
  for (int64_t i = 0; i < want.numel(); ++i) ASSERT_NEAR(table->grad.data[i], want.data[i], 1e-6);
  EXPECT_EQ(model->parameter_count(), 49);
}

TEST(Bigram, DecoderGivesTheRowOfTheLastToken) {
  ModelConfig c;
  c.arch = Arch::kBigram;
  c.vocab_size = 6;
  c.context = 4;
  const auto model = make_model(c);
  std::mt19937_64 rng(1);
  model->init(rng, 0.5f);
  const auto decoder = model->decoder();
  ASSERT_NE(decoder, nullptr);
  const std::vector<int32_t> text = {3, 1, 4};
  const std::span<const float> got = decoder->feed(text);
  const float* row = model->token_embedding()->value.ptr() + 4 * 6;
  for (int j = 0; j < 6; ++j) EXPECT_EQ(got[j], row[j]);
  EXPECT_EQ(decoder->length(), 3);
  EXPECT_THROW(decoder->feed(std::vector<int32_t>{1, 2}), Error);  // past the context
  EXPECT_EQ(model->position_table(), nullptr);
}

}  // namespace
}  // namespace dikkat
