#pragma once
// BERT's masked-LM data: examples of [CLS] tokens [SEP], and the masking that makes a batch of
// them into a training or evaluation batch.
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "nn/model.h"
#include "tokenize/tokenizer.h"

namespace dikkat {

// The special tokens a masked language model reads, and the ordinary tokens a random replacement
// draws from.
struct MaskedLmTokens {
  int32_t mask, cls, sep, pad;
  std::vector<int32_t> ordinary;
};
// Error naming `source` (the tokenizer's origin) when the vocabulary lacks one of [MASK], [CLS],
// [SEP], [PAD].
MaskedLmTokens masked_lm_tokens(const Tokenizer& tokenizer, const std::string& source);

// One example per non-empty line of `text`: [CLS] + its tokens + [SEP]; a line longer than
// context - 2 tokens gives consecutive pieces of that length (nothing is dropped).
std::vector<std::vector<int32_t>> line_examples(const Tokenizer& tokenizer, const std::string& text,
                                                int64_t context, const MaskedLmTokens& tokens,
                                                const std::string& source);
// Consecutive windows of context - 2 tokens of `stream`, each as [CLS] + window + [SEP] (a last
// shorter piece included).
std::vector<std::vector<int32_t>> window_examples(std::span<const int32_t> stream, int64_t context,
                                                  const MaskedLmTokens& tokens);

// `examples` side by side, right-padded with [PAD] to the longest: inputs, rows, time and
// lengths of `batch` (targets untouched).
void pad_examples(const std::vector<std::span<const int32_t>>& examples, int32_t pad, Batch& batch);

// BERT's masking of a padded batch, in place: each real ordinary token (not [CLS], [SEP] or [PAD])
// is chosen with probability `fraction` (one at random where a row had none chosen); a chosen
// token becomes [MASK] 80% of the time, a random ordinary token 10%, and stays itself 10%.
// targets holds the original id at chosen positions and kIgnoredTarget elsewhere.
void mask_batch(Batch& batch, float fraction, const MaskedLmTokens& tokens, std::mt19937_64& rng);

}  // namespace dikkat
