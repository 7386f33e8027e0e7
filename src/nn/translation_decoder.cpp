#include "nn/translation_decoder.h"

#include <algorithm>

namespace dikkat {

Var select_batch_rows(const Var& from, std::span<const int32_t> keep) {
  if (!from) return nullptr;
  const int64_t per_row = from->value.numel() / from->value.size(0);
  std::vector<int64_t> shape = from->value.shape;
  shape[0] = int64_t(keep.size());
  Var out = make_var(Tensor::uninitialized(shape), false);
  for (size_t r = 0; r < keep.size(); ++r)
    std::copy_n(from->value.ptr() + keep[r] * per_row, per_row, out->value.ptr() + r * per_row);
  return out;
}

}  // namespace dikkat
