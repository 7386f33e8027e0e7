#pragma once
// How well a masked language model recovers masked tokens: the mean loss over masked positions
// and top-1 / top-5 accuracy, with the unigram baseline beside them (always guessing the most
// frequent tokens of the same examples). The masking is drawn from `seed`, so a score is
// repeatable and two models are scored on the same masks.
#include <cstdint>
#include <string>
#include <vector>

#include "nn/model.h"
#include "train/masked_lm_data.h"

namespace dikkat {

struct MaskedLmScore {
  int64_t examples = 0, masked = 0;
  double loss = 0, top1 = 0, top5 = 0;                   // the model
  double unigram_loss = 0, unigram_top1 = 0, unigram_top5 = 0;  // the baseline
};

// Scores `examples` in batches of `rows`, masked as in training with `fraction`; `progress_label`
// shows progress on a terminal (empty: silent).
MaskedLmScore score_masked_lm(const Model& model, const std::vector<std::vector<int32_t>>& examples,
                              float fraction, const MaskedLmTokens& tokens, uint64_t seed,
                              int64_t rows, const std::string& progress_label);

}  // namespace dikkat
