#include "inspect/model_text.h"

#include "error.h"
#include "generate/translator.h"
#include "inspect/token_labels.h"
#include "nn/model_task.h"

namespace dikkat {

namespace {

// A masked language model reads [MASK] (and its other special tokens) in a text; every other
// model reads a text as it is.
std::vector<int32_t> encode_nonempty(const LoadedModel& model, const std::string& text,
                                     const std::string& name) {
  if (text.empty()) throw Error(name + " must not be empty");
  if (model.model->task() == ModelTask::kMaskedLanguageModel)
    return model.tokenizer.encode_with_special(text, name);
  return model.tokenizer.encode(text, name);
}

void name_tokens(const LoadedModel& model, TextTokens& t) {
  for (int32_t id : t.ids) t.tokens.push_back(model.tokenizer.decode_one(id));
  t.labels = visible_tokens(t.tokens);
}

// A masked language model's input as it was trained: [CLS] text [SEP].
TextTokens masked_lm_input(const LoadedModel& model, const std::string& text,
                           const std::string& name) {
  const auto cls = model.tokenizer.special_id(kClsToken);
  const auto sep = model.tokenizer.special_id(kSepToken);
  if (!cls || !sep) throw Error("the model's vocabulary has no [CLS] and [SEP]");
  TextTokens t{encode_nonempty(model, text, name), {}, {}};
  const int64_t context = model.config.model.context;
  if (int64_t(t.ids.size()) + 2 > context)
    throw Error(name + ": " + std::to_string(t.ids.size()) +
                " tokens with [CLS] and [SEP] exceed the model's context of " +
                std::to_string(context) + "; give a shorter text");
  t.ids.insert(t.ids.begin(), *cls);
  t.ids.push_back(*sep);
  name_tokens(model, t);
  return t;
}

}  // namespace

TextTokens text_tokens(const LoadedModel& model, const std::string& text,
                       const std::string& name) {
  TextTokens t{encode_nonempty(model, text, name), {}, {}};
  const int64_t context = model.config.model.context;
  if (int64_t(t.ids.size()) > context)
    throw Error(name + ": " + std::to_string(t.ids.size()) +
                " tokens exceed the model's context of " + std::to_string(context) +
                "; give a shorter text");
  name_tokens(model, t);
  return t;
}

TextTokens window_tokens(const LoadedModel& model, const std::string& text, int64_t& dropped,
                         const std::string& name) {
  TextTokens t{encode_nonempty(model, text, name), {}, {}};
  const int64_t context = model.config.model.context;
  dropped = std::max<int64_t>(0, int64_t(t.ids.size()) - context);
  t.ids.erase(t.ids.begin(), t.ids.begin() + dropped);
  name_tokens(model, t);
  return t;
}

ModelText load_model_and_text(const std::string& model_dir, const std::string& text) {
  LoadedModel model = load_model_dir(model_dir);
  TextTokens t = text_tokens(model, text);
  return ModelText{std::move(t), std::move(model)};
}

bool translates(const LoadedModel& model) {
  return model.model->task() == ModelTask::kTranslation;
}

const AttentionKind& InspectedText::kind(const std::string& name, const std::string& flag) const {
  for (const AttentionKind& k : kinds)
    if (k.name == name) return k;
  std::string have;
  for (const AttentionKind& k : kinds) have += (have.empty() ? "" : ", ") + k.name;
  throw Error(flag + " " + name + ": the model has " +
              (have.empty() ? std::string("no attention") : "attention of kinds " + have + " only"));
}

std::span<const float> InspectedText::last_logits() const {
  const Tensor& logits = trace.at("logits");
  const int64_t V = logits.size(1);
  return {logits.ptr() + (logits.size(0) - 1) * V, size_t(V)};
}

namespace {

// A model that reads one text: its positions as given.
InspectedText inspect_input(const LoadedModel& model, TextTokens input, const std::string& target,
                            const InspectionNames& names) {
  if (!target.empty()) throw Error(names.target + ": the model is not a translator");
  InspectedText t;
  t.kinds = model.model->attention_kinds();
  t.input = std::move(input);
  t.text_ids = t.input.ids;
  t.trace = model.model->inspect({t.input.ids, {}, -1});
  return t;
}

InspectedText inspect_translation(const LoadedModel& model, const std::string& text,
                                  const std::string& target, bool translate_if_empty,
                                  const InspectionNames& names) {
  InspectedText t;
  t.kinds = model.model->attention_kinds();
  const Tokenizer& tok = model.tokenizer;
  const int64_t context = model.config.model.context;
  const auto end = tok.end_of_text();
  if (!end) throw Error("the model's tokenizer has no <|endoftext|> token");
  if (text.empty()) throw Error(names.text + " must not be empty (the source sentence)");
  t.text_ids = tok.encode(text, names.text);
  if (int64_t(t.text_ids.size()) + 1 > context)
    throw Error(names.text + ": " + std::to_string(t.text_ids.size()) +
                " tokens and the end token exceed the model's context of " +
                std::to_string(context));
  t.translated = target.empty() && translate_if_empty;
  if (t.translated)
    t.target_ids = translate(*model.model, {t.text_ids}, *end, {})[0];
  else if (!target.empty())
    t.target_ids = tok.encode(target, names.target);
  if (int64_t(t.target_ids.size()) + 1 > context)
    throw Error(names.target + ": " + std::to_string(t.target_ids.size()) +
                " tokens and the start token exceed the model's context of " +
                std::to_string(context));
  t.input.ids = t.text_ids;
  t.input.ids.push_back(*end);
  t.target.ids = t.target_ids;
  t.target.ids.insert(t.target.ids.begin(), *end);
  for (int32_t id : t.text_ids) t.input.tokens.push_back(tok.decode_one(id));
  for (int32_t id : t.target_ids) t.target.tokens.push_back(tok.decode_one(id));
  t.input.labels = visible_tokens(t.input.tokens);
  t.input.labels.push_back("⟨end⟩");
  t.input.tokens.push_back("");
  t.target.labels = visible_tokens(t.target.tokens);
  t.target.labels.insert(t.target.labels.begin(), "⟨start⟩");
  t.target.tokens.insert(t.target.tokens.begin(), "");
  t.trace = model.model->inspect({t.text_ids, t.target_ids, *end});
  return t;
}

}  // namespace

InspectedText inspect_text(const LoadedModel& model, const std::string& text,
                           const std::string& target, bool translate_if_empty,
                           const InspectionNames& names) {
  switch (model.model->task()) {
    case ModelTask::kLanguageModel:
      return inspect_input(model, text_tokens(model, text, names.text), target, names);
    case ModelTask::kMaskedLanguageModel:
      return inspect_input(model, masked_lm_input(model, text, names.text), target, names);
    case ModelTask::kTranslation:
      return inspect_translation(model, text, target, translate_if_empty, names);
  }
  throw Error("inspect: the model's task has no inspection");  // every task is handled above
}

}  // namespace dikkat
