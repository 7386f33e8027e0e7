#include "inspect/word_grouping.h"

#include <gtest/gtest.h>

namespace dikkat {
namespace {

std::vector<std::string> chars(const std::string& ascii) {
  std::vector<std::string> out;
  for (char c : ascii) out.emplace_back(1, c);
  return out;
}

TEST(WordGrouping, SpacesJoinTheFollowingWord) {
  const WordGrouping g = group_into_words(chars("ali ata bak."));
  EXPECT_EQ(g.words, (std::vector<std::string>{"ali", " ata", " bak."}));
  EXPECT_EQ(g.word_of_token, (std::vector<int64_t>{0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2}));
}

TEST(WordGrouping, LeadingSpacesJoinTheFirstWordTrailingOnesTheLast) {
  const WordGrouping g = group_into_words(chars("  ab  cd  "));
  EXPECT_EQ(g.words, (std::vector<std::string>{"  ab", "  cd  "}));
}

TEST(WordGrouping, OnlySpacesIsOneWord) {
  const WordGrouping g = group_into_words(chars("   "));
  EXPECT_EQ(g.words, (std::vector<std::string>{"   "}));
  EXPECT_EQ(g.word_of_token, (std::vector<int64_t>{0, 0, 0}));
}

TEST(WordGrouping, SubwordTokensStartWordsAtTheirLeadingSpace) {
  const WordGrouping g = group_into_words({"Ali", " ata", " b", "ak", "."});
  EXPECT_EQ(g.words, (std::vector<std::string>{"Ali", " ata", " bak."}));
}

TEST(WordGrouping, AggregatedRowsSumToOneAndStayCausal) {
  // "ab c": tokens a, b, ' ', c -> words "ab" and " c". A causal table with rows summing to 1.
  const WordGrouping g = group_into_words(chars("ab c"));
  const float w[16] = {1.0f, 0,    0,    0,  //
                       0.4f, 0.6f, 0,    0,  //
                       0.2f, 0.3f, 0.5f, 0,  //
                       0.1f, 0.2f, 0.3f, 0.4f};
  const std::vector<float> words = aggregate_to_words(w, 4, g);
  ASSERT_EQ(words.size(), 4u);
  // Word "ab": mean over queries a (1.0 to "ab") and b (1.0 to "ab").
  EXPECT_FLOAT_EQ(words[0], 1.0f);
  EXPECT_FLOAT_EQ(words[1], 0.0f);
  // Word " c": queries ' ' (0.5 to "ab", 0.5 to " c") and c (0.3, 0.7): means 0.4 and 0.6.
  EXPECT_FLOAT_EQ(words[2], 0.4f);
  EXPECT_FLOAT_EQ(words[3], 0.6f);
}

}  // namespace
}  // namespace dikkat
