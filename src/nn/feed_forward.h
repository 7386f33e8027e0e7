#pragma once
// The position-wise feed-forward network of a transformer block: fc (F, C), the activation (its
// bias fused in), proj (C, F). Traced under the caller's scope (e.g. "h.0.mlp."): fc (T,F) before
// the activation, act (T,F), proj (T,C).
#include <cstdint>
#include <string>

#include "nn/activation_trace.h"
#include "nn/linear_layer.h"
#include "tensor/ops.h"

namespace dikkat {

class FeedForward {
 public:
  FeedForward() = default;
  // Parameters "<fc>.weight" (F, C), "<fc>.bias", "<proj>.weight" (C, F), "<proj>.bias".
  FeedForward(const AddParameter& add, const std::string& fc, const std::string& proj,
              int64_t channels, int64_t width, bool bias, Activation activation);

  // x (B,T,C) -> (B,T,C), before dropout.
  Var forward(Graph& g, const Var& x, const TraceScope& scope) const;

 private:
  LinearLayer fc_, proj_;
  Activation activation_ = Activation::kGelu;
};

}  // namespace dikkat
