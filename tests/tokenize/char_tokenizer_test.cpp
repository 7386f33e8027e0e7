#include "tokenize/char_tokenizer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "error.h"
#include "test_support.h"
#include "tokenize/utf8.h"
#include "train/dataset.h"

namespace dikkat {
namespace {

TEST(CharTokenizer, TurkishLettersAreSingleTokensAndRoundTrip) {
  const std::string text = "çğıİöşü ÇĞÖŞÜ ali ata bak.";
  const std::u32string cps = decode_utf8(text, "text");
  const CharTokenizer tok = CharTokenizer::from_text(cps);
  const std::vector<int32_t> ids = tok.encode(cps, "text");
  EXPECT_EQ(ids.size(), cps.size());
  EXPECT_EQ(ids.size(), 26u);  // 26 code points, though the UTF-8 holds more bytes
  EXPECT_EQ(tok.decode(ids), text);
}

TEST(CharTokenizer, VocabularyIsSortedDistinctCodePoints) {
  const CharTokenizer tok = CharTokenizer::from_text(U"baab c");
  EXPECT_EQ(tok.symbols(), U" abc");
}

TEST(CharTokenizer, UnseenPromptCharacterIsAnErrorNamingIt) {
  const CharTokenizer tok = CharTokenizer::from_text(U"abc");
  try {
    tok.encode(U"abş", "--prompt");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'ş' (U+015F)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--prompt"), std::string::npos) << e.what();
  }
}

TEST(CharTokenizer, SeedAlphabetHas32SymbolsAndFoldsEverythingIntoIt) {
  const CharTokenizer tok = CharTokenizer::seed_alphabet();
  EXPECT_EQ(tok.vocab_size(), 32);
  EXPECT_EQ(tok.decode(tok.encode(U"Ali ata bak. Şüphe\nç#", "t")), "ali ata bak. suphe c_");
}

TEST(CharTokenizer, JsonRoundTripKeepsVocabularyAndUnknown) {
  for (const CharTokenizer& tok :
       {CharTokenizer::from_text(U"İstanbul"), CharTokenizer::seed_alphabet()}) {
    const CharTokenizer back = CharTokenizer::from_json(tok.to_json(), "tok.json");
    EXPECT_EQ(back.symbols(), tok.symbols());
    EXPECT_EQ(back.has_unknown(), tok.has_unknown());
  }
}

TEST(CharTokenizer, MalformedJsonIsAnErrorNamingTheFile) {
  EXPECT_THROW(CharTokenizer::from_json(nlohmann::json::parse(R"({"type":"bpe"})"), "t.json"),
               Error);
  EXPECT_THROW(CharTokenizer::from_json(
                   nlohmann::json::parse(R"({"type":"char","symbols":["a","a"]})"), "t.json"),
               Error);
  EXPECT_THROW(CharTokenizer::from_json(
                   nlohmann::json::parse(R"({"type":"char","symbols":["ab"]})"), "t.json"),
               Error);
}

TEST(Utf8, InvalidBytesAreReportedWithTheirOffset) {
  const std::vector<std::pair<std::string, size_t>> cases = {
      {"ab\xff", 2},           // invalid lead byte
      {"a\xc3", 1},            // truncated two-byte sequence
      {"ab\xc3(x", 2},         // bad continuation byte
      {"\xc0\xaf", 0},         // overlong encoding of '/'
      {"x\xed\xa0\x80", 1},    // UTF-16 surrogate
      {"\xf4\x90\x80\x80", 0}  // above U+10FFFF
  };
  for (const auto& [bytes, offset] : cases) {
    try {
      decode_utf8(bytes, "corpus.txt");
      FAIL() << "accepted invalid UTF-8";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                "corpus.txt: invalid UTF-8 at byte offset " + std::to_string(offset));
    }
  }
}

TEST(CharTokenizer, TinyShakespeareHasNanoGptsVocabularyOf65) {
  const std::string path = testing::shared_data_path("tinyshakespeare.txt");
  if (path.empty()) GTEST_SKIP() << "../shared/data/tinyshakespeare.txt is not present";
  const std::u32string text = decode_utf8(read_training_text(path), path);
  const CharTokenizer tok = CharTokenizer::from_text(text);
  EXPECT_EQ(tok.vocab_size(), 65);
  EXPECT_EQ(tok.symbols().substr(0, 2), U"\n ");
  EXPECT_EQ(tok.encode(text, path).size(), 1115394u);
}

TEST(Utf8, EncodeDecodeRoundTripsAllPlanes) {
  const std::u32string cps = {U'a', U'ç', U'€', U'𝄞', U'\u00A0'};
  EXPECT_EQ(decode_utf8(encode_utf8(cps), "x"), cps);
}

// A masked language model's special tokens: ids after the symbols, read from their literal text
// only by encode_with_special, and kept by the JSON form.
TEST(CharTokenizer, SpecialTokensComeAfterTheSymbolsAndRoundTrip) {
  const CharTokenizer tok = CharTokenizer::from_text(U"ab[]", {"[MASK]", "[PAD]"});
  EXPECT_EQ(tok.vocab_size(), 6);
  EXPECT_EQ(tok.special_id("[MASK]"), 4);
  EXPECT_EQ(tok.special_id("[PAD]"), 5);
  EXPECT_FALSE(tok.special_id("[CLS]"));
  EXPECT_TRUE(tok.is_special(4) && !tok.is_special(3));
  EXPECT_EQ(tok.encode_with_special("a[MASK]b[PAD]", "t"), (std::vector<int32_t>{2, 4, 3, 5}));
  EXPECT_EQ(tok.decode_one(4), "[MASK]");
  EXPECT_EQ(tok.encode(U"[a]", "t"), (std::vector<int32_t>{0, 2, 1}));  // plain: characters
  const CharTokenizer back = CharTokenizer::from_json(tok.to_json(), "tok.json");
  EXPECT_EQ(back.vocab_size(), 6);
  EXPECT_EQ(back.special_id("[PAD]"), 5);
  EXPECT_THROW(CharTokenizer::from_text(U"ab", {"[MASK]", "[MASK]"}), Error);
  nlohmann::json bad = tok.to_json();
  bad["special_tokens"] = {"[MASK]", ""};
  EXPECT_THROW(CharTokenizer::from_json(bad, "tok.json"), Error);
}

}  // namespace
}  // namespace dikkat
