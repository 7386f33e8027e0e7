// The look-inside numbers against PyTorch on the same weights: attention tables of two trained
// checkpoints (seed248 as the demo trains it, and shakespeare-cpu) through `dikkat attention`,
// and every intermediate of `dikkat trace` / Model::inspect. Fixtures come from
// tests/reference/make_inspect_fixtures.py and make_fixtures.py.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "io/safetensors.h"
#include "nn/gpt.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::fixture_path;
using testing::run_dikkat;
using testing::shell_quote;

const SafetensorsReader& reference(const std::string& model) {
  static std::map<std::string, SafetensorsReader> cache;
  auto it = cache.find(model);
  if (it == cache.end())
    it = cache
             .emplace(model, SafetensorsReader::open(
                                 fixture_path("inspect/" + model + ".reference.safetensors")))
             .first;
  return it->second;
}

nlohmann::json run_json(const std::string& command, const std::string& model) {
  const auto r =
      run_dikkat(command + " --model " + shell_quote(fixture_path("models/" + model)) + " --text " +
                 shell_quote(reference(model).metadata_value("text")) + " --format json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

// Within 1e-4 of PyTorch, relative for large values (raw scores reach ~10^2, where float32
// sums in another order differ by more than 1e-4 absolute).
void expect_close(float got, float want, const std::string& where) {
  ASSERT_NEAR(got, want, 1e-4 * std::max(1.0f, std::fabs(want))) << where;
}

class AttentionMatchesPyTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(AttentionMatchesPyTorch, RowsSumToOneFutureIsZeroAndValuesMatch) {
  const std::string model = GetParam();
  const SafetensorsReader& ref = reference(model);
  const nlohmann::json j = run_json("attention", model);
  EXPECT_EQ(j["ids"].get<std::vector<int32_t>>(), ref.i32("ids"));
  const Tensor want = ref.f32("attention");
  const int64_t layers = want.size(0), heads = want.size(1), t_len = want.size(2);
  ASSERT_EQ(j["tables"].size(), size_t(layers * heads));
  for (const auto& table : j["tables"]) {
    const int64_t l = table["layer"].get<int64_t>() - 1, h = table["head"].get<int64_t>() - 1;
    const auto& rows = table["weights"];
    ASSERT_EQ(rows.size(), size_t(t_len));
    for (int64_t q = 0; q < t_len; ++q) {
      double sum = 0.0;
      for (int64_t k = 0; k < t_len; ++k) {
        const float w = rows[q][k].get<float>();
        sum += w;
        const std::string where = model + " layer " + std::to_string(l + 1) + " head " +
                                  std::to_string(h + 1) + " [" + std::to_string(q) + "," +
                                  std::to_string(k) + "]";
        if (k > q) {
          ASSERT_EQ(w, 0.0f) << where;
        }
        ASSERT_NEAR(w, want.data[((l * heads + h) * t_len + q) * t_len + k], 1e-5) << where;
      }
      ASSERT_NEAR(sum, 1.0, 1e-5) << model << " row " << q;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Checkpoints, AttentionMatchesPyTorch,
                         ::testing::Values("seed248", "shakespeare-cpu"));

TEST(TraceMatchesPyTorch, EveryStepOfTheCommandsJson) {
  const SafetensorsReader& ref = reference("seed248");
  const nlohmann::json j = run_json("trace", "seed248");
  std::set<std::string> expected, seen;
  for (const auto& [name, entry] : ref.entries())
    if (name.starts_with("trace/")) expected.insert(name.substr(6));
  for (const auto& step : j["steps"]) {
    const std::string name = step["name"];
    seen.insert(name);
    const Tensor want = ref.f32("trace/" + name);
    ASSERT_EQ(step["shape"].get<std::vector<int64_t>>(), want.shape) << name;
    // The nested arrays' leaves in row-major order.
    std::vector<nlohmann::json> values;
    std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& v) {
      if (v.is_array())
        for (const auto& x : v) walk(x);
      else
        values.push_back(v);
    };
    walk(step["values"]);
    ASSERT_EQ(int64_t(values.size()), want.numel()) << name;
    for (int64_t i = 0; i < want.numel(); ++i) {
      if (std::isinf(want.data[i])) {
        ASSERT_TRUE(values[i].is_null()) << name << " " << i << ": the mask's -inf is null";
      } else {
        expect_close(values[i].get<float>(), want.data[i], name + " " + std::to_string(i));
      }
    }
  }
  EXPECT_EQ(seen, expected);
  // The listed next tokens come from the same logits.
  const Tensor probs = ref.f32("probs");
  for (const auto& next : j["next"])
    EXPECT_NEAR(next["probability"].get<double>(), probs.data[next["id"].get<int>()], 1e-5);
}

class TraceOfEveryVariant : public ::testing::TestWithParam<std::string> {};

// Post-norm, ReLU, untied heads, sinusoidal positions: the library trace on the first sequence
// of each gpt_* fixture.
TEST_P(TraceOfEveryVariant, MatchesPyTorchIntermediates) {
  const SafetensorsReader file = SafetensorsReader::open(fixture_path(GetParam()));
  const auto model_ptr = testing::fixture_model<Gpt>(file);
  const Gpt& model = *model_ptr;
  const std::vector<int32_t> input = file.i32("input");
  const int64_t t_len = file.entry("input").shape[1];
  const ActivationTrace trace =
      model.inspect({std::span<const int32_t>(input.data(), size_t(t_len)), {}, -1});
  int64_t compared = 0;
  for (const auto& [name, entry] : file.entries()) {
    if (!name.starts_with("trace/")) continue;
    const Tensor want = file.f32(name);
    const Tensor& got = trace.at(name.substr(6));
    ASSERT_EQ(got.shape, want.shape) << name;
    for (int64_t i = 0; i < want.numel(); ++i) {
      if (std::isinf(want.data[i]))
        ASSERT_EQ(got.data[i], want.data[i]) << name << " " << i;
      else
        expect_close(got.data[i], want.data[i], name + " " + std::to_string(i));
    }
    ++compared;
  }
  EXPECT_EQ(compared, int64_t(trace.entries().size()));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TraceOfEveryVariant,
                         ::testing::Values("gpt_prenorm_learned.safetensors",
                                           "gpt_seed248.safetensors",
                                           "gpt_postnorm_relu.safetensors"));

}  // namespace
}  // namespace dikkat
