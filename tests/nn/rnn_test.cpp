// The recurrent encoder-decoders against PyTorch's nn.GRU / nn.LSTM on the same weights and
// padded batch (fixtures written by tests/reference/make_rnn_fixtures.py): logits, the
// label-smoothed loss, every parameter gradient and the alignment weights, for both cells and
// every attention. Then the translation decoder against the model's own forward.
#include "nn/rnn.h"

#include <gtest/gtest.h>

#include <cmath>

#include "error.h"
#include "io/safetensors.h"
#include "nn/architectures.h"
#include "nn/model_task.h"
#include "nn/translation_fixture.h"
#include "tensor/ops.h"
#include "test_support.h"

namespace dikkat {
namespace {

using Fixture = testing::TranslationFixture<Rnn>;
using testing::expect_close;

Fixture load_fixture(const std::string& name) {
  return testing::load_translation_fixture<Rnn>(name);
}

const char* const kFixtures[] = {"rnn_gru_bahdanau.safetensors", "rnn_lstm_luong.safetensors",
                                 "rnn_lstm_bahdanau.safetensors", "rnn_gru_none.safetensors"};

class RnnMatchesPyTorch : public ::testing::TestWithParam<const char*> {};

TEST_P(RnnMatchesPyTorch, LogitsLossEveryGradientAndTheAlignment) {
  Fixture f = load_fixture(GetParam());
  Graph g;
  testing::expect_logits_loss_and_gradients(f, g, f.model->forward(g, f.batch, nullptr));
  const std::vector<AttentionKind> kinds = f.model->attention_kinds();
  const bool attends = !kinds.empty();
  ASSERT_EQ(f.file.entries().count("alignment") > 0, attends);
  EXPECT_EQ(f.file.entries().size(), 2 * f.model->parameters().size() + 6 + (attends ? 1 : 0));
  if (!attends) return;
  ASSERT_EQ(kinds.size(), 1u);
  ASSERT_EQ(kinds[0].layers(), 1);
  // Each row traced alone: its alignment (one head's table) is PyTorch's, and padding gets
  // nothing (columns at or past the source's length are exactly 0).
  for (int64_t b = 0; b < f.batch.rows; ++b) {
    const ActivationTrace trace = testing::trace_of_row(f, b);
    Tensor want = testing::row_of(f.file.f32("alignment"), b);
    want.shape.insert(want.shape.begin(), 1);
    const Tensor& got = trace.at(kinds[0].tables[0]);
    expect_close(got, want, 1e-5f, "alignment of row " + std::to_string(b));
    const int64_t T = got.size(1), S = got.size(2);
    for (int64_t t = 0; t < T; ++t)
      for (int64_t s = f.batch.source_lengths[size_t(b)]; s < S; ++s)
        ASSERT_EQ(got.data[t * S + s], 0.0f);
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RnnMatchesPyTorch, ::testing::ValuesIn(kFixtures));

class RnnDecoderSteps : public ::testing::TestWithParam<const char*> {};

// Stepping the translation decoder one token at a time gives, at every position, the logits the
// whole-sequence forward gives; after select_rows each row continues as the row it came from.
TEST_P(RnnDecoderSteps, EqualTheForwardAndRowsFollowSelection) {
  Fixture f = load_fixture(GetParam());
  const Batch& b = f.batch;
  const int64_t V = f.model->config().vocab_size;
  ASSERT_GE(b.rows, 2);
  Graph g = Graph::inference();
  const Tensor want = f.model->forward(g, b, nullptr)->value;
  auto decoder = f.model->translation_decoder();
  decoder->start(b.source, b.source_lengths, b.rows, b.source_time);
  auto token = [&](int64_t row, int64_t t) { return b.inputs[row * b.time + t]; };
  for (int64_t t = 0; t < 2; ++t) {
    std::vector<int32_t> tokens;
    for (int64_t r = 0; r < b.rows; ++r) tokens.push_back(token(r, t));
    const std::span<const float> got = decoder->step(tokens);
    for (int64_t r = 0; r < b.rows; ++r)
      for (int64_t j = 0; j < V; ++j)
        ASSERT_NEAR(got[r * V + j], want.data[(r * b.time + t) * V + j], 1e-4)
            << "row " << r << " position " << t;
  }
  // Rows become (1, 0, 1) of the original: row 1 doubled, in a new order.
  decoder->select_rows(std::vector<int32_t>{1, 0, 1});
  ASSERT_EQ(decoder->rows(), 3);
  for (int64_t t = 2; t < b.time; ++t) {
    const std::vector<int32_t> rows = {1, 0, 1};
    std::vector<int32_t> tokens;
    for (int32_t r : rows) tokens.push_back(token(r, t));
    const std::span<const float> got = decoder->step(tokens);
    for (size_t k = 0; k < rows.size(); ++k)
      for (int64_t j = 0; j < V; ++j)
        ASSERT_NEAR(got[k * V + j], want.data[(rows[k] * b.time + t) * V + j], 1e-4)
            << "row " << k << " position " << t;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RnnDecoderSteps, ::testing::ValuesIn(kFixtures));

TEST(RnnConfig, NeedsAnEncoderAndIsMadeFromItsArch) {
  ModelConfig c;
  c.arch = Arch::kRnn;
  c.n_encoder_layer = 0;
  EXPECT_THROW(c.validate(), Error);
  c.n_encoder_layer = 1;
  c.hidden = 0;
  EXPECT_THROW(c.validate(), Error);
  c.hidden = 4;
  const auto model = make_model(c);
  EXPECT_NE(dynamic_cast<Rnn*>(model.get()), nullptr);
  EXPECT_EQ(task_of(Arch::kRnn), ModelTask::kTranslation);
  EXPECT_EQ(model->position_table(), nullptr);
  EXPECT_NE(model->translation_decoder(), nullptr);
}

}  // namespace
}  // namespace dikkat
