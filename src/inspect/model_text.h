#pragma once
// What the look-inside views share: a loaded model and a text to run through it. The terminal
// commands name the inputs by their flags (--text, --target); the web API by its field names.
#include <cstdint>
#include <string>
#include <vector>

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
// A loaded model with `text` cut to its last `context` tokens, as window_tokens does.
ModelText window_of(LoadedModel model, const std::string& text, int64_t& dropped);

// A translation model with one source sentence (`text`) and its target (`target`, or, when
// `target` is empty and `translate_if_empty`, the model's own greedy translation) run through it
// with every attention table kept. Labels: the source tokens then "⟨end⟩"; the decoder positions
// "⟨start⟩" then the target tokens (position t reads them up to t and predicts target token t,
// then the end).
struct TranslationText {
  std::vector<int32_t> source, target;
  std::vector<std::string> source_tokens, target_tokens;  // texts, end tokens included
  std::vector<std::string> source_labels, target_labels;
  TranslationPass pass;
  bool translated;  // the target is the model's own translation
};
struct TranslationInputNames {
  std::string text = "--text", target = "--target";
};
TranslationText run_translation(const LoadedModel& model, const std::string& source,
                                const std::string& target, bool translate_if_empty = true,
                                const TranslationInputNames& names = {});
bool translates(const LoadedModel& model);

}  // namespace dikkat
