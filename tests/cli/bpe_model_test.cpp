// A GPT on byte-level BPE tokens through every command: train learns the tokenizer (or takes a
// saved one), the checkpoint carries it, and generate, eval and the look-inside commands read it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "io/file_io.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::run_dikkat;
using testing::shell_quote;

const std::string kTiny =
    " --n-layer 1 --n-head 2 --n-embd 16 --context 16 --batch-size 4 --steps 20 --eval-every 0"
    " --eval-batches 1 --sample-tokens 0 --threads 1 --quiet";

std::string corpus() {
  return shell_quote(std::string(DIKKAT_SOURCE_DIR) + "/data/demo/turkce.txt");
}

class BpeModel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const auto r = run_dikkat("train --data " + corpus() + " --tokenizer bpe:400 --out " +
                              shell_quote(model()) + kTiny);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string model() { return dir_->file("bpe"); }
  static testing::TempDir* dir_;
};
testing::TempDir* BpeModel::dir_ = nullptr;

TEST_F(BpeModel, CheckpointCarriesAHuggingFaceTokenizerOfTheAskedSize) {
  const auto tok = nlohmann::json::parse(read_file(model() + "/tokenizer.json"));
  EXPECT_EQ(tok["model"]["type"], "BPE");
  EXPECT_EQ(tok["model"]["vocab"].size(), 400u);
  const auto info = run_dikkat("info --model " + shell_quote(model()) + " --json");
  EXPECT_EQ(nlohmann::json::parse(info.out)["model"]["vocab_size"], 400);
}

TEST_F(BpeModel, GenerateEvalAndLookInsideWorkOnSubwords) {
  const std::string m = " --model " + shell_quote(model());
  const auto gen = run_dikkat("generate" + m + " --prompt 'Ali ata' --tokens 10");
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  EXPECT_EQ(gen.out.rfind("Ali ata", 0), 0u);
  const auto ev = run_dikkat("eval" + m + " --data " + corpus() + " --json");
  ASSERT_EQ(ev.exit_code, 0) << ev.err;
  const auto j = nlohmann::json::parse(ev.out);
  EXPECT_EQ(j["tokenizer"], "bpe");
  // Subword tokens hold several bytes each, so bits per byte < bits per token.
  EXPECT_LT(j["bits_per_byte"].get<double>(), j["bits_per_token"].get<double>());
  const auto att = run_dikkat("attention" + m + " --text 'Ali ata bak.' --words --format json");
  ASSERT_EQ(att.exit_code, 0) << att.err;
  EXPECT_EQ(nlohmann::json::parse(att.out)["labels"],
            (std::vector<std::string>{"Ali", "␣ata", "␣bak."}));
  for (const char* cmd : {"trace", "probs"})
    EXPECT_EQ(run_dikkat(std::string(cmd) + m + " --text 'Ali ata'").exit_code, 0) << cmd;
}

TEST_F(BpeModel, TrainTakesASavedTokenizerFile) {
  const std::string tok = dir_->file("tok.json");
  ASSERT_EQ(run_dikkat("tokenizer train --data " + corpus() + " --vocab-size 300 --out " +
                       shell_quote(tok))
                .exit_code,
            0);
  const auto r = run_dikkat("train --data " + corpus() + " --tokenizer " + shell_quote(tok) +
                            " --out " + shell_quote(dir_->file("m2")) + kTiny);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(read_file(dir_->file("m2") + "/tokenizer.json")),
            nlohmann::json::parse(read_file(tok)));
}

TEST_F(BpeModel, BadTokenizerChoicesAreNamed) {
  auto r = run_dikkat("train --data " + corpus() + " --tokenizer bpe:100 --out " +
                      shell_quote(dir_->file("x")) + kTiny);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("bpe:N needs a vocabulary size N of at least 256"), std::string::npos)
      << r.err;
  r = run_dikkat("train --data " + corpus() + " --tokenizer /nonexistent/tok.json --out " +
                 shell_quote(dir_->file("y")) + kTiny);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("/nonexistent/tok.json"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace dikkat
