#include "nn/positions.h"

#include <cmath>

namespace dikkat {

Tensor sinusoidal_positions(int64_t context, int64_t n_embd) {
  Tensor table({context, n_embd});
  for (int64_t p = 0; p < context; ++p) {
    for (int64_t j = 0; j < n_embd; ++j) {
      const double angle = double(p) / std::pow(10000.0, double(2 * (j / 2)) / double(n_embd));
      table.data[p * n_embd + j] = float(j % 2 == 0 ? std::sin(angle) : std::cos(angle));
    }
  }
  return table;
}

Var make_positions(const AddParameter& add, const std::string& name, const ModelConfig& c) {
  if (c.positions == Positions::kLearned) return add(name, {c.context, c.n_embd}, ParamRole::kPositions);
  return make_var(sinusoidal_positions(c.context, c.n_embd), false);
}

}  // namespace dikkat
