#include "inspect/attention_maps.h"

#include <algorithm>

#include "error.h"

namespace dikkat {

std::string attention_kind_name(const LoadedModel& model, const std::string& requested,
                                const std::string& model_name, const std::string& flag) {
  const std::vector<AttentionKind> kinds = model.model->attention_kinds();
  if (kinds.empty())
    throw Error(model_name + " has no attention (" + model.model->summary() + ")" +
                (model.model->next_token_table() ? "; dikkat bigram shows its next-token table"
                                                 : ""));
  std::string name = requested;
  if (name.empty()) {
    name = kinds.front().name;
    for (const AttentionKind& k : kinds)
      if (k.name == "cross") name = k.name;
  }
  std::string have;
  for (const AttentionKind& k : kinds) {
    if (k.name == name) return name;
    have += (have.empty() ? "" : ", ") + k.name;
  }
  throw Error(flag + " " + name + ": the model has attention of kinds " + have + " only");
}

AttentionMaps attention_maps(const InspectedText& text, const AttentionKind& kind) {
  AttentionMaps m;
  m.layers = kind.layers();
  m.heads = kind.heads;
  m.row_labels = text.sequence(kind.queries).labels;
  m.col_labels = text.sequence(kind.keys).labels;
  m.rows = int64_t(m.row_labels.size());
  m.cols = int64_t(m.col_labels.size());
  m.causal = kind.causal();
  m.weights.reserve(size_t(m.layers * m.heads * m.rows * m.cols));
  for (int64_t l = 0; l < m.layers; ++l) {
    const Tensor& w = text.trace.at(kind.tables[size_t(l)]);
    if (w.shape != std::vector<int64_t>{m.heads, m.rows, m.cols})
      throw Error("attention: " + kind.name + " layer " + std::to_string(l + 1) + " weights are " +
                  shape_to_string(w.shape) + ", not " + std::to_string(m.heads) + " heads of " +
                  std::to_string(m.rows) + " queries x " + std::to_string(m.cols) + " keys");
    m.weights.insert(m.weights.end(), w.data.begin(), w.data.end());
  }
  return m;
}

AttentionMaps to_words(const AttentionMaps& tokens, const WordGrouping& rows,
                       const std::vector<std::string>& row_words, const WordGrouping& cols,
                       const std::vector<std::string>& col_words) {
  AttentionMaps m;
  m.layers = tokens.layers;
  m.heads = tokens.heads;
  m.rows = int64_t(rows.words.size());
  m.cols = int64_t(cols.words.size());
  m.row_labels = row_words;
  m.col_labels = col_words;
  m.causal = tokens.causal;
  for (int64_t l = 0; l < tokens.layers; ++l)
    for (int64_t h = 0; h < tokens.heads; ++h) {
      const std::vector<float> w =
          aggregate_to_words(tokens.table(l, h), tokens.rows, rows, tokens.cols, cols);
      m.weights.insert(m.weights.end(), w.begin(), w.end());
    }
  return m;
}

}  // namespace dikkat
