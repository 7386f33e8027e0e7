#include "tokenize/gpt2_pretokenizer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "io/file_io.h"
#include "test_support.h"

namespace dikkat {
namespace {

std::vector<std::string> chunks(std::string_view text) {
  std::vector<std::string> out;
  for_each_gpt2_chunk(text, [&](std::string_view c) { out.emplace_back(c); });
  return out;
}

using Chunks = std::vector<std::string>;

TEST(Gpt2Pretokenizer, WordsTakeTheSpaceBeforeThem) {
  EXPECT_EQ(chunks("Hello world, how are you?"),
            (Chunks{"Hello", " world", ",", " how", " are", " you", "?"}));
  EXPECT_EQ(chunks("in 1984 and 2024."), (Chunks{"in", " 1984", " and", " 2024", "."}));
  EXPECT_EQ(chunks("a+b == c!!"), (Chunks{"a", "+", "b", " ==", " c", "!!"}));
}

TEST(Gpt2Pretokenizer, ContractionsSplitOffEvenInsideSymbols) {
  EXPECT_EQ(chunks("it's I'll we've they're I'm he'd don't"),
            (Chunks{"it", "'s", " I", "'ll", " we", "'ve", " they", "'re", " I", "'m", " he", "'d",
                    " don", "'t"}));
  EXPECT_EQ(chunks("'sam"), (Chunks{"'s", "am"}));      // the regex takes 's first
  EXPECT_EQ(chunks("''s"), (Chunks{"''", "s"}));        // a symbol run swallows the quote
  EXPECT_EQ(chunks("IT'S"), (Chunks{"IT", "'", "S"}));  // upper case is not a contraction
  EXPECT_EQ(chunks(" 's"), (Chunks{" '", "s"}));
}

TEST(Gpt2Pretokenizer, TurkishWordsStayWhole) {
  EXPECT_EQ(chunks("çğıİöşü ÇĞÖŞÜ Ağaç ılık"), (Chunks{"çğıİöşü", " ÇĞÖŞÜ", " Ağaç", " ılık"}));
  EXPECT_EQ(chunks("İstanbul'da"), (Chunks{"İstanbul", "'d", "a"}));  // as GPT-2 does
}

TEST(Gpt2Pretokenizer, UnicodeLettersNumbersAndSpaces) {
  // ² and ½ are No, ٣ is Nd: numbers. 漢 is Lo. U+00A0 and U+3000 are White_Space, and only an
  // ASCII space joins the word after it.
  EXPECT_EQ(chunks("x² ½ ٣٤ 漢字"), (Chunks{"x", "²", " ½", " ٣٤", " 漢字"}));
  EXPECT_EQ(chunks("a\u00a0b"), (Chunks{"a", "\u00a0", "b"}));
  EXPECT_EQ(chunks("a\u3000\u3000b"), (Chunks{"a", "\u3000", "\u3000", "b"}));
  EXPECT_EQ(chunks("a\xc2\x85z"), (Chunks{"a", "\xc2\x85", "z"}));  // U+0085 is White_Space
  EXPECT_EQ(chunks("a\x1f b"), (Chunks{"a", "\x1f", " b"}));        // U+001F is not
  EXPECT_EQ(chunks("e\u0301!"), (Chunks{"e", "\u0301!"}));  // a combining mark (Mn) is "other"
}

TEST(Gpt2Pretokenizer, WhitespaceRunsLeaveTheirLastCharacterToTheNextWord) {
  EXPECT_EQ(chunks("a  b"), (Chunks{"a", " ", " b"}));
  EXPECT_EQ(chunks("a   b"), (Chunks{"a", "  ", " b"}));
  EXPECT_EQ(chunks("a\n\nb"), (Chunks{"a", "\n", "\n", "b"}));
  EXPECT_EQ(chunks("a \n b"), (Chunks{"a", " \n", " b"}));
  EXPECT_EQ(chunks("a\tb"), (Chunks{"a", "\t", "b"}));
  EXPECT_EQ(chunks("end  \n\n"), (Chunks{"end", "  \n\n"}));  // up to the end: one chunk
  EXPECT_EQ(chunks(" "), (Chunks{" "}));
}

TEST(Gpt2Pretokenizer, InvalidUtf8BytesAreSymbols) {
  EXPECT_EQ(chunks("a\xff\xfe b"), (Chunks{"a", "\xff\xfe", " b"}));
  EXPECT_EQ(chunks(" \xff!"), (Chunks{" \xff!"}));
  // A truncated 3-byte sequence, an overlong '/', a surrogate: each byte on its own.
  EXPECT_EQ(chunks("x\xe4\xb8y"), (Chunks{"x", "\xe4\xb8", "y"}));
  EXPECT_EQ(chunks("\xc0\xaf"), (Chunks{"\xc0\xaf"}));
  EXPECT_EQ(chunks("\xed\xa0\x80z"), (Chunks{"\xed\xa0\x80", "z"}));
  EXPECT_EQ(classify_char("\xf4\x90\x80\x80", 0).length, 1);  // above U+10FFFF
  EXPECT_EQ(classify_char("\xf0\x9f\x98\x80", 0).length, 4);  // U+1F600 is fine
}

std::string random_bytes(std::mt19937& rng, size_t n) {
  // Mostly text-like bytes, with spaces, newlines, apostrophes and stray high bytes.
  static const std::string pieces[] = {"a", "Z",    "7",    " ",    "\n", "'",      "s", "!", "ş",
                                       "İ", "\xff", "\xe4", "\x80", "\t", "\u3000", "½", "  "};
  std::string s;
  while (s.size() < n) s += pieces[rng() % std::size(pieces)];
  return s;
}

TEST(Gpt2Pretokenizer, ChunksConcatenateToTheInput) {
  std::mt19937 rng(7);
  for (int t = 0; t < 200; ++t) {
    std::string s;
    const size_t n = rng() % 64;
    for (size_t i = 0; i < n; ++i) s += char(rng());
    const std::string mixed = random_bytes(rng, rng() % 64);
    for (const std::string& text : {s, mixed}) {
      std::string joined;
      for (const std::string& c : chunks(text)) {
        EXPECT_FALSE(c.empty());
        joined += c;
      }
      EXPECT_EQ(joined, text);
    }
  }
}

TEST(Gpt2Pretokenizer, StreamCutsSplitLikeTheWholeText) {
  std::mt19937 rng(11);
  for (int t = 0; t < 300; ++t) {
    std::string text = random_bytes(rng, 40 + rng() % 80);
    for (int k = 0; k < 3; ++k) text.insert(rng() % text.size(), "x\ny");
    const Chunks whole = chunks(text);
    for (size_t prefix = 1; prefix <= text.size(); ++prefix) {
      const size_t cut = gpt2_stream_cut(std::string_view(text).substr(0, prefix));
      if (cut == 0) continue;
      ASSERT_LT(cut, prefix);
      Chunks pieces = chunks(std::string_view(text).substr(0, cut));
      for (const std::string& c : chunks(std::string_view(text).substr(cut))) pieces.push_back(c);
      ASSERT_EQ(pieces, whole) << "cut at " << cut;
    }
  }
}

TEST(Gpt2Pretokenizer, TinyShakespeareChunkCount) {
  const std::string path = testing::shared_data_path("tinyshakespeare.txt");
  if (path.empty()) GTEST_SKIP() << "../shared/data/tinyshakespeare.txt is absent";
  const std::string text = read_file(path);
  size_t n = 0, bytes = 0;
  for_each_gpt2_chunk(text, [&](std::string_view c) { ++n, bytes += c.size(); });
  EXPECT_EQ(bytes, text.size());
  EXPECT_GT(n, 250000u);  // GPT-2 gives 338,025 tokens; most chunks are one token
  EXPECT_LT(n, 338025u);
}

}  // namespace
}  // namespace dikkat
