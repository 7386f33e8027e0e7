#pragma once
// What a data-parallel step adds to one process's step (docs/distributed.md): every rank draws
// the same global batch and trains on its own slice of rows; the loss and the gradients are then
// averaged over the ranks, each weighted by its share of the global batch's target tokens, so the
// result is the one-process step's up to the order of float sums.
#include <cstdint>
#include <vector>

#include "nn/model.h"
#include "nn/parameter.h"
#include "train/distributed.h"

namespace dikkat {

struct RowRange {
  int64_t first = 0, count = 0;
};
// Rank `rank` of `ranks`'s rows of a batch of `rows`: consecutive, as equal as can be (the first
// rows % ranks ranks take one more).
RowRange rank_rows(int64_t rows, int rank, int ranks);

// Rows [first, first + count) of `batch` (every field sliced alike).
Batch slice_rows(const Batch& batch, RowRange range);

// grad = sum over ranks of weight_r * grad_r for every parameter that trains, in buckets of
// about 4 MiB in parameter order (the same order and sizes on every rank, so the sums are the
// same on every rank and in every run). Returns the seconds spent in the allreduce calls.
double allreduce_gradients(Distributed& world, const std::vector<Parameter>& params,
                           float weight);

}  // namespace dikkat
