#include "tokenize/bpe_tiktoken_file.h"

#include <gtest/gtest.h>

#include "error.h"
#include "test_support.h"

namespace dikkat {
namespace {

std::string base64(std::string_view bytes) {
  static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t group = uint32_t(uint8_t(bytes[i])) << 16;
    if (i + 1 < bytes.size()) group |= uint32_t(uint8_t(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) group |= uint8_t(bytes[i + 2]);
    out += digits[(group >> 18) & 63];
    out += digits[(group >> 12) & 63];
    out += i + 1 < bytes.size() ? digits[(group >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? digits[group & 63] : '=';
  }
  return out;
}

// The 256 bytes (ranks 0..255), then "ab" (256) and "abc" (257).
std::string small_rank_file() {
  std::string text;
  for (int b = 0; b < 256; ++b)
    text += base64(std::string(1, char(b))) + " " + std::to_string(b) + "\n";
  return text + base64("ab") + " 256\n" + base64("abc") + " 257\n";
}

std::string error_of(std::string_view text) {
  try {
    parse_tiktoken_ranks(text, "ranks.tiktoken");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(BpeTiktokenFile, RanksBecomeIdsAndMerges) {
  const BpeTokenizer tok = parse_tiktoken_ranks(small_rank_file(), "ranks.tiktoken");
  EXPECT_EQ(tok.vocab_size(), 259);
  EXPECT_EQ(tok.special_id("<|endoftext|>"), 258);
  ASSERT_EQ(tok.merges().size(), 2u);
  EXPECT_EQ(tok.merges()[1].left, 256);
  EXPECT_EQ(tok.merges()[1].right, 'c');
  EXPECT_EQ(tok.encode("abcab ab"), (std::vector<int32_t>{257, 256, ' ', 256}));
}

TEST(BpeTiktokenFile, BlankLinesAndCrLfAreAccepted) {
  std::string text = small_rank_file();
  std::string crlf;
  for (const char c : text) crlf += c == '\n' ? std::string("\r\n\n") : std::string(1, c);
  EXPECT_EQ(parse_tiktoken_ranks(crlf, "r").vocab_size(), 259);
}

TEST(BpeTiktokenFile, MalformedLinesNameTheFileAndLine) {
  const std::string good = small_rank_file();  // lines 1..258
  const auto with_line = [&](const std::string& line) { return good + line + "\n"; };
  EXPECT_NE(error_of(with_line("YWJj")).find("ranks.tiktoken:259: expected"), std::string::npos);
  EXPECT_NE(error_of(with_line("YWJj 258 7")).find("ranks.tiktoken:259: expected"),
            std::string::npos);
  EXPECT_NE(error_of(with_line("YW*j 258")).find("ranks.tiktoken:259: \"YW*j\" is not base64"),
            std::string::npos);
  EXPECT_NE(error_of(with_line("YWJ 258")).find("ranks.tiktoken:259: \"YWJ\" is not base64"),
            std::string::npos);
  EXPECT_NE(error_of(with_line("YWJk x1")).find("ranks.tiktoken:259: rank \"x1\""),
            std::string::npos);
  EXPECT_NE(error_of(with_line("YWJk 99999999999")).find("ranks.tiktoken:259: rank"),
            std::string::npos);
  EXPECT_NE(error_of(with_line("YWJk 3")).find("ranks.tiktoken:259: rank 3 is also on line 4"),
            std::string::npos);
  EXPECT_NE(error_of(with_line("YWJk 260")).find("ranks.tiktoken: no line has rank 258"),
            std::string::npos);
  EXPECT_NE(error_of(with_line(base64("ab") + " 258"))
                .find("ranks.tiktoken:259: token \"YWI=\" is also on line 257"),
            std::string::npos);
  // "xyz" cannot be built from two lower-ranked tokens ("xy", "yz" are not tokens).
  EXPECT_NE(error_of(with_line(base64("xyz") + " 258"))
                .find("ranks.tiktoken:259: token \"eHl6\" (rank 258) is not two tokens"),
            std::string::npos);
  EXPECT_NE(error_of("").find("ranks.tiktoken: no ranks"), std::string::npos);
  // Without the byte 'q' (113): ranks renumbered so only the byte is missing.
  std::string no_q;
  for (int b = 0, rank = 0; b < 256; ++b)
    if (b != 'q') no_q += base64(std::string(1, char(b))) + " " + std::to_string(rank++) + "\n";
  EXPECT_NE(error_of(no_q).find("no line has the single byte 113"), std::string::npos);
}

TEST(BpeTiktokenFile, Gpt2FileLoads) {
  const std::string path = testing::shared_data_path("gpt2.tiktoken");
  if (path.empty()) GTEST_SKIP() << "../shared/data/gpt2.tiktoken is absent";
  const BpeTokenizer gpt2 = BpeTokenizer::load(path);  // load() picks the format by name
  EXPECT_EQ(gpt2.vocab_size(), 50257);
  EXPECT_EQ(gpt2.merges().size(), 50000u);
  EXPECT_EQ(gpt2.special_id("<|endoftext|>"), 50256);
}

}  // namespace
}  // namespace dikkat
