#pragma once
// A translation model's PyTorch fixture (tests/reference/make_seq2seq_fixtures.py,
// make_rnn_fixtures.py): the model its config describes holding its parameters, the padded batch,
// and a comparison with PyTorch's numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>

#include "io/safetensors.h"
#include "nn/model.h"
#include "tensor/ops.h"
#include "test_support.h"

namespace dikkat::testing {

template <typename M>
struct TranslationFixture {
  SafetensorsReader file;
  std::unique_ptr<M> model;
  Batch batch;
};

template <typename M>
TranslationFixture<M> load_translation_fixture(const std::string& name) {
  SafetensorsReader file = SafetensorsReader::open(fixture_path(name));
  auto model = fixture_model<M>(file);
  Batch b;
  b.rows = file.entry("input").shape[0];
  b.time = file.entry("input").shape[1];
  b.source_time = file.entry("source").shape[1];
  b.inputs = file.i32("input");
  b.targets = file.i32("target");
  b.source = file.i32("source");
  b.source_lengths = file.i32("source_lengths");
  return {std::move(file), std::move(model), std::move(b)};
}

// Row `r` of a padded batch as a batch of one, padding kept.
inline Batch batch_row(const Batch& b, int64_t r) {
  Batch one;
  one.rows = 1;
  one.time = b.time;
  one.source_time = b.source_time;
  one.inputs.assign(b.inputs.begin() + r * b.time, b.inputs.begin() + (r + 1) * b.time);
  one.targets.assign(b.targets.begin() + r * b.time, b.targets.begin() + (r + 1) * b.time);
  one.source.assign(b.source.begin() + r * b.source_time,
                    b.source.begin() + (r + 1) * b.source_time);
  one.source_lengths = {b.source_lengths[size_t(r)]};
  return one;
}

// The model's trace of row `r` of the fixture's batch: the attention tables of that row.
template <typename M>
ActivationTrace trace_of_row(const TranslationFixture<M>& f, int64_t r) {
  ActivationTrace trace;
  Graph g = Graph::inference();
  f.model->forward(g, batch_row(f.batch, r), nullptr, &trace);
  return trace;
}

// Row `r` of a (B, ...) tensor, its first axis dropped.
inline Tensor row_of(const Tensor& t, int64_t r) {
  Tensor out(std::vector<int64_t>(t.shape.begin() + 1, t.shape.end()));
  std::copy_n(t.ptr() + r * out.numel(), out.numel(), out.ptr());
  return out;
}

// Every element within `tolerance`, absolute or (ten times) relative to PyTorch's value.
inline void expect_close(const Tensor& got, const Tensor& want, float tolerance,
                         const std::string& what) {
  ASSERT_EQ(got.shape, want.shape) << what;
  for (int64_t i = 0; i < want.numel(); ++i) {
    const float err = std::fabs(got.data[i] - want.data[i]);
    ASSERT_TRUE(err <= tolerance || err <= 10 * tolerance * std::fabs(want.data[i]))
        << what << "[" << i << "]: " << got.data[i] << " vs PyTorch " << want.data[i];
  }
}

// Runs `logits` (the model's forward on a recording graph) through the label-smoothed loss and
// its backward, then compares logits, loss and every parameter gradient with the fixture's.
template <typename M>
void expect_logits_loss_and_gradients(TranslationFixture<M>& f, Graph& g, const Var& logits) {
  const CrossEntropyLoss loss = cross_entropy(
      g, logits, f.batch.targets,
      {.ignore_id = kIgnoredTarget, .label_smoothing = f.model->config().label_smoothing});
  g.backward(loss.loss);
  expect_close(logits->value, f.file.f32("logits"), 1e-4f, "logits");
  EXPECT_NEAR(loss.loss->value.data[0], f.file.f32("loss").data[0], 1e-5);
  int64_t checked = 0;
  for (const auto& p : f.model->parameters()) {
    Tensor got(p.var->value.shape);
    std::copy_n(p.var->grad_ptr(), got.numel(), got.ptr());
    expect_close(got, f.file.f32("grad/" + p.name, p.var->value.shape), 1e-4f, p.name);
    checked += got.numel();
  }
  EXPECT_EQ(checked, f.model->parameter_count());
}

}  // namespace dikkat::testing
