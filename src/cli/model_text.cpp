#include "cli/model_text.h"

#include "error.h"
#include "generate/translator.h"
#include "inspect/token_labels.h"
#include "nn/model_task.h"

namespace dikkat {

namespace {

ModelText encode_text(LoadedModel model, const std::string& text) {
  if (text.empty()) throw Error("--text must not be empty");
  ModelText m{std::move(model), {}, {}, {}};
  m.ids = m.model.tokenizer.encode(text, "--text");
  return m;
}

void name_tokens(ModelText& m) {
  for (int32_t id : m.ids) m.tokens.push_back(m.model.tokenizer.decode_one(id));
  m.labels = visible_tokens(m.tokens);
}

}  // namespace

ModelText load_model_and_text(const std::string& model_dir, const std::string& text) {
  ModelText m = encode_text(load_model_dir(model_dir), text);
  const int64_t context = m.model.config.model.context;
  if (int64_t(m.ids.size()) > context)
    throw Error("--text: " + std::to_string(m.ids.size()) +
                " tokens exceed the model's context of " + std::to_string(context) +
                "; give a shorter text");
  name_tokens(m);
  return m;
}

ModelText load_model_and_window(const std::string& model_dir, const std::string& text,
                                int64_t& dropped) {
  return window_of(load_model_dir(model_dir), text, dropped);
}

ModelText window_of(LoadedModel model, const std::string& text, int64_t& dropped) {
  ModelText m = encode_text(std::move(model), text);
  const int64_t context = m.model.config.model.context;
  dropped = std::max<int64_t>(0, int64_t(m.ids.size()) - context);
  m.ids.erase(m.ids.begin(), m.ids.begin() + dropped);
  name_tokens(m);
  return m;
}

bool translates(const LoadedModel& model) {
  return task_of(model.config.model.arch) == ModelTask::kTranslation;
}

TranslationText run_translation(const LoadedModel& model, const std::string& source,
                                const std::string& target, bool translate_if_empty) {
  if (source.empty()) throw Error("--text must not be empty (the source sentence)");
  const auto end = model.tokenizer.end_of_text();
  if (!end) throw Error("the model's tokenizer has no <|endoftext|> token");
  TranslationText t{{}, {}, {}, {}, {}, {}, {}, target.empty() && translate_if_empty};
  const Tokenizer& tok = model.tokenizer;
  const int64_t context = model.config.model.context;
  t.source = tok.encode(source, "--text");
  if (int64_t(t.source.size()) + 1 > context)
    throw Error("--text: " + std::to_string(t.source.size()) +
                " tokens and the end token exceed the model's context of " +
                std::to_string(context));
  if (t.translated)
    t.target = translate(*model.model, {t.source}, *end, {})[0];
  else if (!target.empty())
    t.target = tok.encode(target, "--target");
  if (int64_t(t.target.size()) + 1 > context)
    throw Error("--target: " + std::to_string(t.target.size()) +
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
