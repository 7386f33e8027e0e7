#include "nn/parameter.h"

#include <algorithm>

namespace dikkat {

bool Parameter::decays() const {
  switch (role) {
    case ParamRole::kEmbedding:
    case ParamRole::kPositions:
    case ParamRole::kWeight:
    case ParamRole::kResidualProjection:
      return true;
    case ParamRole::kBias:
    case ParamRole::kNormWeight:
    case ParamRole::kNormBias:
      return false;
  }
  return false;
}

void init_parameters(const std::vector<Parameter>& params, std::mt19937_64& rng,
                     const InitScales& scales) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (const auto& p : params) {
    auto& data = p.var->value.data;
    switch (p.role) {
      case ParamRole::kNormWeight:
        std::fill(data.begin(), data.end(), 1.0f);
        break;
      case ParamRole::kBias:
      case ParamRole::kNormBias:
        std::fill(data.begin(), data.end(), 0.0f);
        break;
      case ParamRole::kResidualProjection:
        for (float& x : data) x = normal(rng) * scales.residual_std;
        break;
      case ParamRole::kEmbedding:
        for (float& x : data) x = normal(rng) * scales.embedding_std;
        break;
      case ParamRole::kPositions:
      case ParamRole::kWeight:
        for (float& x : data) x = normal(rng) * scales.std;
        break;
    }
  }
}

}  // namespace dikkat
