#include "inspect/next_token_logits.h"

#include "error.h"
#include "inspect/fill_mask.h"

namespace dikkat {

NextTokenLogits next_token_logits(const LoadedModel& model, const std::string& text,
                                  const std::string& target, const InspectionNames& names) {
  NextTokenLogits out;
  switch (model.model->task()) {
    case ModelTask::kLanguageModel: {
      if (!target.empty()) throw Error(names.target + ": the model is not a translator");
      const TextTokens t = window_tokens(model, text, out.dropped, names.text);
      const auto decoder = model.model->decoder();  // generation's own code path
      const std::span<const float> l = decoder->feed(t.ids);
      out.logits.assign(l.begin(), l.end());
      out.labels = t.labels;
      return out;
    }
    case ModelTask::kTranslation: {
      const InspectedText t = inspect_text(model, text, target, false, names);
      const std::span<const float> last = t.last_logits();
      out.logits.assign(last.begin(), last.end());
      out.labels = t.target.labels;
      return out;
    }
    case ModelTask::kMaskedLanguageModel: {
      const InspectedText t = inspect_text(model, text, target, true, names);
      const std::span<const float> at_mask = first_mask_logits(t, model.tokenizer, names.text);
      out.logits.assign(at_mask.begin(), at_mask.end());
      out.labels = t.input.labels;
      return out;
    }
  }
  throw Error("the model's task has no next token");  // every task is handled above
}

}  // namespace dikkat
