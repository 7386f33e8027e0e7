#include "inspect/attention_maps.h"

#include <algorithm>

#include "error.h"

namespace dikkat {

AttentionMaps attention_maps(const ActivationTrace& trace, int64_t layers,
                             const std::vector<std::string>& labels) {
  AttentionMaps m;
  m.layers = layers;
  m.row_labels = m.col_labels = labels;
  for (int64_t l = 0; l < layers; ++l) {
    const Tensor& w = trace.at("h." + std::to_string(l) + ".attn.weights");
    if (l == 0) {
      m.heads = w.size(0);
      m.rows = m.cols = w.size(1);
      m.weights.reserve(layers * w.numel());
    }
    if (w.size(1) != w.size(2) || w.size(1) != int64_t(labels.size()))
      throw Error("attention: layer " + std::to_string(l + 1) + " weights are " +
                  shape_to_string(w.shape) + ", not square over " + std::to_string(labels.size()) +
                  " tokens");
    m.weights.insert(m.weights.end(), w.data.begin(), w.data.end());
  }
  return m;
}

AttentionMaps attention_maps(const std::vector<Tensor>& per_layer,
                             const std::vector<std::string>& row_labels,
                             const std::vector<std::string>& col_labels, bool causal) {
  AttentionMaps m;
  m.layers = int64_t(per_layer.size());
  m.row_labels = row_labels;
  m.col_labels = col_labels;
  m.rows = int64_t(row_labels.size());
  m.cols = int64_t(col_labels.size());
  m.causal = causal;
  for (const Tensor& w : per_layer) {
    if (w.shape.size() != 4 || w.size(0) != 1 || w.size(2) != m.rows || w.size(3) != m.cols)
      throw Error("attention: weights " + shape_to_string(w.shape) + " do not match " +
                  std::to_string(m.rows) + " queries x " + std::to_string(m.cols) + " keys");
    m.heads = w.size(1);
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
