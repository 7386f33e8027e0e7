// A masked language model as a user trains and questions it: fill recovers a masked character,
// eval scores it above the unigram baseline, probs reads its first [MASK], and every misuse ends
// in one clear line.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace dikkat {
namespace {

using testing::expect_one_line_error;
using testing::run_dikkat;
using testing::shell_quote;

class MaskedLmCommands : public ::testing::Test {
 public:
  static std::string file(const std::string& name) { return dir_->file(name); }
  static std::string model() { return " --model " + shell_quote(file("model")); }

 protected:
  // A repetitive text: every masked character is certain from its neighbours.
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    std::string text;
    for (int i = 0; i < 300; ++i) text += i % 2 ? "the cat sat on the mat\n" : "a dog ran to a log\n";
    testing::write_text(file("text.txt"), text);
    const auto r = run_dikkat("train --arch bert --preset bert-tiny --data " + file("text.txt") +
                              " --out " + file("model") + " --steps 400 --threads 2 --quiet");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }

 private:
  static inline testing::TempDir* dir_ = nullptr;
};

TEST_F(MaskedLmCommands, FillRecoversAMaskedCharacter) {
  const auto r = run_dikkat("fill" + model() + " --text 'the cat s[MASK]t on the mat' --top 3 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["masks"].size(), 1u);
  const auto& best = j["masks"][0]["candidates"][0];
  EXPECT_EQ(best["token_str"], "a");
  EXPECT_GT(best["score"].get<double>(), 0.9);
  EXPECT_EQ(best["sequence"], "the cat sat on the mat");
  EXPECT_EQ(j["masks"][0]["candidates"].size(), 3u);
  EXPECT_EQ(j["masks"][0]["position"], 10);  // [CLS] is position 1
  EXPECT_EQ(j["filled"], "the cat sat on the mat");
  EXPECT_EQ(j["tokens"].front(), "[CLS]");
  // Two masks are each answered, and the filled text takes both best guesses.
  const auto two = run_dikkat("fill" + model() + " --text 'a d[MASK]g ran to a l[MASK]g'");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_NE(two.out.find("filled: a dog ran to a log"), std::string::npos) << two.out;
}

TEST_F(MaskedLmCommands, EvalBeatsTheUnigramBaselineAndProbsReadsTheMask) {
  const auto r = run_dikkat("eval" + model() + " --data " + file("text.txt") + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["masked"].get<int64_t>(), 0);
  EXPECT_GT(j["top1"].get<double>(), 0.8);
  EXPECT_GT(j["top1"].get<double>(), j["unigram_top1"].get<double>() + 0.3);
  EXPECT_LT(j["loss"].get<double>(), j["unigram_loss"].get<double>());
  // The same seed masks the same tokens: the same numbers.
  EXPECT_EQ(run_dikkat("eval" + model() + " --data " + file("text.txt") + " --json").out, r.out);
  const auto p = run_dikkat("probs" + model() + " --text 'a d[MASK]g' --top 1 --format json");
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(nlohmann::json::parse(p.out)["tokens"][0]["text"], "o");
}

TEST_F(MaskedLmCommands, BadInputGetsOneClearLine) {
  expect_one_line_error(run_dikkat("fill" + model() + " --text 'the cat sat'"),
                        "--text: no [MASK] to fill");
  expect_one_line_error(run_dikkat("fill --model " +
                                   shell_quote(testing::fixture_path("models/seed248")) +
                                   " --text 'a [MASK]'"),
                        "is not a masked language model");
  expect_one_line_error(run_dikkat("fill" + model() + " --text " +
                                   shell_quote(std::string(40, 'a') + "[MASK]")),
                        "exceed the model's context of 32");
  expect_one_line_error(run_dikkat("fill" + model() + " --text 'the [MASK]' --top 0"),
                        "--top must be at least 1");
  expect_one_line_error(run_dikkat("probs" + model() + " --text 'the cat'"), "--text: no [MASK]");
  expect_one_line_error(run_dikkat("generate" + model() + " --prompt 'the'"),
                        "does not continue text");
  // Weights of a step the run never kept (it kept 0 and the last, 400).
  expect_one_line_error(run_dikkat("attention" + model() + " --text 'the cat' --step 7"),
                        "--step 7: " + file("model") + " has no weights of that step (it has steps 0, 400");
  expect_one_line_error(run_dikkat("attention" + model() + " --text 'the cat' --steps all --token 1 "
                                   "--layer 1 --head 1 --step 0"),
                        "--step and --steps are separate views");
  // A tokenizer without [MASK] cannot train a masked language model.
  ASSERT_EQ(run_dikkat("tokenizer train --data " + file("text.txt") + " --vocab-size 260 --out " +
                       file("plain.json"))
                .exit_code,
            0);
  expect_one_line_error(run_dikkat("train --arch bert --preset bert-tiny --data " +
                                   file("text.txt") + " --tokenizer " + file("plain.json") +
                                   " --out " + file("no-mask") + " --steps 2 --quiet"),
                        "it has no [MASK]");
}

}  // namespace
}  // namespace dikkat
