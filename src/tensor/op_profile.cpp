#include "tensor/op_profile.h"

#include <cstdio>

namespace dikkat {

const char* op_class_name(OpClass c) {
  switch (c) {
    case OpClass::kMatmul:
      return "matmul (linear)";
    case OpClass::kAttention:
      return "attention";
    case OpClass::kRecurrent:
      return "recurrent (GRU/LSTM)";
    case OpClass::kLayerNorm:
      return "layernorm";
    case OpClass::kActivation:
      return "activation";
    case OpClass::kElementwise:
      return "elementwise";
    case OpClass::kEmbedding:
      return "embedding";
    case OpClass::kLoss:
      return "cross-entropy";
    case OpClass::kOptimizer:
      return "optimizer";
    case OpClass::kData:
      return "data";
    case OpClass::kCount:
      break;
  }
  return "?";
}

OpProfile& OpProfile::global() {
  static OpProfile profile;
  return profile;
}

std::string OpProfile::report(double step_seconds) const {
  std::string out = "time per op class (forward + backward), share of the training steps:\n";
  char line[96];
  double accounted = 0.0;
  for (size_t i = 0; i < seconds_.size(); ++i) {
    accounted += seconds_[i];
    std::snprintf(line, sizeof line, "  %-18s %9.3f s %6.1f%%\n", op_class_name(OpClass(i)),
                  seconds_[i], step_seconds > 0 ? 100.0 * seconds_[i] / step_seconds : 0.0);
    out += line;
  }
  const double rest = step_seconds - accounted;
  std::snprintf(line, sizeof line, "  %-18s %9.3f s %6.1f%%\n", "other (graph, alloc)", rest,
                step_seconds > 0 ? 100.0 * rest / step_seconds : 0.0);
  out += line;
  return out;
}

}  // namespace dikkat
