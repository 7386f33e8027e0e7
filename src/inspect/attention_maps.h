#pragma once
// The attention weights of every layer and head for one text (seed 002's tables), taken from a
// forward trace, optionally read as word-to-word tables.
#include <cstdint>
#include <string>
#include <vector>

#include "nn/activation_trace.h"
#include "inspect/word_grouping.h"

namespace dikkat {

struct AttentionMaps {
  int64_t layers = 0, heads = 0, size = 0;  // size: tokens (or words) per side
  std::vector<std::string> labels;          // one per row/column
  std::vector<float> weights;               // (layers, heads, size, size), rows are queries

  const float* table(int64_t layer, int64_t head) const {
    return weights.data() + (layer * heads + head) * size * size;
  }
};

// Reads h.<i>.attn.weights for every layer from `trace` (a trace of a fresh decoder, so each
// table is square).
AttentionMaps attention_maps(const ActivationTrace& trace, int64_t layers,
                             const std::vector<std::string>& labels);

// Every table aggregated to words by the rule in word_grouping.h; labels become the words.
AttentionMaps to_words(const AttentionMaps& tokens, const WordGrouping& grouping,
                       const std::vector<std::string>& word_labels);

}  // namespace dikkat
