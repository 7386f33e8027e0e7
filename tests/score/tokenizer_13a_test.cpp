// sacreBLEU's 13a tokenizer. sacreBLEU has no unit test of its own for 13a (its BLEU tests check
// it through scores, see bleu_test.cpp); the expected strings below were produced by running
// sacreBLEU 2.x's Tokenizer13a code (tokenizers/tokenizer_13a.py with tokenizer_re.py) on these
// inputs, and agree with the mteval-v13a rules each test names.
#include "score/tokenizer_13a.h"

#include <gtest/gtest.h>

#include "tokenize/utf8.h"

namespace dikkat {
namespace {

std::string tok(const std::string& line) {
  return encode_utf8(tokenize_13a(decode_utf8(line, "test")));
}

TEST(ScoreTokenizer13a, SplitsOffPunctuationAndSymbols) {
  EXPECT_EQ(tok("Hello, world!"), "Hello , world !");
  EXPECT_EQ(tok("(hi) [x] {y} <z>"), "( hi ) [ x ] { y } < z >");
  EXPECT_EQ(tok("50%/60%"), "50 % / 60 %");
  EXPECT_EQ(tok("a@b.com #tag ~x ^y _z `q` |p|"), "a @ b . com # tag ~ x ^ y _ z ` q ` | p |");
}

TEST(ScoreTokenizer13a, KeepsApostrophesAndHyphensInsideWords) {
  EXPECT_EQ(tok("don't \"quote\""), "don't \" quote \"");
  EXPECT_EQ(tok("pages 10-20 and well-known"), "pages 10 - 20 and well-known");
  // A hyphen splits off only after a digit; each digit-hyphen pair is consumed once.
  EXPECT_EQ(tok("x-1 1-x 1--2"), "x-1 1 - x 1 - -2");
}

TEST(ScoreTokenizer13a, PeriodsAndCommasStayInsideNumbers) {
  EXPECT_EQ(tok("It costs $3.50, or 1,000 yen."), "It costs $ 3.50 , or 1,000 yen .");
  EXPECT_EQ(tok("3.14 and 3. and .5"), "3.14 and 3 . and . 5");
  EXPECT_EQ(tok("e.g. U.S.A. etc."), "e . g . U . S . A . etc .");
  EXPECT_EQ(tok("a.b,c"), "a . b , c");
  EXPECT_EQ(tok("end."), "end .");
  EXPECT_EQ(tok(".start"), ". start");
}

TEST(ScoreTokenizer13a, UnescapesEntitiesOneReplaceAfterAnother) {
  // "&amp;lt;" becomes "&lt;" and then "<": the replaces run in sequence over the whole line.
  EXPECT_EQ(tok("&quot;a&quot; &amp;lt; &lt;b&gt;"), "\" a \" < < b >");
  EXPECT_EQ(tok("a<skipped>b"), "ab");
  EXPECT_EQ(tok("word-\nnext"), "wordnext");
}

// sacreBLEU's test.sh "Control character tests": a reference with a lone carriage return in it
// must score like the same reference without it.
TEST(ScoreTokenizer13a, CarriageReturnInsideALineIsWhitespace) {
  EXPECT_EQ(tok("Hello! How are you \r doing today?"), tok("Hello! How are you doing today?"));
  EXPECT_EQ(tok("Hello! How are you doing today?"), "Hello ! How are you doing today ?");
}

TEST(ScoreTokenizer13a, UnicodeSpacesSeparateAndOtherCharactersPassThrough) {
  EXPECT_EQ(tok("İstanbul'da\xC2\xA0"
                "3.000 kişi."),
            "İstanbul'da 3.000 kişi .");
  EXPECT_EQ(tok("漢字。😀!"), "漢字。😀 !");
  EXPECT_EQ(tok("  a \t b\xE3\x80\x80"
                "c  "),
            "a b c");
  EXPECT_EQ(tok(""), "");
}

TEST(ScoreTokenizer13a, NoneOnlyCollapsesWhitespace) {
  EXPECT_EQ(encode_utf8(tokenize_for_bleu(U"  Hello,  world! ", BleuTokenizer::kNone)),
            "Hello, world!");
  EXPECT_STREQ(tokenizer_name(BleuTokenizer::k13a), "13a");
  EXPECT_STREQ(tokenizer_name(BleuTokenizer::kNone), "none");
}

}  // namespace
}  // namespace dikkat
