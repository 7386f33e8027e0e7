// The GPT's logits, loss and every parameter gradient against PyTorch on the same weights
// (fixtures written by tests/reference/make_fixtures.py).
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "io/safetensors.h"
#include "nn/gpt.h"
#include "tensor/ops.h"
#include "test_support.h"

namespace dikkat {
namespace {

struct Loaded {
  SafetensorsReader file;
  std::unique_ptr<Gpt> model;
  std::vector<int32_t> input, target;
  int64_t batch, time;
};

Loaded load_fixture(const std::string& name) {
  SafetensorsReader file = SafetensorsReader::open(testing::fixture_path(name));
  auto model = testing::fixture_model<Gpt>(file);
  const auto& shape = file.entry("input").shape;
  return {file, std::move(model), file.i32("input"), file.i32("target"), shape[0], shape[1]};
}

class GptMatchesPyTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(GptMatchesPyTorch, LogitsLossAndEveryGradient) {
  Loaded f = load_fixture(GetParam());
  Graph g;
  Var logits = f.model->forward(g, f.input, f.batch, f.time, nullptr);
  Var loss = cross_entropy(g, logits, f.target);
  g.backward(loss);

  const Tensor want_logits = f.file.f32("logits", logits->value.shape);
  for (int64_t i = 0; i < want_logits.numel(); ++i)
    ASSERT_NEAR(logits->value.data[i], want_logits.data[i], 1e-4) << "logit " << i;
  EXPECT_NEAR(loss->value.data[0], f.file.f32("loss").data[0], 1e-4);

  int64_t checked = 0;
  for (const auto& p : f.model->parameters()) {
    const Tensor want = f.file.f32("grad/" + p.name, p.var->value.shape);
    const float* got = p.var->grad_ptr();
    for (int64_t i = 0; i < want.numel(); ++i) {
      const float err = std::fabs(got[i] - want.data[i]);
      ASSERT_TRUE(err <= 1e-4f || err <= 1e-3f * std::fabs(want.data[i]))
          << p.name << "[" << i << "]: " << got[i] << " vs PyTorch " << want.data[i];
      ++checked;
    }
  }
  EXPECT_EQ(checked, f.model->parameter_count());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, GptMatchesPyTorch,
                         ::testing::Values("gpt_prenorm_learned.safetensors",
                                           "gpt_seed248.safetensors",
                                           "gpt_postnorm_relu.safetensors"));

TEST(GptParameters, Seed248FixtureHasExactly248) {
  EXPECT_EQ(load_fixture("gpt_seed248.safetensors").model->parameter_count(), 248);
}

}  // namespace
}  // namespace dikkat
