#include "inspect/bigram_table.h"

#include <algorithm>

#include "error.h"
#include "inspect/next_token.h"
#include "inspect/token_labels.h"

namespace dikkat {

BigramTable bigram_table(const LoadedModel& m, const std::string& text, const std::string& name) {
  const Var table_var = m.model->next_token_table();
  if (!table_var)
    throw Error("the model has no next-token table, its next token depends on more than the "
                "current one (" + m.model->summary() + ")");
  BigramTable t;
  const int64_t V = t.vocab_size = m.config.model.vocab_size;
  if (text.empty()) {
    if (V > kWholeBigramVocabulary)
      throw Error(name + ": a vocabulary of " + std::to_string(V) +
                  " tokens is too large to show whole; give a text to choose the tokens");
    for (int32_t id = 0; id < V; ++id) t.ids.push_back(id);
  } else {
    for (const int32_t id : m.tokenizer.encode(text, name))
      if (std::find(t.ids.begin(), t.ids.end(), id) == t.ids.end()) t.ids.push_back(id);
  }
  const int64_t n = int64_t(t.ids.size());
  for (const int32_t id : t.ids) t.labels.push_back(visible_token(m.tokenizer.decode_text({&id, 1})));
  const float* table = table_var->value.ptr();
  t.probabilities.resize(size_t(n * n));
  for (int64_t r = 0; r < n; ++r) {
    const std::vector<double> next =
        next_token_distribution(table + int64_t(t.ids[size_t(r)]) * V, V, 1.0f);
    for (int64_t c = 0; c < n; ++c)
      t.probabilities[size_t(r * n + c)] = float(next[size_t(t.ids[size_t(c)])]);
  }
  return t;
}

}  // namespace dikkat
