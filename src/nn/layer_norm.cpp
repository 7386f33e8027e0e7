#include "nn/layer_norm.h"

#include "tensor/ops.h"

namespace dikkat {

LayerNorm LayerNorm::make(const AddParameter& add, const std::string& name, int64_t channels,
                          bool has_bias, float eps) {
  LayerNorm n;
  n.weight = add(name + ".weight", {channels}, ParamRole::kNormWeight);
  if (has_bias) n.bias = add(name + ".bias", {channels}, ParamRole::kNormBias);
  n.eps = eps;
  return n;
}

Var LayerNorm::operator()(Graph& g, const Var& x) const {
  return layernorm(g, x, weight, bias, eps);
}

}  // namespace dikkat
