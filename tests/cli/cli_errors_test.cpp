// Bad input gets one clear line on stderr naming the file or flag, and a non-zero exit.
#include <gtest/gtest.h>

#include <fstream>

#include "test_support.h"

namespace dikkat {
namespace {

using testing::expect_one_line_error;
using testing::run_dikkat;
using testing::shell_quote;

const std::string kTiny =
    " --n-layer 1 --n-head 2 --n-embd 8 --context 8 --batch-size 2 --eval-every 0"
    " --eval-batches 1 --sample-tokens 0 --threads 1 --quiet";

std::string corpus() { return std::string(DIKKAT_SOURCE_DIR) + "/data/demo/turkce.txt"; }

class CliErrors : public ::testing::Test {
 protected:
  // A small trained model shared by the tests that need one.
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const auto r = run_dikkat("train --data " + shell_quote(corpus()) + " --out " +
                              shell_quote(dir_->file("m")) + " --steps 2" + kTiny);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string model() { return dir_->file("m"); }
  static testing::TempDir* dir_;
};
testing::TempDir* CliErrors::dir_ = nullptr;

TEST_F(CliErrors, MissingDataFile) {
  expect_one_line_error(
      run_dikkat("train --data /nonexistent/x.txt --out " + dir_->file("a") + kTiny),
      "/nonexistent/x.txt: cannot open");
}

TEST_F(CliErrors, EmptyDataFile) {
  testing::write_text(dir_->file("empty.txt"), "");
  expect_one_line_error(
      run_dikkat("train --data " + dir_->file("empty.txt") + " --out " + dir_->file("b") + kTiny),
      "empty.txt: file is empty");
}

TEST_F(CliErrors, InvalidUtf8NamesTheByteOffset) {
  testing::write_text(dir_->file("bad.txt"),
                      std::string(100, 'a') + "\xff" + std::string(100, 'b'));
  expect_one_line_error(
      run_dikkat("train --data " + dir_->file("bad.txt") + " --out " + dir_->file("c") + kTiny),
      "bad.txt: invalid UTF-8 at byte offset 100");
}

TEST_F(CliErrors, UnknownPreset) {
  expect_one_line_error(run_dikkat("info --preset gpt5"), "unknown preset 'gpt5' (choose from:");
}

TEST_F(CliErrors, EmbeddingNotDivisibleByHeads) {
  expect_one_line_error(run_dikkat("train --data " + shell_quote(corpus()) + " --out " +
                                   dir_->file("d") + kTiny + " --n-embd 10 --n-head 3"),
                        "n_embd (10) must be divisible by n_head (3)");
}

TEST_F(CliErrors, PromptWithUnseenCharacter) {
  expect_one_line_error(run_dikkat("generate --model " + model() + " --prompt 'Ali 漢'"),
                        "--prompt: character '漢' (U+6F22) at position 4 is not in the model's "
                        "vocabulary");
}

TEST_F(CliErrors, TruncatedCheckpoint) {
  const std::string copy = dir_->file("trunc");
  std::filesystem::copy(model(), copy);
  std::filesystem::resize_file(copy + "/model.safetensors", 1000);
  const auto r = run_dikkat("generate --model " + copy + " --prompt Ali");
  expect_one_line_error(r, "model.safetensors:");
}

TEST_F(CliErrors, CorruptedCheckpointHeader) {
  const std::string copy = dir_->file("corrupt");
  std::filesystem::copy(model(), copy);
  {
    std::fstream f(copy + "/model.safetensors", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(20);
    f.write("\x01\x02garbage", 9);
  }
  expect_one_line_error(run_dikkat("generate --model " + copy + " --prompt Ali"),
                        "model.safetensors: header is not valid JSON");
}

TEST_F(CliErrors, NotAModelDirectory) {
  expect_one_line_error(run_dikkat("generate --model " + dir_->file("nothing") + " --prompt a"),
                        "not a dikkat model directory");
}

TEST_F(CliErrors, OutputDirectoryAlreadyHoldingAModel) {
  expect_one_line_error(
      run_dikkat("train --data " + shell_quote(corpus()) + " --out " + model() + kTiny),
      "already holds a model");
}

TEST_F(CliErrors, UnknownFlagIsAUsageError) {
  const auto r = run_dikkat("train --frobnicate");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos);
}

TEST_F(CliErrors, GenerateAndEvalAndInfoWorkOnTheModel) {
  const auto gen = run_dikkat("generate --model " + model() + " --prompt 'Ali ' --tokens 20");
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  EXPECT_EQ(gen.out.rfind("Ali ", 0), 0u);
  const auto ev = run_dikkat("eval --json --model " + model() + " --data " + shell_quote(corpus()));
  ASSERT_EQ(ev.exit_code, 0) << ev.err;
  EXPECT_NE(ev.out.find("\"bits_per_byte\""), std::string::npos);
  const auto info = run_dikkat("info --model " + model());
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("total"), std::string::npos);
}

TEST(CliInfo, Seed248PresetHas248Parameters) {
  const auto r = run_dikkat("info --preset seed248");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\ntotal"), std::string::npos);
  const std::string last = r.out.substr(r.out.rfind("total"));
  EXPECT_NE(last.find(" 248"), std::string::npos) << last;
}

}  // namespace
}  // namespace dikkat
