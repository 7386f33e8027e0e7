#pragma once
#include "tensor/tensor.h"

namespace dikkat {

// The fixed positional encoding of "Attention Is All You Need", (context, n_embd):
// column j of row p is sin(p / 10000^(2i/n_embd)) for even j and cos(...) for odd j, i = j / 2.
Tensor sinusoidal_positions(int64_t context, int64_t n_embd);

}  // namespace dikkat
