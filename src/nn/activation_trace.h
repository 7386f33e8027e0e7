#pragma once
// Named copies of the intermediate tensors of one forward pass, in the order the model computed
// them: what `dikkat trace` and `dikkat attention` show. The decoder fills one only when asked, so
// generation pays nothing for it. Names (T positions, C channels, H heads of hs, F FFN width):
//   embed.token, embed.position, embed.sum (T,C)
//   h.<i>.ln_1 (T,C); h.<i>.attn.q|k|v (H,T,hs); h.<i>.attn.weights (H,T,past+T);
//   h.<i>.attn.heads (H,T,hs); h.<i>.attn.concat, .attn.proj, .residual_1 (T,C);
//   h.<i>.ln_2 (T,C, only with a second LayerNorm); h.<i>.mlp.fc, .mlp.act (T,F);
//   h.<i>.mlp.proj, .residual_2 (T,C); ln_f (T,C); logits (T,V)
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace dikkat {

class ActivationTrace {
 public:
  struct Entry {
    std::string name;
    Tensor value;
  };

  // Copies `rows` rows of `cols` floats, row r starting at data + r * stride, as a (rows, cols)
  // tensor.
  void add_rows(std::string name, const float* data, int64_t rows, int64_t cols, int64_t stride);
  // Splits the first n_head * hs columns of a (rows, stride) buffer into heads: (H, rows, hs).
  void add_heads(std::string name, const float* data, int64_t rows, int64_t stride, int64_t n_head,
                 int64_t hs);
  void add(std::string name, Tensor value);

  const std::vector<Entry>& entries() const { return entries_; }
  // Moves every entry out, leaving the trace empty (to rebuild one without copying tensors).
  std::vector<Entry> release() { return std::move(entries_); }
  const Tensor* find(const std::string& name) const;
  const Tensor& at(const std::string& name) const;  // Error when the trace has no such entry

 private:
  std::vector<Entry> entries_;
};

// Copies `value` as (rows, last dim) into `trace` when there is one: how a model records a
// traced (1,T,W) activation as (T,W).
void record_rows(ActivationTrace* trace, const std::string& name, const Tensor& value);

}  // namespace dikkat
