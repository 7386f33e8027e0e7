// The bigram model (--arch bigram) as a user runs it: train on a text, resume after SIGKILL,
// generate, eval, its table as a heatmap (bigram), and a clear line where a view does not apply.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "io/file_io.h"
#include "run/checkpoint.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::expect_one_line_error;
using testing::read_metrics;
using testing::run_dikkat;
using testing::shell_quote;

// The text's own bigram cross-entropy (nats per character): the lowest loss a bigram table can
// reach on it, from counting each (current, next) pair.
double counted_bigram_entropy(const std::string& text) {
  std::map<std::pair<char, char>, double> pairs;
  std::map<char, double> firsts;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    pairs[{text[i], text[i + 1]}] += 1;
    firsts[text[i]] += 1;
  }
  double nats = 0.0;
  for (const auto& [pair, n] : pairs) nats -= n * std::log(n / firsts[pair.first]);
  return nats / double(text.size() - 1);
}

std::string some_text() {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "the cat sat on the mat. a dog ate the hat.\n";
  return text;
}

TEST(BigramCommands, TrainGenerateEvalAndTheTable) {
  testing::TempDir tmp;
  testing::write_text(tmp.file("text.txt"), some_text());
  const auto r = run_dikkat("train --arch bigram --data " + tmp.file("text.txt") + " --out " +
                            tmp.file("m") + " --steps 1500 --eval-every 500 --threads 1 --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto metrics = read_metrics(tmp.file("m"));
  // Trained, the table reaches the counted bigram statistics of the text (0.896 nats).
  const double floor = counted_bigram_entropy(some_text());
  EXPECT_NEAR(metrics.back()["val_loss"].get<double>(), floor, 0.05);
  const std::string m = shell_quote(tmp.file("m"));
  const auto g = run_dikkat("generate --model " + m + " --prompt th --tokens 20 --seed 3");
  ASSERT_EQ(g.exit_code, 0) << g.err;
  EXPECT_EQ(g.out.rfind("th", 0), 0u) << g.out;
  const auto e = run_dikkat("eval --model " + m + " --data " + tmp.file("text.txt") + " --json");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_NEAR(nlohmann::json::parse(e.out)["loss"].get<double>(), floor, 0.05);

  // The table's rows are the softmax of the saved table's rows.
  const auto t = run_dikkat("bigram --model " + m + " --text 'the' --format json --svg " +
                            tmp.file("table.svg"));
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const auto j = nlohmann::json::parse(t.out);
  const LoadedModel loaded = load_model_dir(tmp.file("m"));
  const int64_t V = loaded.config.model.vocab_size;
  const float* table = loaded.model->token_embedding()->value.ptr();
  ASSERT_EQ(j["ids"].size(), 3u);
  for (size_t r = 0; r < 3; ++r) {
    const float* row = table + j["ids"][r].get<int64_t>() * V;
    double sum = 0.0;
    for (int64_t k = 0; k < V; ++k) sum += std::exp(double(row[k]));
    for (size_t c = 0; c < 3; ++c)
      EXPECT_NEAR(j["probabilities"][r][c].get<double>(),
                  std::exp(double(row[j["ids"][c].get<int64_t>()])) / sum, 1e-6);
  }
  EXPECT_NE(read_file(tmp.file("table.svg")).find("P(next | current)"), std::string::npos);
  expect_one_line_error(run_dikkat("attention --model " + m + " --text the"),
                        "has no attention (a bigram table");
  const std::string gpt = shell_quote(testing::fixture_path("models/seed248"));
  expect_one_line_error(run_dikkat("bigram --model " + gpt), "has no next-token table");
  const auto i = run_dikkat("info --model " + m);
  ASSERT_EQ(i.exit_code, 0) << i.err;
  EXPECT_NE(i.out.find("token_embedding_table.weight"), std::string::npos);
}

TEST(BigramCommands, KilledWithSigkillAndResumedEndsLikeAnUninterruptedRun) {
  testing::TempDir tmp;
  testing::write_text(tmp.file("text.txt"), some_text());
  const auto r = testing::train_whole_and_killed(
      tmp,
      "--arch bigram --data " + tmp.file("text.txt") +
          " --steps 3000 --eval-every 1000 --save-every 100 --seed 5 --threads 1 --quiet",
      "--threads 1 --quiet", {700, 1600, 2500});
  ASSERT_GE(r.kills, 1);
  ASSERT_NO_FATAL_FAILURE(testing::expect_same_train_losses(r.whole, r.killed));
  EXPECT_EQ(r.whole.back()["val_loss"].get<double>(), r.killed.back()["val_loss"].get<double>());
}

}  // namespace
}  // namespace dikkat
