#include "inspect/fill_mask.h"

#include "error.h"
#include "inspect/next_token.h"
#include "inspect/token_labels.h"

namespace dikkat {

nlohmann::json masks_json(const FillResult& result) {
  nlohmann::json masks = nlohmann::json::array();
  for (const FilledMask& m : result.masks) {
    nlohmann::json candidates = nlohmann::json::array();
    for (const FillCandidate& c : m.candidates)
      candidates.push_back({{"score", c.score},
                            {"token", c.id},
                            {"token_str", c.token},
                            {"label", visible_token(c.token)},
                            {"sequence", c.sequence}});
    masks.push_back({{"position", m.position}, {"candidates", candidates}});
  }
  return masks;
}

std::span<const float> first_mask_logits(const InspectedText& text, const Tokenizer& tokenizer,
                                         const std::string& name) {
  const auto mask = tokenizer.special_id(kMaskToken);
  const Tensor& logits = text.trace.at("logits");
  const int64_t V = logits.size(1);
  for (size_t t = 0; mask && t < text.input.ids.size(); ++t)
    if (text.input.ids[t] == *mask) return {logits.ptr() + int64_t(t) * V, size_t(V)};
  throw Error(name + ": no [MASK]: a masked language model's next-token view is its guess at the "
                     "first [MASK]");
}

FillResult fill_masks(const LoadedModel& model, const std::string& text, int64_t top,
                      const std::string& name) {
  if (top < 1) throw Error("--top must be at least 1");
  if (model.model->task() != ModelTask::kMaskedLanguageModel)
    throw Error("the model is not a masked language model (" + model.model->summary() +
                "): fill needs one trained with --arch bert");
  const auto mask = model.tokenizer.special_id(kMaskToken);
  if (!mask)
    throw Error("the model's vocabulary has no [MASK]: it was trained without masking");
  FillResult r{inspect_text(model, text, ""), {}, ""};
  const Tokenizer& tok = model.tokenizer;
  const std::vector<int32_t>& ids = r.inspected.input.ids;  // [CLS] text [SEP]
  const Tensor& logits = r.inspected.trace.at("logits");
  const int64_t V = logits.size(1);
  std::vector<int32_t> filled(ids.begin() + 1, ids.end() - 1);
  for (size_t t = 1; t + 1 < ids.size(); ++t) {
    if (ids[t] != *mask) continue;
    FilledMask m{int64_t(t), {}};
    // Every token ranked; special tokens ([MASK], [PAD], ...) are never an answer.
    for (const NextToken& n : most_likely_next(logits.ptr() + int64_t(t) * V, V, 1.0f, 0, tok)) {
      if (tok.is_special(n.id)) continue;
      if (int64_t(m.candidates.size()) == top) break;
      std::vector<int32_t> one(ids.begin() + 1, ids.end() - 1);
      one[t - 1] = n.id;
      m.candidates.push_back({n.id, n.text, n.probability, tok.decode_text(one)});
    }
    filled[t - 1] = m.candidates.front().id;
    r.masks.push_back(std::move(m));
  }
  if (r.masks.empty())
    throw Error(name + ": no [MASK] to fill (write [MASK] where a token is missing)");
  r.filled = tok.decode_text(filled);
  return r;
}

}  // namespace dikkat
