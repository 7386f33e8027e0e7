#pragma once
// A model's trainable tensors, each with the role it plays, recorded when it is created.
// Initialisation and weight decay read the role, never the name.
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "tensor/graph.h"

namespace dikkat {

enum class ParamRole {
  kEmbedding,           // a token embedding table (V, C)
  kPositions,           // a learned position table (context, C)
  kWeight,              // a linear layer's (out, in) matrix
  kResidualProjection,  // a linear layer whose output is added to the residual stream
  kBias,                // a linear layer's bias
  kNormWeight,          // LayerNorm's gain
  kNormBias,            // LayerNorm's shift
};

struct Parameter {
  std::string name;
  Var var;
  ParamRole role;
  // Weight decay applies to matrices only (nanoGPT's rule: embeddings and linear weights).
  bool decays() const;
};

// How a layer creates its parameters inside a model (Model::add_parameter): the name they are saved
// under, the shape, the role.
using AddParameter =
    std::function<Var(const std::string& name, std::vector<int64_t> shape, ParamRole role)>;

// How init_parameters draws each role: GPT-2's scheme. Matrices and learned positions ~ N(0, std);
// token embeddings ~ N(0, embedding_std) (std for a GPT); residual projections
// ~ N(0, residual_std) (GPT-2 scales them by 1/sqrt(number of residual branches) so the residual
// stream's variance does not grow with depth); biases 0, LayerNorm gains 1 and shifts 0.
struct InitScales {
  float std;
  float residual_std;
  float embedding_std;  // token embedding tables
};

// Draws every parameter in order, so the same seed gives the same weights.
void init_parameters(const std::vector<Parameter>& params, std::mt19937_64& rng,
                     const InitScales& scales);

}  // namespace dikkat
