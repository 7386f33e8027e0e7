#pragma once
// LayerNorm's parameters: a gain and (optionally) a shift per channel. An empty LayerNorm (no
// gain) stands for a place where a block has none.
#include <cstdint>
#include <string>

#include "nn/parameter.h"
#include "tensor/graph.h"

namespace dikkat {

struct LayerNorm {
  Var weight, bias;  // (C); bias null without one; weight null: no LayerNorm here
  float eps = 1e-5f;

  // Parameters "<name>.weight" and, when `has_bias`, "<name>.bias".
  static LayerNorm make(const AddParameter& add, const std::string& name, int64_t channels,
                        bool has_bias, float eps);
  explicit operator bool() const { return weight != nullptr; }
  Var operator()(Graph& g, const Var& x) const;
};

}  // namespace dikkat
