// Sentence files are read as sacreBLEU's command line reads them: lines end at '\n', trailing
// whitespace (a Windows '\r' included) is stripped.
#include "score/sentence_file.h"

#include <gtest/gtest.h>

#include "error.h"

namespace dikkat {
namespace {

using Lines = std::vector<std::string>;

TEST(ScoreSentenceFile, FinalNewlineIsOptionalAndBlankLinesCount) {
  EXPECT_EQ(split_sentence_lines("a\nb", "f"), (Lines{"a", "b"}));
  EXPECT_EQ(split_sentence_lines("a\nb\n", "f"), (Lines{"a", "b"}));
  EXPECT_EQ(split_sentence_lines("a\n\n", "f"), (Lines{"a", ""}));
  EXPECT_EQ(split_sentence_lines("\n", "f"), (Lines{""}));
}

TEST(ScoreSentenceFile, TrailingWhitespaceAndCarriageReturnsAreStripped) {
  EXPECT_EQ(split_sentence_lines("a b \r\nc\t\r\n", "f"), (Lines{"a b", "c"}));
  // Python's rstrip() takes U+00A0 and U+3000 too, but leaves a '\r' inside the line.
  EXPECT_EQ(split_sentence_lines("x\xC2\xA0\xE3\x80\x80\ny\rz\n", "f"), (Lines{"x", "y\rz"}));
  EXPECT_EQ(split_sentence_lines("  lead\n", "f"), (Lines{"  lead"}));
}

TEST(ScoreSentenceFile, InvalidUtf8NamesFileAndLine) {
  try {
    split_sentence_lines("ok\nok\nab\xFF\n", "hyp.txt");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "hyp.txt:3: invalid UTF-8 at byte offset 2");
  }
}

TEST(ScoreSentenceFile, EmptyAndMissingFilesAreErrors) {
  EXPECT_THROW(split_sentence_lines("", "empty.txt"), Error);
  EXPECT_THROW(read_sentence_file("/nonexistent/hyp.txt"), Error);
}

}  // namespace
}  // namespace dikkat
