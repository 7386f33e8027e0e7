// The Tokenizer both vocabularies share: a masked language model's special tokens read from a
// text, and where the space before [MASK] goes.
#include "tokenize/tokenizer.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace dikkat {
namespace {

std::vector<int32_t> joined(std::vector<int32_t> a, const std::vector<int32_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// With BPE a word token carries its leading space, so the mask takes the space before it:
// "the [MASK] sat" reads as "the" + [MASK] + " sat", and a guess " cat" fills it back.
TEST(Tokenizer, ABpeMaskTakesTheSpaceBeforeIt) {
  const Tokenizer tok(BpeTokenizer::train({"the cat sat on the mat, the cat sat\n"}, 280,
                                          {"[MASK]", "[CLS]", "[SEP]", "[PAD]"}));
  const int32_t mask = *tok.special_id("[MASK]");
  EXPECT_TRUE(tok.is_special(mask));
  EXPECT_FALSE(tok.is_special(0));
  const std::vector<int32_t> got = tok.encode_with_special("the [MASK] sat", "t");
  EXPECT_EQ(got, joined(joined(tok.encode("the", "t"), {mask}), tok.encode(" sat", "t")));
  EXPECT_EQ(tok.encode_with_special("[MASK] sat", "t"),
            joined({mask}, tok.encode(" sat", "t")));
  // Plain encode reads the same text as ordinary bytes: no mask id.
  const std::vector<int32_t> plain = tok.encode("the [MASK]", "t");
  EXPECT_EQ(std::count(plain.begin(), plain.end(), mask), 0);
}

// Characters keep every space: a mask stands for one character.
TEST(Tokenizer, ACharacterMaskLeavesTheSpace) {
  const Tokenizer tok(CharTokenizer::from_text(U"the sa", {"[MASK]"}));
  const int32_t mask = *tok.special_id("[MASK]");
  EXPECT_EQ(tok.encode_with_special("t [MASK]e", "t"),
            joined(joined(tok.encode("t ", "t"), {mask}), tok.encode("e", "t")));
  EXPECT_FALSE(tok.end_of_text());
}

}  // namespace
}  // namespace dikkat
