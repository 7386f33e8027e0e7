// The look-inside commands as a user runs them: their drawings are well-formed SVG holding every
// cell, point and token label, and bad input gets one clear line on stderr.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "draw/svg_test_support.h"
#include "io/file_io.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::ParsedSvg;
using testing::run_dikkat;
using testing::shell_quote;

std::string model(const std::string& name) {
  return shell_quote(testing::fixture_path("models/" + name));
}
const std::string kSeedText = "ali ata bak.";
const std::vector<std::string> kSeedLabels = {"a", "l", "i", "␣", "a", "t",
                                              "a", "␣", "b", "a", "k", "."};

ParsedSvg run_svg(const std::string& args, const testing::TempDir& dir) {
  const std::string path = dir.file("out.svg");
  const auto r = run_dikkat(args + " --svg " + shell_quote(path));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ParsedSvg svg(read_file(path));
  EXPECT_TRUE(svg.ok()) << svg.error();
  return svg;
}

void expect_labels(const ParsedSvg& svg, const std::vector<std::string>& labels) {
  for (const auto& l : labels) EXPECT_TRUE(svg.has_text(l)) << "missing label " << l;
}

TEST(AttentionCommand, OneTableIsAHeatmapWithEveryCellAndLabel) {
  testing::TempDir dir;
  const ParsedSvg svg = run_svg("attention --model " + model("seed248") + " --text " +
                                    shell_quote(kSeedText) + " --layer 1 --head 1",
                                dir);
  EXPECT_EQ(svg.count("//g[@class='cells']/rect"), 12u * 12u);
  expect_labels(svg, kSeedLabels);
}

TEST(AttentionCommand, OverviewDrawsEveryLayerAndHead) {
  testing::TempDir dir;
  const std::string text = "ROMEO: what light";
  const ParsedSvg svg = run_svg(
      "attention --model " + model("shakespeare-cpu") + " --text " + shell_quote(text), dir);
  EXPECT_EQ(svg.count("//g[@class='panel']"), 16u);
  EXPECT_EQ(svg.count("//g[@class='cells']/rect"), 16u * 17u * 17u);
  expect_labels(svg, {"R", "O", "M", "E", ":", "␣", "w", "h", "a", "t", "l", "i", "g"});
}

TEST(AttentionCommand, WordsReadAsWordTablesWhoseRowsSumToOne) {
  const auto r = run_dikkat("attention --model " + model("seed248") + " --text " +
                            shell_quote(kSeedText) + " --words --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["labels"], (std::vector<std::string>{"ali", "␣ata", "␣bak."}));
  const auto& rows = j["tables"][0]["weights"];
  for (size_t q = 0; q < 3; ++q) {
    double sum = 0;
    for (size_t k = 0; k < 3; ++k) sum += rows[q][k].get<double>();
    EXPECT_NEAR(sum, 1.0, 1e-5);
    for (size_t k = q + 1; k < 3; ++k) EXPECT_EQ(rows[q][k].get<double>(), 0.0);
  }
}

TEST(AttentionCommand, TokenRanksTheKeysOfOneQuery) {
  const auto r = run_dikkat("attention --model " + model("seed248") + " --text " +
                            shell_quote(kSeedText) + " --layer 1 --head 1 --token 6 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto keys = nlohmann::json::parse(r.out)["tables"][0]["keys"];
  ASSERT_EQ(keys.size(), 6u);  // query 6 sees positions 1..6
  for (size_t i = 1; i < keys.size(); ++i)
    EXPECT_GE(keys[i - 1]["weight"].get<double>(), keys[i]["weight"].get<double>());
}

TEST(AttentionCommand, BadLayerHeadAndTextGetClearErrors) {
  const std::string base = "attention --model " + model("seed248") + " --text ";
  testing::expect_one_line_error(run_dikkat(base + shell_quote(kSeedText) + " --layer 2"),
                                 "--layer 2: the model has layers 1..1");
  testing::expect_one_line_error(run_dikkat(base + shell_quote(kSeedText) + " --layer 1 --head 3"),
                                 "--head 3: the model has heads 1..1");
  testing::expect_one_line_error(run_dikkat(base + shell_quote(kSeedText) + " --head 1"),
                                 "--head needs --layer");
  testing::expect_one_line_error(run_dikkat(base + shell_quote("ali ata bak. ali")),
                                 "--text: 16 tokens exceed the model's context of 12");
  testing::expect_one_line_error(run_dikkat("attention --model " + model("shakespeare-cpu") +
                                            " --text " + shell_quote("ROMEO 漢")),
                                 "--text: character '漢' (U+6F22)");
}

TEST(TraceCommand, ShowsEveryStepAndRefusesABadLayer) {
  const auto r = run_dikkat("trace --model " + model("seed248") + " --text " +
                            shell_quote(kSeedText) + " --dims 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* step : {"embed.token", "embed.position", "h.0.attn.scores", "h.0.attn.masked",
                           "h.0.attn.weights", "h.0.mlp.act", "ln_f", "logits", "-inf", "more"})
    EXPECT_NE(r.out.find(step), std::string::npos) << step;
  testing::expect_one_line_error(
      run_dikkat("trace --model " + model("seed248") + " --text x --layer 5"),
      "--layer 5: the model has layers 1..1");
}

TEST(TraceCommand, DrawsEveryStepWithTheTokensAndTheNextTokenBars) {
  testing::TempDir dir;
  const ParsedSvg svg =
      run_svg("trace --model " + model("seed248") + " --text " + shell_quote(kSeedText), dir);
  // 3 embedding steps, 16 in the block (seed248 has no ln_2), ln_f and logits.
  EXPECT_EQ(svg.count("//g[@class='cells']"), 21u);
  EXPECT_EQ(svg.count("//g[@class='bars']/rect"), 10u);
  expect_labels(svg, kSeedLabels);
  expect_labels(svg, {"-inf"});
}

TEST(EmbeddingsCommand, BeforeAndAfterPanelsHoldEveryToken) {
  testing::TempDir dir;
  const ParsedSvg svg = run_svg("embeddings --model " + model("seed248") + " --compare 0", dir);
  EXPECT_EQ(svg.count("//g[@class='points']/circle"), 2u * 32u);
  EXPECT_EQ(svg.count("//g[@class='ghosts']/circle"), 32u);
  expect_labels(svg, {"a", "z", "␣", ".", ",", "?", "!", "_"});
  testing::expect_one_line_error(
      run_dikkat("embeddings --model " + model("shakespeare-cpu") + " --compare 5"),
      "has no model_step5.safetensors");
}

TEST(EmbeddingsCommand, PositionsShowEachTokenBeforeAndAfterItsEncoding) {
  const auto r = run_dikkat("embeddings --model " + model("seed248") + " --positions --text " +
                            shell_quote(kSeedText) + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto points = nlohmann::json::parse(r.out)["points"];
  ASSERT_EQ(points.size(), 12u);
  // Position 1 adds sin(0) = 0 and cos(0) = 1 to alternate dimensions of 'a'.
  EXPECT_NEAR(points[0]["now"][1].get<double>() - points[0]["before"][1].get<double>(), 1.0, 1e-6);
}

TEST(ProbsCommand, BarsForEveryTokenAndTemperature) {
  testing::TempDir dir;
  const ParsedSvg svg = run_svg(
      "probs --model " + model("shakespeare-cpu") + " --text ROMEO --temperature 0.5,1,2 --top 7",
      dir);
  EXPECT_EQ(svg.count("//g[@class='bars']/rect"), 7u * 3u);
  expect_labels(svg, {"T=0.5", "T=1", "T=2"});
  const auto r = run_dikkat("probs --model " + model("seed248") +
                            " --text 'ali ata bak. ali ata' --format json --top 32");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["dropped_tokens"], 8);  // 20 characters, context 12: generate's window
  double sum = 0;
  for (const auto& t : j["tokens"]) sum += t["probabilities"][0].get<double>();
  EXPECT_NEAR(sum, 1.0, 1e-9);
}

TEST(PlotCommand, CurvesFromMetricsAndTheLineOfABadOne) {
  testing::TempDir dir;
  const std::string metrics = dir.file("metrics.jsonl");
  std::string lines = "{\"step\":0,\"train_loss\":4.1,\"val_loss\":4.2}\n";
  for (int s = 1; s <= 20; ++s)
    lines += "{\"step\":" + std::to_string(s) + ",\"train_loss\":" + std::to_string(4.0 - s * 0.1) +
             ",\"lr\":0.001" + (s % 10 ? "" : ",\"val_loss\":3.5") + "}\n";
  testing::write_text(metrics, lines);
  const ParsedSvg svg = run_svg("plot --metrics " + shell_quote(metrics), dir);
  EXPECT_GE(svg.count("//polyline"), 3u);
  expect_labels(svg, {"step", "learning rate"});
  testing::write_text(metrics, "{\"step\":1,\"train_loss\":2.5,\"lr\":1e-08}\n");
  const auto csv = run_dikkat("plot --metrics " + shell_quote(metrics) + " --format csv");
  EXPECT_NE(csv.out.find("1,2.5,,1e-08"), std::string::npos) << csv.out;
  testing::write_text(metrics,
                      lines.substr(0, lines.find('\n') + 1) + "{\"step\":1}\n{\"step\": oops}\n");
  testing::expect_one_line_error(run_dikkat("plot --metrics " + shell_quote(metrics)),
                                 "metrics.jsonl:3: not valid JSON");
}

// --samples N: N continuations generated side by side, printed one after another; greedy ones are
// each the single greedy continuation.
TEST(GenerateCommand, SamplesArePrintedOneAfterAnother) {
  const std::string base = "generate --model " + model("shakespeare-cpu") + " --prompt 'ROMEO:' --tokens 12";
  const auto one = run_dikkat(base + " --greedy");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto three = run_dikkat(base + " --greedy --samples 3");
  ASSERT_EQ(three.exit_code, 0) << three.err;
  EXPECT_EQ(three.out, "--- sample 1\n" + one.out + "\n--- sample 2\n" + one.out +
                           "\n--- sample 3\n" + one.out);
  const auto sampled = run_dikkat(base + " --samples 4 --seed 3");
  ASSERT_EQ(sampled.exit_code, 0) << sampled.err;
  EXPECT_EQ(run_dikkat(base + " --samples 4 --seed 3").out, sampled.out);  // repeatable
  for (const char* header : {"--- sample 1\nROMEO:", "--- sample 4\nROMEO:"})
    EXPECT_NE(sampled.out.find(header), std::string::npos) << header;
  testing::expect_one_line_error(run_dikkat(base + " --samples 0"), "--samples");
}

}  // namespace
}  // namespace dikkat
