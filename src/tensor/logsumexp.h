#pragma once
// log sum_j exp(x_j) of one row, stable (the row's maximum taken out first) and vectorised: the
// vocabulary-wide rows of a loss or of a beam search's next-token log probabilities.
#include <cstdint>

namespace dikkat {

float logsumexp(const float* x, int64_t n);

// sum_j x_j, in float lanes.
float row_sum(const float* x, int64_t n);

}  // namespace dikkat
