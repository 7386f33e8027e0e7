#pragma once
// What a model shows of itself, for the look-inside commands, the server and the page: the kinds
// of attention table it has and, for one input, every traced tensor of one forward pass
// (Model::inspect). Nothing outside src/nn needs to know which architecture it is looking at.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nn/activation_trace.h"

namespace dikkat {

enum class AttentionType {
  kCausalSelf,         // a language model's (or a decoder's) self-attention: no key after its query
  kBidirectionalSelf,  // an encoder's self-attention: every token sees every token
  kCross,              // a decoder's attention over the encoder's output
  kAlignment,          // a recurrent decoder's alignment over the encoder's states
};

// One kind of attention table a model has, with its tables per layer.
struct AttentionKind {
  std::string name;  // how commands and the API ask for it: self, encoder, decoder, cross
  AttentionType type;
  int64_t heads = 0;
  // The trace entry holding each layer's weights, (heads, queries, keys), first layer first.
  std::vector<std::string> tables;
  Sequence queries = Sequence::kInput, keys = Sequence::kInput;
  StepText title;  // "encoder self-attention"

  int64_t layers() const { return int64_t(tables.size()); }
  // Whether no query sees a key after it (the upper triangle is empty, not small).
  bool causal() const { return type == AttentionType::kCausalSelf; }
};

// The trace entries of `layers` layers' tables, first layer first: prefix + index + suffix
// ("h." 0 ".attn.weights").
inline std::vector<std::string> layer_tables(const std::string& prefix, int64_t layers,
                                             const std::string& suffix) {
  std::vector<std::string> tables;
  for (int64_t i = 0; i < layers; ++i) tables.push_back(prefix + std::to_string(i) + suffix);
  return tables;
}

// What one inspection reads: a language model's text (`input`), or a translator's source
// sentence (`input`) and target (`target`, read after the start token); a translator's start and
// end token is `end_token`.
struct InspectionInput {
  std::span<const int32_t> input, target;
  int32_t end_token = -1;
};

}  // namespace dikkat
