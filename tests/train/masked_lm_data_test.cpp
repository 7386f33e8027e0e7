// BERT's masking and examples: the shares it chooses and replaces, what it never touches, and
// how lines become examples.
#include "train/masked_lm_data.h"

#include <gtest/gtest.h>

#include "error.h"
#include "tokenize/char_tokenizer.h"

namespace dikkat {
namespace {

Tokenizer tokenizer() {
  return Tokenizer(CharTokenizer::from_text(U"abcdefgh ", {"[MASK]", "[CLS]", "[SEP]", "[PAD]"}));
}

TEST(MaskBatch, ChoosesFifteenPercentAndReplacesThemEightyTenTen) {
  const Tokenizer tok = tokenizer();
  const MaskedLmTokens t = masked_lm_tokens(tok, "test");
  ASSERT_EQ(t.ordinary.size(), 9u);
  std::vector<std::vector<int32_t>> examples;
  std::mt19937_64 draw(3);
  for (int r = 0; r < 400; ++r) {
    std::vector<int32_t> e = {t.cls};
    for (int i = 0; i < 5 + r % 40; ++i) e.push_back(int32_t(draw() % 9));
    e.push_back(t.sep);
    examples.push_back(e);
  }
  std::vector<std::span<const int32_t>> spans(examples.begin(), examples.end());
  Batch batch;
  pad_examples(spans, t.pad, batch);
  const std::vector<int32_t> original = batch.inputs;
  std::mt19937_64 rng(7);
  mask_batch(batch, 0.15f, t, rng);
  int64_t real = 0, chosen = 0, masked = 0, kept = 0;
  for (int64_t r = 0; r < batch.rows; ++r) {
    int64_t row_chosen = 0;
    for (int64_t i = 0; i < batch.time; ++i) {
      const size_t at = size_t(r * batch.time + i);
      const int32_t was = original[at];
      if (was == t.cls || was == t.sep || was == t.pad) {
        EXPECT_EQ(batch.inputs[at], was);  // never chosen
        EXPECT_EQ(batch.targets[at], kIgnoredTarget);
        continue;
      }
      ++real;
      if (batch.targets[at] == kIgnoredTarget) {
        EXPECT_EQ(batch.inputs[at], was);
        continue;
      }
      EXPECT_EQ(batch.targets[at], was);
      ++chosen, ++row_chosen;
      masked += batch.inputs[at] == t.mask;
      kept += batch.inputs[at] == was;
    }
    EXPECT_GE(row_chosen, 1) << "row " << r;
  }
  EXPECT_NEAR(double(chosen) / double(real), 0.15, 0.015);
  EXPECT_NEAR(double(masked) / double(chosen), 0.8, 0.03);
  // Unchanged: the 10% kept plus random replacements that drew the same token (1 in 9).
  EXPECT_NEAR(double(kept) / double(chosen), 0.1 + 0.1 / 9, 0.025);
}

TEST(MaskBatch, TheSameSeedMasksTheSameTokens) {
  const MaskedLmTokens t = masked_lm_tokens(tokenizer(), "test");
  const std::vector<int32_t> e = {t.cls, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, t.sep};
  Batch a, b;
  pad_examples({e, e}, t.pad, a);
  b = a;
  std::mt19937_64 r1(5), r2(5);
  mask_batch(a, 0.15f, t, r1);
  mask_batch(b, 0.15f, t, r2);
  EXPECT_EQ(a.inputs, b.inputs);
  EXPECT_EQ(a.targets, b.targets);
}

TEST(MaskedLmExamples, LinesBecomeClsTokensSepAndLongOnesArePieces) {
  const Tokenizer tok = tokenizer();
  const MaskedLmTokens t = masked_lm_tokens(tok, "test");
  const auto examples = line_examples(tok, "abc\n\n  \nabcdefgh\r\nde", 6, t, "text");
  ASSERT_EQ(examples.size(), 4u);  // abc; abcd, efgh; de (' ' is id 0, 'a' 1, ...)
  EXPECT_EQ(examples[0], (std::vector<int32_t>{t.cls, 1, 2, 3, t.sep}));
  EXPECT_EQ(examples[1], (std::vector<int32_t>{t.cls, 1, 2, 3, 4, t.sep}));
  EXPECT_EQ(examples[2], (std::vector<int32_t>{t.cls, 5, 6, 7, 8, t.sep}));
  EXPECT_EQ(examples[3], (std::vector<int32_t>{t.cls, 4, 5, t.sep}));
  Batch batch;
  pad_examples({examples[0], examples[1]}, t.pad, batch);
  EXPECT_EQ(batch.time, 6);
  EXPECT_EQ(batch.lengths, (std::vector<int32_t>{5, 6}));
  EXPECT_EQ(batch.inputs[5], t.pad);
}

TEST(MaskedLmExamples, AVocabularyWithoutTheSpecialTokensIsOneClearError) {
  const Tokenizer plain(CharTokenizer::from_text(U"abc"));
  try {
    masked_lm_tokens(plain, "tok.json");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "tok.json: a masked language model needs [MASK], [CLS], [SEP] and [PAD] in its "
                 "vocabulary; it has no [MASK]");
  }
}

}  // namespace
}  // namespace dikkat
