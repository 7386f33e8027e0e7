// An encoder-decoder as a user runs it: train --arch seq2seq on a few hundred sentence pairs,
// translate (greedy and beam, one line out per line in), score, eval, info, resume after SIGKILL,
// and one clear line for each bad input. The pairs are made here: English number words and their
// Turkish translations, so the test needs no shared data.
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

// One transformer (nmt-tiny) shared by the tests of this suite.
class TranslationCommands : public testing::TrainedTranslatorSuite<TranslationCommands> {
 public:
  static constexpr const char* kPresetFlags = "--arch seq2seq --preset nmt-tiny";
};

TEST_F(TranslationCommands, TrainingLogsLossAndTranslationQualityAtEachEvaluation) {
  const auto config = nlohmann::json::parse(read_file(file("model") + "/config.json"));
  EXPECT_EQ(config["model"]["arch"], "seq2seq");
  const auto metrics = read_metrics(file("model"));
  int evaluations = 0;
  for (const auto& m : metrics)
    if (m.contains("val_loss")) {
      ++evaluations;
      EXPECT_TRUE(m.contains("val_bleu") && m.contains("val_chrf")) << m.dump();
    }
  EXPECT_EQ(evaluations, 4);  // steps 0, 50, 100, 150
  EXPECT_LT(metrics.back()["val_loss"].get<double>(), metrics.front()["val_loss"].get<double>());
}

// ctest runs each test in a process of its own: every test writes the files it reads.
void write_sources_and_references() {
  testing::write_text(TranslationCommands::file("src.txt"), "one two\nthree\nfour five six\n");
  testing::write_text(TranslationCommands::file("ref.txt"), "bir iki\nüç\ndört beş altı\n");
}

TEST_F(TranslationCommands, TranslateGivesOneLineOutPerLineInWithGreedyAndBeam) {
  write_sources_and_references();
  for (const char* beam : {"1", "4"}) {
    const auto r = run_dikkat("translate --model " + model() + " --input " + file("src.txt") +
                              " --beam " + beam + " --batch 2 --ref " + file("ref.txt"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3) << r.out;
    EXPECT_NE(r.err.find("BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("chrF2|"), std::string::npos) << r.err;
  }
  // Any bytes encode with byte-level BPE: characters never seen in training do not fail.
  const auto r = run_dikkat("translate --model " + model() + " --text '漢字 ☃'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(TranslationCommands, ScoreEvalAndInfoWork) {
  write_sources_and_references();
  const auto t = run_dikkat("translate --model " + model() + " --input " + file("src.txt"));
  ASSERT_EQ(t.exit_code, 0) << t.err;
  testing::write_text(file("hyp.txt"), t.out);
  const auto s =
      run_dikkat("score --hyp " + file("hyp.txt") + " --ref " + file("ref.txt") + " --json");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_TRUE(nlohmann::json::parse(s.out).contains("bleu")) << s.out;
  const auto e = run_dikkat("eval --model " + model() + " --data " + file("dev.tsv") + " --json");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const auto ej = nlohmann::json::parse(e.out);
  EXPECT_EQ(ej["pairs"], 40);
  // eval's loss over the validation pairs is the one training logged last.
  EXPECT_NEAR(ej["loss"].get<double>(),
              read_metrics(file("model")).back()["val_loss"].get<double>(), 1e-5);
  const auto i = run_dikkat("info --model " + model());
  ASSERT_EQ(i.exit_code, 0) << i.err;
  EXPECT_NE(i.out.find("decoder.layers.0.encoder_attn.kv_proj.weight"), std::string::npos);
}

// attention's three views hold the model's own numbers: the tables Model::inspect traces for
// the same source and target, rows summing to 1, the decoder's causal cells exactly 0.
TEST_F(TranslationCommands, AttentionViewsAreTheModelsOwnNumbers) {
  const LoadedModel m = load_model_dir(file("model"));
  const std::string source = "two three four", target = "iki üç dört";
  const int32_t end = *m.tokenizer.end_of_text();
  const std::vector<int32_t> source_ids = m.tokenizer.encode(source, "source");
  const std::vector<int32_t> target_ids = m.tokenizer.encode(target, "target");
  const ActivationTrace trace = m.model->inspect({source_ids, target_ids, end});
  std::vector<std::string> names;
  for (const AttentionKind& k : m.model->attention_kinds()) names.push_back(k.name);
  EXPECT_EQ(names, (std::vector<std::string>{"encoder", "decoder", "cross"}));
  for (const AttentionKind& k : m.model->attention_kinds()) {
    const std::string kind = k.name;
    const auto r =
        run_dikkat("attention --model " + model() + " --text " + shell_quote(source) +
                   " --target " + shell_quote(target) + " --kind " + kind + " --format json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["kind"], kind);
    const Tensor& w = trace.at(k.tables[0]);  // (H, rows, cols)
    const int64_t heads = w.size(0), rows = w.size(1), cols = w.size(2);
    ASSERT_EQ(int64_t(j["tables"].size()), heads);
    for (int64_t h = 0; h < heads; ++h)
      for (int64_t q = 0; q < rows; ++q) {
        double sum = 0.0;
        for (int64_t k = 0; k < cols; ++k) {
          const float got = j["tables"][h]["weights"][q][k].get<float>();
          ASSERT_NEAR(got, w.data[(h * rows + q) * cols + k], 1e-6) << kind;
          if (std::string(kind) == "decoder" && k > q) {
            ASSERT_EQ(got, 0.0f);
          }
          sum += got;
        }
        ASSERT_NEAR(sum, 1.0, 1e-5) << kind << " row " << q;
      }
  }
  // Cross-attention as a drawing: every source and target label is on it.
  const auto svg =
      run_dikkat("attention --model " + model() + " --text " + shell_quote(source) + " --target " +
                 shell_quote(target) + " --layer 1 --head 1 --svg " + file("cross.svg"));
  ASSERT_EQ(svg.exit_code, 0) << svg.err;
  const std::string drawn = read_file(file("cross.svg"));
  for (const char* label : {"⟨start⟩", "⟨end⟩", "source token (attended to)"})
    EXPECT_NE(drawn.find(label), std::string::npos) << label;
}

TEST_F(TranslationCommands, ProbsAndTraceFollowTheSourceAndTargetPrefix) {
  const auto p = run_dikkat("probs --model " + model() +
                            " --text 'one two' --target 'bir' --top 3 --format json");
  ASSERT_EQ(p.exit_code, 0) << p.err;
  const auto pj = nlohmann::json::parse(p.out);
  EXPECT_EQ(pj["tokens"].size(), 3u);
  const auto t = run_dikkat("trace --model " + model() + " --text 'one two' --format json");
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const auto tj = nlohmann::json::parse(t.out);
  std::vector<std::string> names;
  for (const auto& s : tj["steps"]) names.push_back(s["name"]);
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.front(), "encoder.embed.token");
  EXPECT_EQ(names.back(), "logits");
  EXPECT_NE(std::find(names.begin(), names.end(), "decoder.h.0.cross_attn.weights"), names.end());
  EXPECT_TRUE(tj["translated"].get<bool>());
  const auto svg = run_dikkat("trace --model " + model() + " --text 'one two' --target 'bir iki' " +
                              "--svg " + file("trace.svg"));
  ASSERT_EQ(svg.exit_code, 0) << svg.err;
  const std::string drawn = read_file(file("trace.svg"));
  for (const char* text : {"encoder.embed.sum", "decoder.h.0.cross_attn.weights", "⟨start⟩", "⟨end⟩"})
    EXPECT_NE(drawn.find(text), std::string::npos) << text;
}

TEST_F(TranslationCommands, BadInputGetsOneClearLine) {
  testing::write_text(file("bad.tsv"), "one\tbir\ntwo iki\nthree\tüç\n");
  expect_one_line_error(run_dikkat("train --preset nmt-tiny --data " + file("bad.tsv") + " --out " +
                                   file("bad-run") + " --quiet"),
                        file("bad.tsv") + ":2: no tab between source and target");
  expect_one_line_error(run_dikkat("translate --model " + model() + " --text one --beam 0"),
                        "--beam must be at least 1, got 0");
  expect_one_line_error(run_dikkat("train --arch transformer --data " + file("train.tsv")),
                        "--arch: must be gpt, seq2seq");
  std::string long_line;
  for (int i = 0; i < 100; ++i) long_line += "seven ";
  testing::write_text(file("long.txt"), "one\n" + long_line + "\n");
  expect_one_line_error(run_dikkat("translate --model " + model() + " --input " + file("long.txt")),
                        file("long.txt") + ":2: ");
  const auto cut =
      run_dikkat("translate --model " + model() + " --input " + file("long.txt") + " --truncate");
  EXPECT_EQ(cut.exit_code, 0) << cut.err;
  EXPECT_EQ(std::count(cut.out.begin(), cut.out.end(), '\n'), 2);
  EXPECT_NE(cut.err.find("warning: " + file("long.txt") + ":2: "), std::string::npos) << cut.err;
  expect_one_line_error(run_dikkat("generate --model " + model() + " --prompt one"),
                        "use dikkat translate");
  const std::string gpt = shell_quote(testing::fixture_path("models/seed248"));
  expect_one_line_error(run_dikkat("translate --model " + gpt + " --text hello"),
                        "a language model does not translate");
}

TEST_F(TranslationCommands, SkipBadLinesCountsWhatItLeftOut) {
  testing::write_text(file("some-bad.tsv"), number_pairs(200, 3) + "no tab here\n\tempty\n");
  const auto r = run_dikkat("train --preset nmt-tiny --data " + file("some-bad.tsv") +
                            " --skip-bad-lines --steps 2 --eval-every 0 --out " + file("skipping") +
                            " --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 malformed lines skipped"), std::string::npos) << r.out;
}

// bf16 matrix multiplies (fp32 where the CPU has no bf16) end where fp32 ends, within 0.02.
TEST(TranslationTraining, Bf16EndsCloseToFp32) {
  testing::TempDir tmp;
  testing::write_text(tmp.file("pairs.tsv"), number_pairs(600, 5));
  double loss[2];
  int i = 0;
  for (const char* precision : {"fp32", "bf16"}) {
    const std::string out = tmp.file(precision);
    const auto r = run_dikkat("train --preset nmt-tiny --data " + tmp.file("pairs.tsv") +
                              " --steps 150 --eval-every 0 --eval-sentences 0 --precision " +
                              precision + " --out " + out + " --threads 2 --quiet");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    loss[i++] = read_metrics(out).back()["val_loss"].get<double>();
  }
  EXPECT_NEAR(loss[0], loss[1], 0.02);
}

TEST(TranslationTraining, KilledWithSigkillAndResumedEndsLikeAnUninterruptedRun) {
  testing::TempDir tmp;
  testing::write_text(tmp.file("pairs.tsv"), number_pairs(300, 4));
  const auto r = testing::train_whole_and_killed(
      tmp,
      "--arch seq2seq --preset nmt-tiny --data " + tmp.file("pairs.tsv") +
          " --steps 120 --eval-every 40 --save-every 10 --dropout 0.1 --seed 3"
          " --eval-sentences 5 --threads 1 --quiet",
      "--threads 1 --quiet", {25, 55, 85, 115});
  ASSERT_GE(r.kills, 2);
  ASSERT_NO_FATAL_FAILURE(testing::expect_same_train_losses(r.whole, r.killed));
  EXPECT_EQ(r.whole.back()["val_loss"].get<double>(), r.killed.back()["val_loss"].get<double>());
  EXPECT_EQ(r.whole.back()["val_bleu"].get<double>(), r.killed.back()["val_bleu"].get<double>());
}

}  // namespace
}  // namespace dikkat
