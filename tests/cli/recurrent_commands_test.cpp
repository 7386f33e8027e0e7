// The recurrent encoder-decoders (--arch rnn) as a user runs them: train on sentence pairs,
// translate (greedy and beam), score, eval, info, the alignment as attention, trace, resume after
// SIGKILL and bf16, for both cells and every kind of attention. The pairs are number words made
// by test_support, so the test needs no shared data.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cli/trained_translator_suite.h"
#include "io/file_io.h"
#include "run/checkpoint.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::expect_one_line_error;
using testing::number_pairs;
using testing::read_metrics;
using testing::run_dikkat;
using testing::shell_quote;

// One GRU model with Bahdanau attention (rnn-tiny) shared by the tests of this suite.
class RecurrentCommands : public testing::TrainedTranslatorSuite<RecurrentCommands> {
 public:
  static constexpr const char* kPresetFlags = "--arch rnn --preset rnn-tiny";
};

TEST_F(RecurrentCommands, TrainingLogsLossAndTranslationQuality) {
  const auto config = nlohmann::json::parse(read_file(file("model") + "/config.json"));
  EXPECT_EQ(config["model"]["arch"], "rnn");
  EXPECT_EQ(config["model"]["cell"], "gru");
  EXPECT_EQ(config["model"]["attention"], "bahdanau");
  const auto metrics = read_metrics(file("model"));
  int evaluations = 0;
  for (const auto& m : metrics)
    if (m.contains("val_loss")) {
      ++evaluations;
      EXPECT_TRUE(m.contains("val_bleu") && m.contains("val_chrf")) << m.dump();
    }
  EXPECT_EQ(evaluations, 4);  // steps 0, 50, 100, 150
  EXPECT_LT(metrics.back()["val_loss"].get<double>(),
            metrics.front()["val_loss"].get<double>() - 0.5);
}

TEST_F(RecurrentCommands, TranslateScoreEvalAndInfo) {
  testing::write_text(file("src.txt"), "one two\nthree\nfour five six\n");
  testing::write_text(file("ref.txt"), "bir iki\nüç\ndört beş altı\n");
  for (const char* beam : {"1", "3"}) {
    const auto r = run_dikkat("translate --model " + model() + " --input " + file("src.txt") +
                              " --beam " + beam + " --batch 2 --ref " + file("ref.txt"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3) << r.out;
    EXPECT_NE(r.err.find("BLEU|nrefs:1"), std::string::npos) << r.err;
    testing::write_text(file(std::string("hyp") + beam + ".txt"), r.out);
  }
  const auto s =
      run_dikkat("score --hyp " + file("hyp3.txt") + " --ref " + file("ref.txt") + " --json");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_TRUE(nlohmann::json::parse(s.out).contains("chrf")) << s.out;
  const auto e = run_dikkat("eval --model " + model() + " --data " + file("dev.tsv") + " --json");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_NEAR(nlohmann::json::parse(e.out)["loss"].get<double>(),
              read_metrics(file("model")).back()["val_loss"].get<double>(), 1e-5);
  const auto i = run_dikkat("info --model " + model());
  ASSERT_EQ(i.exit_code, 0) << i.err;
  for (const char* name : {"encoder.rnn.weight_hh_l0_reverse", "decoder.attention.v", "hidden"})
    EXPECT_NE(i.out.find(name), std::string::npos) << name;
}

// attention --kind cross is the alignment Model::inspect traces for the same sentences.
TEST_F(RecurrentCommands, AttentionShowsTheAlignment) {
  const LoadedModel m = load_model_dir(file("model"));
  const std::string source = "two three four", target = "iki üç dört";
  const std::vector<int32_t> source_ids = m.tokenizer.encode(source, "source");
  const std::vector<int32_t> target_ids = m.tokenizer.encode(target, "target");
  const ActivationTrace trace =
      m.model->inspect({source_ids, target_ids, *m.tokenizer.end_of_text()});
  const std::vector<AttentionKind> kinds = m.model->attention_kinds();
  ASSERT_EQ(kinds.size(), 1u);
  EXPECT_EQ(kinds[0].name, "cross");
  ASSERT_EQ(kinds[0].layers(), 1);
  const Tensor& w = trace.at(kinds[0].tables[0]);  // (1, target + 1, source + 1)
  const auto r = run_dikkat("attention --model " + model() + " --text " + shell_quote(source) +
                            " --target " + shell_quote(target) + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["tables"].size(), 1u);
  const int64_t rows = w.size(1), cols = w.size(2);
  const auto& table = j["tables"][0]["weights"];
  ASSERT_EQ(int64_t(table.size()), rows);
  for (int64_t q = 0; q < rows; ++q) {
    double sum = 0.0;
    for (int64_t k = 0; k < cols; ++k) {
      ASSERT_NEAR(table[q][k].get<float>(), w.data[q * cols + k], 1e-6);
      sum += table[q][k].get<double>();
    }
    EXPECT_NEAR(sum, 1.0, 1e-5);
  }
  const auto svg = run_dikkat("attention --model " + model() + " --text " + shell_quote(source) +
                              " --svg " + file("alignment.svg"));
  ASSERT_EQ(svg.exit_code, 0) << svg.err;
  EXPECT_NE(read_file(file("alignment.svg")).find("⟨end⟩"), std::string::npos);
  expect_one_line_error(run_dikkat("attention --model " + model() + " --text one --kind encoder"),
                        "--kind encoder: the model has attention of kinds cross only");
}

TEST_F(RecurrentCommands, TraceWalksTheRecurrentSteps) {
  const auto t = run_dikkat("trace --model " + model() + " --text 'one two' --format json");
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const auto j = nlohmann::json::parse(t.out);
  std::vector<std::string> names;
  for (const auto& s : j["steps"]) names.push_back(s["name"]);
  const std::vector<std::string> want = {"encoder.embed",
                                         "encoder.l0.forward",
                                         "encoder.l0.backward",
                                         "encoder.out",
                                         "decoder.embed",
                                         "decoder.l0",
                                         "decoder.attention.weights",
                                         "decoder.context",
                                         "decoder.output",
                                         "logits"};
  EXPECT_EQ(names, want);
  const auto svg = run_dikkat("trace --model " + model() + " --text 'one two' --target 'bir' " +
                              "--svg " + file("trace.svg"));
  ASSERT_EQ(svg.exit_code, 0) << svg.err;
  EXPECT_NE(read_file(file("trace.svg")).find("Bahdanau alignment"), std::string::npos);
}

// The other cells and attentions train, translate, evaluate and show (or clearly lack) attention.
class RecurrentVariants : public ::testing::TestWithParam<const char*> {};

TEST_P(RecurrentVariants, TrainTranslateEvalAndAttention) {
  testing::TempDir tmp;
  testing::write_text(tmp.file("pairs.tsv"), number_pairs(200, 6));
  const std::string flags = GetParam();
  const auto r = run_dikkat("train --preset rnn-tiny " + flags + " --data " +
                            tmp.file("pairs.tsv") + " --out " + tmp.file("m") +
                            " --steps 20 --eval-every 0 --eval-sentences 5 --threads 1 --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string m = shell_quote(tmp.file("m"));
  const auto t = run_dikkat("translate --model " + m + " --text 'one two' --beam 2");
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_EQ(std::count(t.out.begin(), t.out.end(), '\n'), 1);
  const auto e = run_dikkat("eval --model " + m + " --data " + tmp.file("pairs.tsv") + " --json");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const auto a = run_dikkat("attention --model " + m + " --text 'one two' --format json");
  if (flags.find("none") != std::string::npos) {
    expect_one_line_error(a, "has no attention (GRU, 2 encoder and 2 decoder layers, hidden 16, none attention");
  } else {
    ASSERT_EQ(a.exit_code, 0) << a.err;
    EXPECT_EQ(nlohmann::json::parse(a.out)["tables"].size(), 1u);
  }
}

INSTANTIATE_TEST_SUITE_P(
    CellsAndAttentions, RecurrentVariants,
    ::testing::Values("--cell lstm --attention luong", "--cell lstm --attention bahdanau",
                      "--cell gru --attention none --bidirectional false --layers 2"),
    [](const auto& info) { return "variant" + std::to_string(info.index); });

TEST(RecurrentTraining, KilledWithSigkillAndResumedEndsLikeAnUninterruptedRun) {
  testing::TempDir tmp;
  testing::write_text(tmp.file("pairs.tsv"), number_pairs(300, 4));
  const auto r = testing::train_whole_and_killed(
      tmp,
      "--arch rnn --preset rnn-tiny --cell lstm --data " + tmp.file("pairs.tsv") +
          " --steps 120 --eval-every 40 --save-every 10 --dropout 0.1 --seed 3"
          " --eval-sentences 5 --threads 1 --quiet",
      "--threads 1 --quiet", {25, 55, 85, 115});
  ASSERT_GE(r.kills, 2);
  ASSERT_NO_FATAL_FAILURE(testing::expect_same_train_losses(r.whole, r.killed));
  EXPECT_EQ(r.whole.back()["val_loss"].get<double>(), r.killed.back()["val_loss"].get<double>());
}

// bf16 matrix multiplies (the input projections; fp32 where the CPU has no bf16) end where fp32
// ends, within 0.02.
TEST(RecurrentTraining, Bf16EndsCloseToFp32) {
  testing::TempDir tmp;
  testing::write_text(tmp.file("pairs.tsv"), number_pairs(600, 5));
  double loss[2];
  int i = 0;
  for (const char* precision : {"fp32", "bf16"}) {
    const std::string out = tmp.file(precision);
    const auto r = run_dikkat("train --preset rnn-tiny --data " + tmp.file("pairs.tsv") +
                              " --steps 150 --eval-every 0 --eval-sentences 0 --precision " +
                              precision + " --out " + out + " --threads 2 --quiet");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    loss[i++] = read_metrics(out).back()["val_loss"].get<double>();
  }
  EXPECT_NEAR(loss[0], loss[1], 0.02);
}

}  // namespace
}  // namespace dikkat
