#include "inspect/attention_maps.h"

#include <algorithm>

#include "error.h"

namespace dikkat {

AttentionMaps attention_maps(const ActivationTrace& trace, int64_t layers,
                             const std::vector<std::string>& labels) {
  AttentionMaps m;
  m.layers = layers;
  m.labels = labels;
  for (int64_t l = 0; l < layers; ++l) {
    const Tensor& w = trace.at("h." + std::to_string(l) + ".attn.weights");
    if (l == 0) {
      m.heads = w.size(0);
      m.size = w.size(1);
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

AttentionMaps to_words(const AttentionMaps& tokens, const WordGrouping& grouping,
                       const std::vector<std::string>& word_labels) {
  AttentionMaps m;
  m.layers = tokens.layers;
  m.heads = tokens.heads;
  m.size = int64_t(grouping.words.size());
  m.labels = word_labels;
  for (int64_t l = 0; l < tokens.layers; ++l)
    for (int64_t h = 0; h < tokens.heads; ++h) {
      const std::vector<float> w = aggregate_to_words(tokens.table(l, h), tokens.size, grouping);
      m.weights.insert(m.weights.end(), w.begin(), w.end());
    }
  return m;
}

}  // namespace dikkat
