// Inputs the fuzzers (fuzz/) found crashing a loader, kept as regression tests: each must now be
// a dikkat::Error naming the file. The files are the fuzzers' own crash inputs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "error.h"
#include "io/file_io.h"
#include "run/checkpoint.h"
#include "test_support.h"
#include "tokenize/tokenizer.h"

namespace dikkat {
namespace {

nlohmann::json fixture_json(const std::string& name) {
  return nlohmann::json::parse(read_file(testing::fixture_path("fuzz/" + name)));
}

void expect_error_naming(const std::function<void()>& load, const std::string& name) {
  try {
    load();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
  }
}

TEST(FuzzFindings, ConfigWhoseFormatIsAnObject) {
  const auto j = fixture_json("fuzz-run-config-format-object.json");
  expect_error_naming([&] { parse_run_config(j, "config.json"); }, "config.json");
  // The same kind of mistake deeper inside: a model field of the wrong JSON type.
  const auto deep = nlohmann::json::parse(
      R"({"format": "dikkat", "model": {"activation": ["gelu"]}, "train": {"tokenizer": 3}})");
  expect_error_naming([&] { parse_run_config(deep, "config.json"); }, "config.json");
}

TEST(FuzzFindings, ConfigWithAnIntegerTooLargeForAnyType) {
  // warmup_steps is 6.7e92: JSON parses it as a float, whose conversion to int64 was undefined.
  const auto j = fixture_json("fuzz-run-config-huge-integer.json");
  expect_error_naming([&] { parse_run_config(j, "config.json"); }, "field 'warmup_steps'");
  const auto too_big =
      nlohmann::json::parse(R"({"format": "dikkat", "model": {"n_layer": 18446744073709551615}})");
  expect_error_naming([&] { parse_run_config(too_big, "config.json"); }, "field 'n_layer'");
  const auto inf_float =
      nlohmann::json::parse(R"({"format": "dikkat", "model": {"dropout": 1e39}})");
  expect_error_naming([&] { parse_run_config(inf_float, "config.json"); }, "field 'dropout'");
}

TEST(FuzzFindings, ConfigWhoseSizesWouldOverflowAParameterCount) {
  // 65 x 888888888888888884 overflowed int64 while sizing the model.
  const auto j = fixture_json("fuzz-run-config-overflowing-width.json");
  expect_error_naming([&] { parse_run_config(j, "config.json"); }, "n_embd must be at most");
}

TEST(FuzzFindings, CharTokenizerWhoseUnknownSymbolIsAnArray) {
  const auto j = fixture_json("fuzz-tokenizer-unknown-array.json");
  expect_error_naming([&] { Tokenizer::from_json(j, "tokenizer.json"); }, "tokenizer.json");
  expect_error_naming(
      [&] { Tokenizer::from_json(nlohmann::json::parse(R"({"type": 1})"), "tokenizer.json"); },
      "tokenizer.json");
}

}  // namespace
}  // namespace dikkat
