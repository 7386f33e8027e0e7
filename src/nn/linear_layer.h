#pragma once
// A linear layer's parameters, y = x Wᵀ + b, W (out, in) as PyTorch stores it.
#include <cstdint>
#include <string>

#include "nn/parameter.h"
#include "tensor/graph.h"

namespace dikkat {

struct LinearLayer {
  Var weight, bias;  // bias null when the layer has none

  // Parameters `weight_name` (out, in) with `role` and, when `has_bias`, `bias_name` (out).
  static LinearLayer make(const AddParameter& add, const std::string& weight_name,
                          const std::string& bias_name, int64_t out, int64_t in, bool has_bias,
                          ParamRole role);
  // The same named "<name>.weight" and "<name>.bias".
  static LinearLayer named(const AddParameter& add, const std::string& name, int64_t out,
                           int64_t in, bool has_bias, ParamRole role);
  Var operator()(Graph& g, const Var& x) const;
};

}  // namespace dikkat
