#pragma once
#include <string>

#include "nn/model_config.h"
#include "nn/parameter.h"
#include "tensor/tensor.h"

namespace dikkat {

// The fixed positional encoding of "Attention Is All You Need", (context, n_embd):
// column j of row p is sin(p / 10000^(2i/n_embd)) for even j and cos(...) for odd j, i = j / 2.
Tensor sinusoidal_positions(int64_t context, int64_t n_embd);

// A model's position table (context, n_embd) as its config asks: a learned parameter `name`, or
// the fixed sinusoids.
Var make_positions(const AddParameter& add, const std::string& name, const ModelConfig& config);

}  // namespace dikkat
