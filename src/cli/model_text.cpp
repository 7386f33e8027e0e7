#include "cli/model_text.h"

#include "error.h"
#include "inspect/token_labels.h"

namespace dikkat {

namespace {

ModelText encode_text(const std::string& model_dir, const std::string& text) {
  if (text.empty()) throw Error("--text must not be empty");
  ModelText m{load_model_dir(model_dir), {}, {}, {}};
  m.ids = m.model.tokenizer.encode(text, "--text");
  return m;
}

void name_tokens(ModelText& m) {
  for (int32_t id : m.ids) m.tokens.push_back(m.model.tokenizer.decode_one(id));
  m.labels = visible_tokens(m.tokens);
}

}  // namespace

ModelText load_model_and_text(const std::string& model_dir, const std::string& text) {
  ModelText m = encode_text(model_dir, text);
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
  ModelText m = encode_text(model_dir, text);
  const int64_t context = m.model.config.model.context;
  dropped = std::max<int64_t>(0, int64_t(m.ids.size()) - context);
  m.ids.erase(m.ids.begin(), m.ids.begin() + dropped);
  name_tokens(m);
  return m;
}

}  // namespace dikkat
