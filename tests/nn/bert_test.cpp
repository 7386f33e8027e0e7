// The masked language model against PyTorch's nn.TransformerEncoder on the same weights and padded
// batch (fixtures written by tests/reference/make_bert_fixtures.py): logits, the loss over the
// masked positions (through the head on every position, and through the model's own loss that
// runs it on the masked ones only), every parameter gradient and every attention table. Then the whole loss's
// gradient against finite differences, and the inspected trace against the batch forward.
#include "nn/bert.h"

#include <gtest/gtest.h>

#include <cmath>

#include "error.h"
#include "io/safetensors.h"
#include "nn/translation_fixture.h"
#include "tensor/ops.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::expect_close;

using Fixture = testing::TranslationFixture<Bert>;  // a file, its model and its batch

Fixture load_fixture(const std::string& name) {
  SafetensorsReader file = SafetensorsReader::open(testing::fixture_path(name));
  auto model = testing::fixture_model<Bert>(file);
  Batch b;
  b.rows = file.entry("input").shape[0];
  b.time = file.entry("input").shape[1];
  b.inputs = file.i32("input");
  b.targets = file.i32("target");
  b.lengths = file.i32("lengths");
  return {std::move(file), std::move(model), std::move(b)};
}

class BertMatchesPyTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(BertMatchesPyTorch, LogitsLossAndEveryGradient) {
  Fixture f = load_fixture(GetParam());
  Graph g;
  testing::expect_logits_loss_and_gradients(f, g, f.model->batch_logits(g, f.batch));
  // The model's own loss (the head on the masked positions only) is the same number, and so are
  // its gradients.
  for (const auto& p : f.model->parameters()) p.var->zero_grad();
  Graph again;
  const Var loss = f.model->loss(again, f.batch, nullptr);
  again.backward(loss);
  EXPECT_NEAR(loss->value.data[0], f.file.f32("loss").data[0], 1e-5);
  for (const auto& p : f.model->parameters()) {
    Tensor got(p.var->value.shape);
    std::copy_n(p.var->grad_ptr(), got.numel(), got.ptr());
    expect_close(got, f.file.f32("grad/" + p.name, p.var->value.shape), 1e-4f, p.name);
  }
}

// Each row traced alone, padding kept: its tables are PyTorch's, padded keys get exactly 0, and
// real keys after a query get weight (nothing causal).
TEST_P(BertMatchesPyTorch, EveryAttentionTable) {
  Fixture f = load_fixture(GetParam());
  const std::vector<AttentionKind> kinds = f.model->attention_kinds();
  ASSERT_EQ(kinds.size(), 1u);
  ASSERT_EQ(kinds[0].type, AttentionType::kBidirectionalSelf);
  for (int64_t b = 0; b < f.batch.rows; ++b) {
    ActivationTrace trace;
    Graph g = Graph::inference();
    const std::vector<int32_t> row(f.batch.inputs.begin() + b * f.batch.time,
                                   f.batch.inputs.begin() + (b + 1) * f.batch.time);
    const std::vector<int32_t> length = {f.batch.lengths[size_t(b)]};
    f.model->forward(g, row, 1, f.batch.time, length, nullptr, {&trace, "", {}, Sequence::kInput});
    for (int64_t l = 0; l < kinds[0].layers(); ++l) {
      const Tensor& got = trace.at(kinds[0].tables[size_t(l)]);
      expect_close(got, testing::row_of(f.file.f32("weights/" + std::to_string(l)), b), 1e-5f,
                   "layer " + std::to_string(l) + " row " + std::to_string(b));
      const int64_t T = got.size(1), n = length[0];
      double after_query = 0.0;
      for (int64_t h = 0; h < got.size(0); ++h)
        for (int64_t t = 0; t < T; ++t)
          for (int64_t s = 0; s < T; ++s) {
            const float w = got.data[(h * T + t) * T + s];
            if (s >= n) {
              ASSERT_EQ(w, 0.0f);
            } else if (s > t) {
              after_query += w;
            }
          }
      if (n > 1) {
        EXPECT_GT(after_query, 0.0);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BertMatchesPyTorch,
                         ::testing::Values("bert_prenorm.safetensors", "bert_postnorm.safetensors"));

// The whole masked-LM loss against central differences, at elements of every parameter.
TEST(BertGradient, MatchesFiniteDifferences) {
  Fixture f = load_fixture("bert_postnorm.safetensors");
  Graph g;
  g.backward(f.model->loss(g, f.batch, nullptr));
  auto loss_now = [&] {
    Graph inference = Graph::inference();
    return double(f.model->loss(inference, f.batch, nullptr)->value.data[0]);
  };
  int64_t checked = 0;
  for (const auto& p : f.model->parameters()) {
    const int64_t n = p.var->value.numel();
    for (int64_t i : {int64_t(0), n / 2, n - 1}) {
      float& x = p.var->value.data[i];
      const float saved = x, h = 1e-2f;
      x = saved + h;
      const double up = loss_now();
      x = saved - h;
      const double down = loss_now();
      x = saved;
      const double numeric = (up - down) / (2.0 * h), analytic = p.var->grad_ptr()[i];
      EXPECT_NEAR(analytic, numeric, 2e-3 + 2e-2 * std::fabs(numeric)) << p.name << "[" << i << "]";
      ++checked;
    }
  }
  EXPECT_EQ(checked, 3 * int64_t(f.model->parameters().size()));
}

// What the look-inside views see is the batch forward's logits for that row.
TEST(BertInspect, TracedLogitsAreTheForwardsLogits) {
  Fixture f = load_fixture("bert_prenorm.safetensors");
  const int64_t n = f.batch.lengths[1];
  const std::vector<int32_t> ids(f.batch.inputs.begin() + f.batch.time,
                                 f.batch.inputs.begin() + f.batch.time + n);
  const ActivationTrace trace = f.model->inspect({ids, {}, -1});
  Graph g = Graph::inference();
  const Tensor want = f.model->forward(g, ids, 1, n, {}, nullptr)->value;
  const Tensor& got = trace.at("logits");
  ASSERT_EQ(got.numel(), want.numel());
  for (int64_t i = 0; i < want.numel(); ++i) ASSERT_EQ(got.data[i], want.data[i]) << i;
  EXPECT_EQ(trace.entries().back().name, "logits");
  EXPECT_THROW(f.model->inspect({std::vector<int32_t>(73, 1), {}, -1}), Error);  // context 72
}

}  // namespace
}  // namespace dikkat
