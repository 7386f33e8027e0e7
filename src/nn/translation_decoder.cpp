#include "nn/translation_decoder.h"

#include <algorithm>
#include <string>

#include "error.h"

namespace dikkat {

void check_decoder_start(std::span<const int32_t> source, std::span<const int32_t> lengths,
                         int64_t rows, int64_t time, int64_t context) {
  if (rows < 1 || int64_t(lengths.size()) != rows || int64_t(source.size()) != rows * time)
    throw Error("translation decoder: " + std::to_string(rows) + " rows need " +
                std::to_string(rows * time) + " source ids and " + std::to_string(rows) +
                " lengths");
  if (time > context)
    throw Error("translation decoder: a source of " + std::to_string(time) +
                " tokens exceeds the context of " + std::to_string(context));
}

void check_decoder_step(std::span<const int32_t> tokens, int64_t rows, int64_t length,
                        int64_t capacity, int64_t vocab) {
  if (rows == 0) throw Error("translation decoder: start() must come before step()");
  if (int64_t(tokens.size()) != rows)
    throw Error("translation decoder: " + std::to_string(tokens.size()) + " tokens for " +
                std::to_string(rows) + " rows");
  if (length >= capacity)
    throw Error("translation decoder: the target reached the context of " +
                std::to_string(capacity));
  check_token_ids(tokens, vocab);
}

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
