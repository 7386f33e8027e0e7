#include "nn/feed_forward.h"

namespace dikkat {

namespace {

const char* activation_name(Activation activation) {
  switch (activation) {
    case Activation::kGelu:
      return "GELU";
    case Activation::kRelu:
      return "ReLU";
    case Activation::kTanh:
      return "tanh";
  }
  return "?";
}

// A traced (B,T,F) pre-activation of row 0 as (T,F), with the bias the fused op adds.
Tensor rows_plus_bias(const Tensor& x, const Var& bias) {
  const int64_t n = x.shape.size() == 3 ? x.size(1) : x.size(0), f = x.size(-1);
  Tensor out = Tensor::uninitialized({n, f});
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < f; ++j)
      out.data[r * f + j] = x.data[r * f + j] + (bias ? bias->value.data[j] : 0.0f);
  return out;
}

}  // namespace

FeedForward::FeedForward(const AddParameter& add, const std::string& fc, const std::string& proj,
                         int64_t channels, int64_t width, bool bias, Activation activation)
    : activation_(activation) {
  fc_ = LinearLayer::make(add, fc + ".weight", fc + ".bias", width, channels, bias,
                          ParamRole::kWeight);
  proj_ = LinearLayer::named(add, proj, channels, width, bias, ParamRole::kResidualProjection);
}

Var FeedForward::forward(Graph& g, const Var& x, const TraceScope& scope) const {
  Var pre = linear(g, x, fc_.weight, nullptr);
  Var h = bias_activation(g, pre, fc_.bias, activation_);
  if (scope) {
    scope.whole("fc", rows_plus_bias(pre->value, fc_.bias),
                {"feed-forward hidden layer, before the activation",
                 "ileri beslemeli gizli katman, etkinleştirmeden önce"});
    const std::string act = activation_name(activation_);
    scope.rows_of("act", h->value,
                  {"feed-forward hidden layer after " + act,
                   act + " sonrası ileri beslemeli gizli katman"});
  }
  Var y = proj_(g, h);
  scope.rows_of("proj", y->value, {"feed-forward output", "ileri beslemeli ağın çıktısı"});
  return y;
}

}  // namespace dikkat
