#pragma once
// The logits of "the next token" as each kind of model has one, for probs and the page's next
// token view: a language model's after its text (the last `context` tokens of a longer one, as
// generation keeps them), a translator's after a target prefix, a masked language model's at the
// first [MASK] of its text.
#include <cstdint>
#include <string>
#include <vector>

#include "inspect/model_text.h"

namespace dikkat {

struct NextTokenLogits {
  std::vector<float> logits;        // (V)
  std::vector<std::string> labels;  // the positions read: the text's, or the target prefix's
  int64_t dropped = 0;              // tokens cut from the front of a language model's text
};

// Errors begin with the names of `names` (a flag or an API field).
NextTokenLogits next_token_logits(const LoadedModel& model, const std::string& text,
                                  const std::string& target, const InspectionNames& names = {});

}  // namespace dikkat
