#pragma once
// What the look-inside views share: a loaded model and a text to run through it. The terminal
// commands name the inputs by their flags (--text, --target); the web API by its field names.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nn/inspection.h"
#include "run/checkpoint.h"

namespace dikkat {

// A text as the model reads it.
struct TextTokens {
  std::vector<int32_t> ids;
  std::vector<std::string> tokens;  // each token's text (UTF-8)
  std::vector<std::string> labels;  // the same, with whitespace made visible (token_labels.h)
};

// Encodes `text`; errors begin with `name`: an empty text, a character outside the vocabulary,
// or more tokens than the model's context (the views show tables indexed by position, so a text
// that does not fit is refused, not cut).
TextTokens text_tokens(const LoadedModel& model, const std::string& text,
                       const std::string& name = "--text");
// The same for views that only need the model to continue the text (probs): when it is longer
// than the context only its last `context` tokens are kept, as generate does; `dropped` says how
// many were cut from the front.
TextTokens window_tokens(const LoadedModel& model, const std::string& text, int64_t& dropped,
                         const std::string& name = "--text");

struct ModelText : TextTokens {
  LoadedModel model;
};

// Loads `model_dir` and encodes `text` (the --text flag) as text_tokens does.
ModelText load_model_and_text(const std::string& model_dir, const std::string& text);

// One input run through a model with every step traced (Model::inspect): what the attention,
// trace and probs views and the server read. A language model reads the text; a translator reads
// the text as its source sentence, then its end token (labelled "⟨end⟩"), and writes the target
// after its start token ("⟨start⟩"): decoder position t reads the target up to t and predicts
// target token t, then the end. The target is `target`, or, when that is empty and
// `translate_if_empty`, the model's own greedy translation.
struct InspectedText {
  std::vector<int32_t> text_ids, target_ids;  // as given (a translator's, without end or start)
  TextTokens input, target;                    // the positions the model read, each labelled
  bool translated = false;                     // the target is the model's own translation
  std::vector<AttentionKind> kinds;
  ActivationTrace trace;

  const TextTokens& sequence(Sequence s) const { return s == Sequence::kInput ? input : target; }
  // The model's attention kind `name`; an Error naming `flag` and the kinds it has otherwise.
  const AttentionKind& kind(const std::string& name, const std::string& flag) const;
  // The logits (V) at the last position: the next token after the text (a translator: after
  // the target).
  std::span<const float> last_logits() const;
};
struct InspectionNames {
  std::string text = "--text", target = "--target";
};
InspectedText inspect_text(const LoadedModel& model, const std::string& text,
                           const std::string& target, bool translate_if_empty = true,
                           const InspectionNames& names = {});
bool translates(const LoadedModel& model);

}  // namespace dikkat
