#pragma once
// Dropout masks from a counter-based generator: element i is kept or dropped by a hash of
// (key, i), so a mask fills in parallel, vectorises, and still depends only on the key (one draw
// from the run's dropout stream per mask), never on the thread count. A Mersenne Twister drawn
// serially, one number per element, took a third of a step at context 256.
#include <cstdint>

namespace dikkat {

// mask[i] = 0 with probability p, else 1 / (1 - p) (inverted dropout's scale), for elements
// first .. first + n - 1 of the mask `key` names (first > 0: a data-parallel rank's rows of it).
void fill_dropout_mask(uint64_t key, float p, float* mask, int64_t n, int64_t first = 0);
// Elements first .. first + n - 1 of the same mask, on the calling thread: a piece of a mask too
// large to keep (flash attention regenerates each tile's mask when it needs it).
void dropout_mask_span(uint64_t key, float p, int64_t first, float* mask, int64_t n);

}  // namespace dikkat
