// The encoder-decoder against PyTorch on the same weights and padded batch (fixtures written by
// tests/reference/make_seq2seq_fixtures.py): logits, the label-smoothed loss, every parameter
// gradient and every attention table. Then its translation decoder against its own forward.
#include "nn/seq2seq.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "error.h"
#include "io/safetensors.h"
#include "nn/architectures.h"
#include "nn/translation_fixture.h"
#include "tensor/ops.h"
#include "test_support.h"

namespace dikkat {
namespace {

using Fixture = testing::TranslationFixture<Seq2seq>;
using testing::expect_close;

Fixture load_fixture(const std::string& name) {
  return testing::load_translation_fixture<Seq2seq>(name);
}

class Seq2seqMatchesPyTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(Seq2seqMatchesPyTorch, LogitsLossAndEveryGradient) {
  Fixture f = load_fixture(GetParam());
  Graph g;
  testing::expect_logits_loss_and_gradients(f, g, f.model->forward(g, f.batch, nullptr));
  EXPECT_EQ(f.file.entries().size(), 2 * f.model->parameters().size() + 6 +
                                         2 * size_t(f.model->config().n_layer) +
                                         size_t(f.model->config().n_encoder_layer));
}

// Each row of the padded batch traced alone: every table of every kind the model declares is
// PyTorch's for that row, and padding gets nothing (cross and encoder columns at or past the
// source's length are exactly 0).
TEST_P(Seq2seqMatchesPyTorch, EveryAttentionTable) {
  Fixture f = load_fixture(GetParam());
  const std::map<std::string, std::string> fixture_names = {
      {"encoder", "encoder"}, {"decoder", "decoder_self"}, {"cross", "cross"}};
  for (int64_t b = 0; b < f.batch.rows; ++b) {
    const ActivationTrace trace = testing::trace_of_row(f, b);
    for (const AttentionKind& kind : f.model->attention_kinds())
      for (int64_t l = 0; l < kind.layers(); ++l) {
        const std::string what = kind.name + " layer " + std::to_string(l) + " row " + std::to_string(b);
        const Tensor want = testing::row_of(
            f.file.f32("weights/" + fixture_names.at(kind.name) + "." + std::to_string(l)), b);
        const Tensor& got = trace.at(kind.tables[size_t(l)]);
        expect_close(got, want, 1e-5f, what);
        if (kind.keys != Sequence::kInput) continue;
        const int64_t rows = got.size(0) * got.size(1), S = got.size(2);
        for (int64_t r = 0; r < rows; ++r)
          for (int64_t s = f.batch.source_lengths[size_t(b)]; s < S; ++s)
            ASSERT_EQ(got.data[r * S + s], 0.0f) << what;
      }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Seq2seqMatchesPyTorch,
                         ::testing::Values("seq2seq_prenorm_tied.safetensors",
                                           "seq2seq_postnorm_untied.safetensors"));

// Stepping the translation decoder one token at a time gives, at every position, the logits the
// whole-sequence forward gives; after select_rows each row continues as the row it came from.
TEST(Seq2seqDecoder, StepsEqualTheForwardAndRowsFollowSelection) {
  Fixture f = load_fixture("seq2seq_prenorm_tied.safetensors");
  const Batch& b = f.batch;
  const int64_t V = f.model->config().vocab_size;
  Graph g = Graph::inference();
  const Tensor want = f.model->forward(g, b, nullptr)->value;
  auto decoder = f.model->translation_decoder();
  decoder->start(b.source, b.source_lengths, b.rows, b.source_time);
  for (int64_t t = 0; t < b.time; ++t) {
    std::vector<int32_t> tokens;
    for (int64_t r = 0; r < b.rows; ++r) tokens.push_back(b.inputs[r * b.time + t]);
    const std::span<const float> got = decoder->step(tokens);
    for (int64_t r = 0; r < b.rows; ++r)
      for (int64_t j = 0; j < V; ++j)
        ASSERT_NEAR(got[r * V + j], want.data[(r * b.time + t) * V + j], 1e-4)
            << "row " << r << " position " << t;
    if (t == 1) {
      // Rows become (2, 0, 2), then (0, 2, 2) of the original: row 1 is dropped, row 2 doubled.
      decoder->select_rows(std::vector<int32_t>{2, 0, 2});
      ASSERT_EQ(decoder->rows(), 3);
      decoder->select_rows(std::vector<int32_t>{1, 0, 2});  // rows 0, 2, 2 of the original
      const std::vector<int32_t> next = {b.inputs[0 * b.time + 2], b.inputs[2 * b.time + 2],
                                         b.inputs[2 * b.time + 2]};
      const std::span<const float> moved = decoder->step(next);
      for (int64_t j = 0; j < V; ++j) {
        ASSERT_NEAR(moved[0 * V + j], want.data[(0 * b.time + 2) * V + j], 1e-4);
        ASSERT_NEAR(moved[1 * V + j], want.data[(2 * b.time + 2) * V + j], 1e-4);
        ASSERT_NEAR(moved[2 * V + j], want.data[(2 * b.time + 2) * V + j], 1e-4);
      }
      return;
    }
  }
}

TEST(Seq2seqConfig, NeedsAnEncoderAndIsMadeFromItsArch) {
  ModelConfig c;
  c.arch = Arch::kSeq2seq;
  EXPECT_THROW(make_model(c), Error);
  c.n_encoder_layer = 1;
  c.n_layer = 1;
  const auto model = make_model(c);
  EXPECT_NE(dynamic_cast<Seq2seq*>(model.get()), nullptr);
  EXPECT_NE(model->translation_decoder(), nullptr);
  EXPECT_EQ(model->decoder(), nullptr);
}

}  // namespace
}  // namespace dikkat
