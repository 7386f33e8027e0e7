#pragma once
// The attention weights of every layer and head for one text (seed 002's tables), taken from a
// forward trace, optionally read as word-to-word tables.
#include <cstdint>
#include <string>
#include <vector>

#include "inspect/word_grouping.h"
#include "nn/activation_trace.h"

namespace dikkat {

struct AttentionMaps {
  int64_t layers = 0, heads = 0;
  int64_t rows = 0, cols = 0;  // queries and keys: tokens (or words); equal for self-attention
  std::vector<std::string> row_labels, col_labels;
  std::vector<float> weights;  // (layers, heads, rows, cols)
  bool causal = true;          // self-attention of a language model: no key after its query

  const float* table(int64_t layer, int64_t head) const {
    return weights.data() + (layer * heads + head) * rows * cols;
  }
};

// Reads h.<i>.attn.weights for every layer from `trace` (a trace of a fresh decoder, so each
// table is square).
AttentionMaps attention_maps(const ActivationTrace& trace, int64_t layers,
                             const std::vector<std::string>& labels);

// Tables (layers, 1, H, Tq, Tk) per layer of one sequence pair, as an encoder-decoder's forward
// gives them (Seq2seqAttentionWeights), with the query and key labels.
AttentionMaps attention_maps(const std::vector<Tensor>& per_layer,
                             const std::vector<std::string>& row_labels,
                             const std::vector<std::string>& col_labels, bool causal);

// Every table aggregated to words by the rule in word_grouping.h (queries grouped by `rows`, keys
// by `cols`); labels become the words.
AttentionMaps to_words(const AttentionMaps& tokens, const WordGrouping& rows,
                       const std::vector<std::string>& row_words, const WordGrouping& cols,
                       const std::vector<std::string>& col_words);

}  // namespace dikkat
