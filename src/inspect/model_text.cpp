#include "inspect/model_text.h"

#include "error.h"
#include "generate/translator.h"
#include "inspect/token_labels.h"
#include "nn/model_task.h"

namespace dikkat {

namespace {

std::vector<int32_t> encode_nonempty(const LoadedModel& model, const std::string& text,
                                     const std::string& name) {
  if (text.empty()) throw Error(name + " must not be empty");
  return model.tokenizer.encode(text, name);
}

void name_tokens(const LoadedModel& model, TextTokens& t) {
  for (int32_t id : t.ids) t.tokens.push_back(model.tokenizer.decode_one(id));
  t.labels = visible_tokens(t.tokens);
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

ModelText window_of(LoadedModel model, const std::string& text, int64_t& dropped) {
  TextTokens t = window_tokens(model, text, dropped);
  return ModelText{std::move(t), std::move(model)};
}

bool translates(const LoadedModel& model) {
  return task_of(model.config.model.arch) == ModelTask::kTranslation;
}

TranslationText run_translation(const LoadedModel& model, const std::string& source,
                                const std::string& target, bool translate_if_empty,
                                const TranslationInputNames& names) {
  const auto end = model.tokenizer.end_of_text();
  if (!end) throw Error("the model's tokenizer has no <|endoftext|> token");
  TranslationText t{{}, {}, {}, {}, {}, {}, {}, target.empty() && translate_if_empty};
  const Tokenizer& tok = model.tokenizer;
  const int64_t context = model.config.model.context;
  if (source.empty()) throw Error(names.text + " must not be empty (the source sentence)");
  t.source = tok.encode(source, names.text);
  if (int64_t(t.source.size()) + 1 > context)
    throw Error(names.text + ": " + std::to_string(t.source.size()) +
                " tokens and the end token exceed the model's context of " +
                std::to_string(context));
  if (t.translated)
    t.target = translate(*model.model, {t.source}, *end, {})[0];
  else if (!target.empty())
    t.target = tok.encode(target, names.target);
  if (int64_t(t.target.size()) + 1 > context)
    throw Error(names.target + ": " + std::to_string(t.target.size()) +
                " tokens and the start token exceed the model's context of " +
                std::to_string(context));
  for (int32_t id : t.source) t.source_tokens.push_back(tok.decode_one(id));
  for (int32_t id : t.target) t.target_tokens.push_back(tok.decode_one(id));
  t.source_labels = visible_tokens(t.source_tokens);
  t.source_labels.push_back("⟨end⟩");
  t.source_tokens.push_back("");
  t.target_labels = visible_tokens(t.target_tokens);
  t.target_labels.insert(t.target_labels.begin(), "⟨start⟩");
  t.target_tokens.insert(t.target_tokens.begin(), "");
  t.pass = model.model->translation_pass(t.source, t.target, *end);
  return t;
}

}  // namespace dikkat
