// Python's str whitespace, split, rstrip and lower(), which decide what sacreBLEU counts. Every
// expected value is what CPython 3.11 gives for the same string.
#include "score/python_str.h"

#include <gtest/gtest.h>

#include "tokenize/utf8.h"

namespace dikkat {
namespace {

std::string lower(const std::string& s) { return encode_utf8(python_lower(decode_utf8(s, "t"))); }

TEST(ScorePythonStr, WhitespaceIsPythonsIsspace) {
  for (char32_t c : {0x09, 0x0A, 0x0B,   0x0C,   0x0D,   0x1C,   0x1D,   0x1E,   0x1F,   0x20,
                     0x85, 0xA0, 0x1680, 0x2000, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000}) {
    EXPECT_TRUE(is_python_space(c)) << std::hex << unsigned(c);
  }
  // Zero-width space, BOM and Mongolian vowel separator are not whitespace to Python.
  for (char32_t c : {0x00, 0x08, 0x0E, 0x21, 0x84, 0x200B, 0xFEFF, 0x180E, 0x2060}) {
    EXPECT_FALSE(is_python_space(c)) << std::hex << unsigned(c);
  }
}

TEST(ScorePythonStr, SplitAndRstripUseUnicodeWhitespace) {
  const std::u32string text = U"\u00A0 a\u2009b  c\r ";
  const std::vector<std::u32string_view> words = split_python_whitespace(text);
  ASSERT_EQ(words.size(), 3u);
  EXPECT_EQ(words[0], U"a");
  EXPECT_EQ(words[1], U"b");
  EXPECT_EQ(words[2], U"c");
  EXPECT_EQ(rstrip_python_whitespace(text), U"\u00A0 a\u2009b  c");
  EXPECT_TRUE(split_python_whitespace(U" \t ").empty());
}

TEST(ScorePythonStr, LowerUsesFullMappingsAndFinalSigma) {
  EXPECT_EQ(lower("İSTANBUL'DA ŞİMDİ"), "i̇stanbul'da şi̇mdi̇");  // 'İ' -> 'i' + U+0307
  EXPECT_EQ(lower("IĞDIR ÇÖL ÜZÜM"), "iğdir çöl üzüm");        // no Turkish dotless rule
  EXPECT_EQ(lower("ΟΔΟΣ"), "οδος");
  EXPECT_EQ(lower("ΟΔΟΣ."), "οδος.");
  EXPECT_EQ(lower("Σ"), "σ");  // no cased letter before it: not final
  EXPECT_EQ(lower("ΣΑΣ ΣΑΣ"), "σας σας");
  EXPECT_EQ(lower("ΑΣ'Α"), "ασ'α");  // a case-ignorable apostrophe does not end the word
  EXPECT_EQ(lower("ÀÉÎ ДОМ"), "àéî дом");
}

}  // namespace
}  // namespace dikkat
