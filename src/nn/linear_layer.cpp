#include "nn/linear_layer.h"

#include "tensor/ops.h"

namespace dikkat {

LinearLayer LinearLayer::make(const AddParameter& add, const std::string& weight_name,
                              const std::string& bias_name, int64_t out, int64_t in, bool has_bias,
                              ParamRole role) {
  LinearLayer l;
  l.weight = add(weight_name, {out, in}, role);
  if (has_bias) l.bias = add(bias_name, {out}, ParamRole::kBias);
  return l;
}

LinearLayer LinearLayer::named(const AddParameter& add, const std::string& name, int64_t out,
                               int64_t in, bool has_bias, ParamRole role) {
  return make(add, name + ".weight", name + ".bias", out, in, has_bias, role);
}

Var LinearLayer::operator()(Graph& g, const Var& x) const { return linear(g, x, weight, bias); }

}  // namespace dikkat
