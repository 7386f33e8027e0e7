// Model directories written by earlier builds still load and give the outputs they gave then.
// The two GPT fixtures were written before config.json named an architecture ("arch") and before
// the model seam existed (tests/reference/make_inspect_fixtures.py), with the continuations that
// build printed. The translator and bigram fixtures (models/nmt-tiny, rnn-tiny, bigram) were
// trained by the build before the shared layer tier, KV cache and inspection seam, which also
// wrote tests/fixtures/legacy/expected.json: its translations, cross-attention tables,
// next-token probabilities, evaluation losses and greedy continuation.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "io/file_io.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::run_dikkat;
using testing::shell_quote;

std::string legacy_model(const std::string& name) {
  return testing::fixture_path("models/" + name);
}

TEST(LegacyCheckpoint, FixturesHaveNoArchitectureKey) {
  for (const char* name : {"seed248", "shakespeare-cpu"}) {
    const auto config = nlohmann::json::parse(read_file(legacy_model(name) + "/config.json"));
    EXPECT_FALSE(config["model"].contains("arch")) << name;
  }
}

struct Continuation {
  const char* model;
  const char* flags;
  const char* text;
};

TEST(LegacyCheckpoint, GeneratesTheSameTextAsTheBuildThatWroteIt) {
  const Continuation cases[] = {
      {"seed248", "--greedy", "ali ata r      r r r r r r     r r r r r r     r"},
      {"seed248", "--temperature 0.8 --seed 3", "ali ata sayisimila yeir nuuk r  . n be dakiz  ti"},
      {"shakespeare-cpu", "--greedy", "ali ata the sone the stake the the down the down"},
      {"shakespeare-cpu", "--temperature 0.8 --seed 3", "ali ata with as of infore\n'To still my and do in"},
  };
  for (const auto& c : cases) {
    const auto r = run_dikkat("generate --model " + shell_quote(legacy_model(c.model)) +
                              " --prompt 'ali ata ' --tokens 40 " + c.flags);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, std::string(c.text) + "\n") << c.model << " " << c.flags;
  }
}

const nlohmann::json& expected() {
  static const nlohmann::json j =
      nlohmann::json::parse(read_file(testing::fixture_path("legacy/expected.json")));
  return j;
}

nlohmann::json json_of(const std::string& args) {
  const auto r = run_dikkat(args);
  EXPECT_EQ(r.exit_code, 0) << args << ": " << r.err;
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json();
}

void expect_same_probabilities(const nlohmann::json& got, const nlohmann::json& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i]["id"], want[i]["id"]) << i;
    EXPECT_NEAR(got[i]["probabilities"][0].get<double>(),
                want[i]["probabilities"][0].get<double>(), 1e-6)
        << i;
  }
}

class LegacyTranslator : public ::testing::TestWithParam<std::string> {};

TEST_P(LegacyTranslator, TranslatesAttendsScoresAndEvaluatesAsWhenItWasWritten) {
  const std::string model = shell_quote(legacy_model(GetParam()));
  const nlohmann::json& want = expected()[GetParam()];
  for (const char* beam : {"1", "4"}) {
    const auto r = run_dikkat("translate --model " + model + " --text 'three one four' --beam " + beam);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, want["translate"][beam].get<std::string>()) << "beam " << beam;
  }
  const nlohmann::json tables =
      json_of("attention --model " + model +
              " --text 'three one four' --target 'üç bir dört' --kind cross --format json")["tables"];
  ASSERT_EQ(tables.size(), want["attention"].size());
  for (size_t t = 0; t < tables.size(); ++t) {
    const auto& got = tables[t]["weights"];
    const auto& old = want["attention"][t]["weights"];
    ASSERT_EQ(got.size(), old.size());
    for (size_t q = 0; q < old.size(); ++q)
      for (size_t k = 0; k < old[q].size(); ++k)
        ASSERT_NEAR(got[q][k].get<double>(), old[q][k].get<double>(), 1e-6) << t << " " << q;
  }
  expect_same_probabilities(json_of("probs --model " + model +
                                    " --text 'three one four' --target 'üç' --format json")["tokens"],
                            want["probs"]);
  EXPECT_NEAR(json_of("eval --model " + model + " --data " +
                      shell_quote(testing::fixture_path("legacy/dev.tsv")) + " --json")["loss"]
                  .get<double>(),
              want["eval"].get<double>(), 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, LegacyTranslator, ::testing::Values("nmt-tiny", "rnn-tiny"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(LegacyBigram, GeneratesScoresAndEvaluatesAsWhenItWasWritten) {
  const std::string model = shell_quote(legacy_model("bigram"));
  const nlohmann::json& want = expected()["bigram"];
  const auto r = run_dikkat("generate --model " + model + " --prompt 'the ' --tokens 20 --greedy");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, want["generate"].get<std::string>());
  expect_same_probabilities(
      json_of("probs --model " + model + " --text 'the c' --format json")["tokens"], want["probs"]);
  EXPECT_NEAR(json_of("eval --model " + model + " --data " +
                      shell_quote(testing::fixture_path("legacy/text.txt")) + " --json")["loss"]
                  .get<double>(),
              want["eval"].get<double>(), 1e-6);
}

}  // namespace
}  // namespace dikkat
