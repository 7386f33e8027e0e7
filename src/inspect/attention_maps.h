#pragma once
// The attention weights of every layer and head for one text (seed 002's tables), of one kind
// the model has, taken from its trace; optionally read as word-to-word tables.
#include <cstdint>
#include <string>
#include <vector>

#include "inspect/model_text.h"
#include "inspect/word_grouping.h"

namespace dikkat {

struct AttentionMaps {
  int64_t layers = 0, heads = 0;
  int64_t rows = 0, cols = 0;  // queries and keys: tokens (or words); equal for self-attention
  std::vector<std::string> row_labels, col_labels;
  std::vector<float> weights;  // (layers, heads, rows, cols)
  bool causal = true;          // causal self-attention: no key after its query

  const float* table(int64_t layer, int64_t head) const {
    return weights.data() + (layer * heads + head) * rows * cols;
  }
};

// The name of the attention kind `requested` (when empty: a translator's cross-attention, as
// BertViz's encoder-decoder view shows, else the model's first kind), checked against the kinds
// the model has. Errors name the model as `model_name` and the choice as `flag`.
std::string attention_kind_name(const LoadedModel& model, const std::string& requested,
                                const std::string& model_name, const std::string& flag = "--kind");

// Every layer's table of `kind` from the text's trace, labelled by the sequences it runs over.
AttentionMaps attention_maps(const InspectedText& text, const AttentionKind& kind);

// Every table aggregated to words by the rule in word_grouping.h (queries grouped by `rows`, keys
// by `cols`); labels become the words.
AttentionMaps to_words(const AttentionMaps& tokens, const WordGrouping& rows,
                       const std::vector<std::string>& row_words, const WordGrouping& cols,
                       const std::vector<std::string>& col_words);

}  // namespace dikkat
