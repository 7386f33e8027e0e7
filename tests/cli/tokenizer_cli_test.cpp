// dikkat tokenizer train|encode|decode as a user runs them.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "io/file_io.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::expect_one_line_error;
using testing::run_dikkat;
using testing::shell_quote;

std::string corpus() { return std::string(DIKKAT_SOURCE_DIR) + "/data/demo/turkce.txt"; }

// run_dikkat with stdin from a file (run_dikkat itself reads /dev/null).
testing::CommandResult run_with_stdin(const std::string& args, const std::string& input_path) {
  testing::TempDir tmp;
  const std::string out = tmp.file("stdout"), err = tmp.file("stderr");
  const std::string cmd = std::string(DIKKAT_BINARY) + " " + args + " <" + shell_quote(input_path) +
                          " >" + out + " 2>" + err;
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128, read_file(out), read_file(err)};
}

class TokenizerCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const auto r =
        run_dikkat("tokenizer train --data " + shell_quote(corpus()) +
                   " --vocab-size 600 --special '<|endoftext|>' --out " + shell_quote(tok()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_NE(r.out.find("trained 600 tokens"), std::string::npos) << r.out;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string tok() { return dir_->file("tok.json"); }
  static testing::TempDir* dir_;
};
testing::TempDir* TokenizerCli::dir_ = nullptr;

TEST_F(TokenizerCli, TrainingTwiceWritesTheSameFile) {
  const auto r = run_dikkat("tokenizer train --quiet --data " + shell_quote(corpus()) +
                            " --vocab-size 600 --special '<|endoftext|>' --out " +
                            shell_quote(dir_->file("again.json")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(read_file(dir_->file("again.json")), read_file(tok()));
}

TEST_F(TokenizerCli, EncodeThenDecodeGivesTheTextBack) {
  const std::string text = "Ağaçlar ılık rüzgârda; it's 2024!\n  İyi<|endoftext|>";
  const auto enc = run_dikkat("tokenizer encode --tokenizer " + shell_quote(tok()) + " --text " +
                              shell_quote(text));
  ASSERT_EQ(enc.exit_code, 0) << enc.err;
  const auto dec = run_dikkat("tokenizer decode --tokenizer " + shell_quote(tok()) + " --ids " +
                              shell_quote(enc.out));
  ASSERT_EQ(dec.exit_code, 0) << dec.err;
  EXPECT_EQ(dec.out, text);

  const auto json = run_dikkat("tokenizer encode --format json --allow-special --tokenizer " +
                               shell_quote(tok()) + " --text " + shell_quote(text));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out.front(), '[');
  EXPECT_NE(json.out.find(",599]"), std::string::npos) << json.out;  // <|endoftext|> is last
  const auto back = run_dikkat("tokenizer decode --tokenizer " + shell_quote(tok()) + " --ids " +
                               shell_quote(json.out));
  EXPECT_EQ(back.out, text);
}

TEST_F(TokenizerCli, StdinRoundTripOfInvalidUtf8) {
  const std::string bytes = std::string("ab\xff\xfe\x00 c\xc3\n\n", 11) + std::string(3000, 'x');
  testing::write_text(dir_->file("bytes.bin"), bytes);
  const auto enc =
      run_with_stdin("tokenizer encode --tokenizer " + shell_quote(tok()), dir_->file("bytes.bin"));
  ASSERT_EQ(enc.exit_code, 0) << enc.err;
  testing::write_text(dir_->file("ids.txt"), enc.out);
  const auto dec =
      run_with_stdin("tokenizer decode --tokenizer " + shell_quote(tok()), dir_->file("ids.txt"));
  ASSERT_EQ(dec.exit_code, 0) << dec.err;
  EXPECT_EQ(dec.out, bytes);
}

TEST_F(TokenizerCli, Gpt2StdinMatchesTheReferenceIds) {
  const std::string ranks = testing::shared_data_path("gpt2.tiktoken");
  const std::string text = testing::shared_data_path("tinyshakespeare.txt");
  const std::string ids = testing::shared_data_path("tinyshakespeare.gpt2.ids");
  if (ranks.empty() || text.empty() || ids.empty()) GTEST_SKIP() << "../shared/data is absent";
  // Tiny Shakespeare is larger than one stdin block, so this also encodes across blocks.
  const auto r = run_with_stdin("tokenizer encode --tokenizer " + shell_quote(ranks), text);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string want = read_file(ids);
  for (char& c : want)
    if (c == '\n') c = ' ';
  want.back() = '\n';
  EXPECT_TRUE(r.out == want) << "the ids differ from tinyshakespeare.gpt2.ids";
}

TEST_F(TokenizerCli, TimeReportsMegabytesPerSecond) {
  const auto r = run_dikkat("tokenizer encode --time --repeat 3 --tokenizer " + shell_quote(tok()) +
                            " --text " + shell_quote("bir iki üç"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("MB/s"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("median of 3"), std::string::npos) << r.err;
}

TEST_F(TokenizerCli, EveryCommandHasHelp) {
  for (const std::string cmd :
       {"tokenizer", "tokenizer train", "tokenizer encode", "tokenizer decode"}) {
    const auto r = run_dikkat(cmd + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("--"), std::string::npos) << cmd;
  }
}

TEST_F(TokenizerCli, VocabSizeBelow256IsAnError) {
  expect_one_line_error(run_dikkat("tokenizer train --data " + shell_quote(corpus()) +
                                   " --vocab-size 200 --out " + dir_->file("x.json")),
                        "--vocab-size 200: must be at least 256");
}

TEST_F(TokenizerCli, EmptyCorpusIsAnErrorNamingTheFile) {
  testing::write_text(dir_->file("empty.txt"), "");
  expect_one_line_error(
      run_dikkat("tokenizer train --data " + shell_quote(corpus()) + " " + dir_->file("empty.txt") +
                 " --vocab-size 300 --out " + dir_->file("x.json")),
      "empty.txt: file is empty");
}

TEST_F(TokenizerCli, MalformedTokenizerFilesNameTheFileAndLine) {
  testing::write_text(dir_->file("bad.json"), "{\"model\": {\"type\": \"BPE\",}}");
  expect_one_line_error(
      run_dikkat("tokenizer encode --text hi --tokenizer " + dir_->file("bad.json")),
      "bad.json:1:26: not valid JSON");
  testing::write_text(dir_->file("bad.tiktoken"), "IQ== 0\nIg==\n");
  expect_one_line_error(
      run_dikkat("tokenizer encode --text hi --tokenizer " + dir_->file("bad.tiktoken")),
      "bad.tiktoken:2: expected \"<base64 token bytes> <rank>\"");
  expect_one_line_error(
      run_dikkat("tokenizer encode --text hi --tokenizer " + dir_->file("missing.json")),
      "missing.json: cannot open");
}

TEST_F(TokenizerCli, BadIdsNameTheLine) {
  testing::write_text(dir_->file("bad-ids.txt"), "1 2 3\n4 five 6\n");
  expect_one_line_error(run_with_stdin("tokenizer decode --tokenizer " + shell_quote(tok()),
                                       dir_->file("bad-ids.txt")),
                        "stdin: line 2: \"five\" is not a token id");
  expect_one_line_error(
      run_dikkat("tokenizer decode --tokenizer " + shell_quote(tok()) + " --ids '1 600'"),
      "--ids: token id 600 is outside the vocabulary");
}

}  // namespace
}  // namespace dikkat
