#include "tokenize/bpe_tokenizer.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <sstream>

#include "error.h"
#include "io/file_io.h"
#include "test_support.h"
#include "tokenize/gpt2_pretokenizer.h"

namespace dikkat {
namespace {

// GPT-2's tokenizer from ../shared/data, loaded once; null when the shared data is absent.
const BpeTokenizer* gpt2() {
  static const std::unique_ptr<BpeTokenizer> tok = [] {
    const std::string path = testing::shared_data_path("gpt2.tiktoken");
    return path.empty() ? nullptr
                        : std::make_unique<BpeTokenizer>(BpeTokenizer::from_tiktoken_file(path));
  }();
  return tok.get();
}

#define REQUIRE_GPT2() \
  if (gpt2() == nullptr) GTEST_SKIP() << "../shared/data/gpt2.tiktoken is absent"

std::vector<int32_t> reference_ids(const std::string& path) {
  std::istringstream in(read_file(path));
  std::vector<int32_t> ids;
  for (int32_t id; in >> id;) ids.push_back(id);
  return ids;
}

void expect_gpt2_reference(const std::string& name) {
  const std::string text_path = testing::shared_data_path(name + ".txt");
  const std::string ids_path = testing::shared_data_path(name + ".gpt2.ids");
  if (gpt2() == nullptr || text_path.empty() || ids_path.empty())
    GTEST_SKIP() << "../shared/data (" << name << ", gpt2.tiktoken) is absent";
  const std::string text = read_file(text_path);
  const std::vector<int32_t> want = reference_ids(ids_path);
  const std::vector<int32_t> got = gpt2()->encode(text);
  ASSERT_EQ(got.size(), want.size());
  size_t mismatches = 0, first = got.size();
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i] != want[i]) ++mismatches, first = std::min(first, i);
  EXPECT_EQ(mismatches, 0u) << "first mismatch at token " << first;
  EXPECT_EQ(gpt2()->decode(got), text);
}

TEST(BpeTokenizer, Gpt2IdsMatchTiktokenOnTinyShakespeare) {
  expect_gpt2_reference("tinyshakespeare");
}

TEST(BpeTokenizer, Gpt2IdsMatchTiktokenOnTurkish) { expect_gpt2_reference("turkish-200k"); }

TEST(BpeTokenizer, Gpt2KnownIdsAndEndOfText) {
  REQUIRE_GPT2();
  EXPECT_EQ(gpt2()->vocab_size(), 50257);
  EXPECT_EQ(gpt2()->special_id("<|endoftext|>"), 50256);
  EXPECT_EQ(gpt2()->special_id("<|fim|>"), std::nullopt);
  EXPECT_TRUE(gpt2()->is_special(50256));
  EXPECT_FALSE(gpt2()->is_special(50255));
  EXPECT_EQ(gpt2()->encode("Hello world"), (std::vector<int32_t>{15496, 995}));
  EXPECT_EQ(gpt2()->encode("First Citizen:\n"), (std::vector<int32_t>{5962, 22307, 25, 198}));
  EXPECT_EQ(gpt2()->token_bytes(50256), "<|endoftext|>");
  EXPECT_EQ(gpt2()->token_bytes(262), " the");
}

TEST(BpeTokenizer, SpecialTokensOnlyWithEncodeWithSpecial) {
  REQUIRE_GPT2();
  const std::string text = "a<|endoftext|>b<|endoftext|>";
  const std::vector<int32_t> ordinary = gpt2()->encode(text);
  EXPECT_EQ(std::count(ordinary.begin(), ordinary.end(), 50256), 0);
  const std::vector<int32_t> special = gpt2()->encode_with_special(text);
  EXPECT_EQ(special, (std::vector<int32_t>{64, 50256, 65, 50256}));
  EXPECT_EQ(gpt2()->decode(special), text);
  EXPECT_EQ(gpt2()->decode(ordinary), text);
  EXPECT_EQ(gpt2()->encode_with_special("no specials here"), gpt2()->encode("no specials here"));
}

// Random byte strings: uniform bytes, and text-like mixes with invalid UTF-8 in them.
std::vector<std::string> random_strings(uint32_t seed, int count) {
  std::mt19937 rng(seed);
  static const std::string pieces[] = {"the", " ",  "  ",   "\n",           "'s",   "ş",
                                       "İ",   "ğı", "\xff", "\xc3",         "\x80", "😀",
                                       "12",  "!?", "\t",   "<|endoftext|>"};
  std::vector<std::string> out = {"", " ", "\n\n\n", std::string(1, '\0'), std::string(3000, ' ')};
  std::string all;
  for (int b = 0; b < 256; ++b) all += char(b);
  out.push_back(all);
  for (int i = 0; i < count; ++i) {
    std::string s;
    const size_t n = rng() % 200;
    if (i % 2 == 0) {
      for (size_t k = 0; k < n; ++k) s += char(rng());
    } else {
      while (s.size() < n) s += pieces[rng() % std::size(pieces)];
    }
    out.push_back(s);
  }
  return out;
}

TEST(BpeTokenizer, Gpt2RoundTripsRandomBytes) {
  REQUIRE_GPT2();
  for (const std::string& s : random_strings(1, 500)) {
    ASSERT_EQ(gpt2()->decode(gpt2()->encode(s)), s);
    ASSERT_EQ(gpt2()->decode(gpt2()->encode_with_special(s)), s);
  }
}

TEST(BpeTokenizer, TrainedTokenizerRoundTripsRandomBytes) {
  const BpeTokenizer tok =
      BpeTokenizer::train({"the cat sat on the mat; ağaç ağaçlar ağaçlık\n", std::string(500, 'a')},
                          300, {"<|endoftext|>"});
  for (const std::string& s : random_strings(2, 500)) {
    ASSERT_EQ(tok.decode(tok.encode(s)), s);
    ASSERT_EQ(tok.decode(tok.encode_with_special(s)), s);
  }
}

TEST(BpeTokenizer, EncodingInStreamPiecesGivesTheSameIds) {
  REQUIRE_GPT2();
  const std::string path = testing::shared_data_path("turkish-200k.txt");
  if (path.empty()) GTEST_SKIP() << "../shared/data/turkish-200k.txt is absent";
  const std::string text = read_file(path);
  std::vector<int32_t> streamed;
  std::string_view rest = text;
  for (size_t block = 777; !rest.empty();) {  // odd block size: cuts land anywhere
    const std::string_view window = rest.substr(0, std::min(rest.size(), block));
    const size_t cut = window.size() == rest.size() ? rest.size() : gpt2_stream_cut(window);
    if (cut == 0) {
      block *= 2;
      continue;
    }
    gpt2()->encode_to(rest.substr(0, cut), streamed);
    rest.remove_prefix(cut);
  }
  EXPECT_EQ(streamed, gpt2()->encode(text));
}

TEST(BpeTokenizer, DecodingAnUnknownIdIsAnError) {
  REQUIRE_GPT2();
  const std::vector<int32_t> bad = {15496, 50257};
  EXPECT_THROW(gpt2()->decode(bad), Error);
  EXPECT_THROW(gpt2()->token_bytes(-1), Error);
}

TEST(BpeTokenizer, PartsMustFormAByteLevelVocabulary) {
  std::vector<std::string> bytes;
  for (int b = 0; b < 256; ++b) bytes.emplace_back(1, char(b));
  const auto expect_error = [](std::vector<std::string> tokens, std::vector<BpeMerge> merges,
                               const std::string& needle) {
    try {
      BpeTokenizer(std::move(tokens), std::move(merges), {}, "parts");
      FAIL() << "accepted: " << needle;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  std::vector<std::string> missing(bytes.begin(), bytes.end() - 1);
  expect_error(missing, {}, "no token for the byte");
  std::vector<std::string> twice = bytes;
  twice.push_back("a");
  expect_error(twice, {}, "are both");
  std::vector<std::string> ab = bytes;
  ab.push_back("ab");
  expect_error(ab, {{'a', 'c', 256}}, "is not");
  expect_error(ab, {{'a', 'b', 256}, {'a', 'b', 256}}, "the same pair as merge 0");
  const BpeTokenizer ok(ab, {{'a', 'b', 256}}, {}, "parts");
  EXPECT_EQ(ok.encode("abab"), (std::vector<int32_t>{256, 256}));
}

}  // namespace
}  // namespace dikkat
