// Model directories written before config.json named an architecture ("arch") still load, and
// generate exactly the text they generated when they were written. The two fixtures were
// written by dikkat before the model seam existed (tests/reference/make_inspect_fixtures.py);
// the expected continuations were printed by that same build.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace dikkat
