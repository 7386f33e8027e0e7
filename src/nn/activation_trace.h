#pragma once
// Named copies of the intermediate tensors of one forward pass, in the order the model computed
// them, each with a line saying what it is (in English and Turkish, the page's two languages) and
// which of the model's token sequences its rows run over: what `dikkat trace` walks and where
// `dikkat attention` finds its tables. A model records into one only when Model::inspect asks, so
// training and generation pay nothing for it.
//
// Shapes: (T, W) for a tensor with a row per position; (H, T, W) for one with a block of rows per
// attention head (queries, keys, values, scores and weights: (H, queries, keys)).
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace dikkat {

// The token sequences a model reads: a language model's text, or a translator's source sentence
// (input) and the target it writes (target).
enum class Sequence { kInput, kTarget };

// One line about a step, in English and in Turkish.
struct StepText {
  std::string en, tr;
};
StepText operator+(const StepText& a, const StepText& b);

class ActivationTrace {
 public:
  struct Entry {
    std::string name;
    Tensor value;
    StepText text;
    Sequence rows = Sequence::kInput;  // what the rows (of each head's block) are positions of
  };

  void add(std::string name, Tensor value, StepText text, Sequence rows);

  const std::vector<Entry>& entries() const { return entries_; }
  const Entry* find_entry(const std::string& name) const;
  const Tensor* find(const std::string& name) const;
  const Tensor& at(const std::string& name) const;  // Error when the trace has no such entry

 private:
  std::vector<Entry> entries_;
};

// Where a part of a model records: the trace (null: nothing is recorded), the prefix of its
// entries' names ("h.2.", "decoder.h.0."), the words that begin their descriptions ("block 3: "),
// and the sequence their rows run over. Every tensor is taken from batch row 0 (a trace follows
// one sequence).
struct TraceScope {
  ActivationTrace* trace = nullptr;
  std::string prefix;
  StepText label;
  Sequence rows = Sequence::kInput;

  explicit operator bool() const { return trace != nullptr; }
  // The same trace, one level further in: names gain `prefix`, descriptions `label`.
  TraceScope nested(const std::string& more_prefix, const StepText& more_label) const;
  // value (1, T, W) or (T, W) -> entry (T, W).
  void rows_of(const std::string& name, const Tensor& value, const StepText& text) const;
  // Columns [first, first + heads * head_size) of a (1, T, stride) tensor, split into heads:
  // (H, T, head_size).
  void heads_of(const std::string& name, const Tensor& value, int64_t first, int64_t heads,
                int64_t head_size, const StepText& text) const;
  // A tensor recorded as it is.
  void whole(const std::string& name, Tensor value, const StepText& text) const;
};

}  // namespace dikkat
