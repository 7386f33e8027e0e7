#pragma once
// Seed 002's question to a masked language model: which tokens fit each [MASK] of a text
// ("Transformers [MASK] surprising emerging features." -> "possess"), answered with the fields
// of Hugging Face's fill-mask pipeline: score, token id, token string, and the sequence with that
// token in place.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "inspect/model_text.h"

namespace dikkat {

struct FillCandidate {
  int32_t id;
  std::string token;     // its text
  double score;          // its probability at the mask
  std::string sequence;  // the text with this mask filled by it (other masks left as [MASK])
};

struct FilledMask {
  int64_t position;  // the mask's token position in the text, from 1
  // The `top` most likely ordinary tokens (never a special one), most likely first.
  std::vector<FillCandidate> candidates;
};

struct FillResult {
  InspectedText inspected;  // the pass the answers come from
  std::vector<FilledMask> masks;
  std::string filled;  // the text with every mask filled by its most likely token
};

// The masks as `dikkat fill --format json` and /api/fill give them: [{"position", "candidates":
// [{"score", "token" (id), "token_str", "label" (whitespace made visible), "sequence"}]}].
nlohmann::json masks_json(const FillResult& result);

// The logits (V) at the first [MASK] of a masked language model's inspected text: its next-token
// view. Error naming `name` when the text has none.
std::span<const float> first_mask_logits(const InspectedText& text, const Tokenizer& tokenizer,
                                         const std::string& name);

// Errors, each naming `name` where it is about the text: a model that is not a masked language
// model, a vocabulary without [MASK], a text without one, a text longer than the context.
FillResult fill_masks(const LoadedModel& model, const std::string& text, int64_t top,
                      const std::string& name = "--text");

}  // namespace dikkat
