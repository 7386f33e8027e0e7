#pragma once
// A transformer's input: each token's row of the embedding table (times `scale`: "Attention Is
// All You Need" multiplies by √n_embd) plus its position's row of a learned or fixed sinusoidal
// table. Traced under the caller's scope: embed.token, embed.position, embed.sum (T,C).
#include <cstdint>
#include <span>

#include "nn/activation_trace.h"
#include "tensor/graph.h"

namespace dikkat {

class TokenPositionEmbedding {
 public:
  TokenPositionEmbedding() = default;
  // tokens (V,C); positions (context, C), a parameter or a fixed table.
  TokenPositionEmbedding(Var tokens, Var positions, float scale)
      : tokens_(std::move(tokens)), positions_(std::move(positions)), scale_(scale) {}

  // ids (B,T) at positions first_position .. first_position + T - 1 -> (B,T,C)
  Var forward(Graph& g, std::span<const int32_t> ids, int64_t rows, int64_t time,
              int64_t first_position, const TraceScope& scope) const;
  const Var& tokens() const { return tokens_; }
  const Var& positions() const { return positions_; }

 private:
  Var tokens_, positions_;
  float scale_ = 1.0f;
};

}  // namespace dikkat
