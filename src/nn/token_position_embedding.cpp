#include "nn/token_position_embedding.h"

#include <algorithm>

#include "tensor/ops.h"

namespace dikkat {

Var TokenPositionEmbedding::forward(Graph& g, std::span<const int32_t> ids, int64_t rows,
                                    int64_t time, int64_t first_position,
                                    const TraceScope& scope) const {
  Var tokens = embedding(g, tokens_, ids, {rows, time}, scale_);
  Var x = add_rows(g, tokens, positions_, first_position);
  if (scope) {
    scope.rows_of("embed.token", tokens->value,
                  scale_ == 1.0f
                      ? StepText{"token embeddings (rows of the embedding table)",
                                 "belirteç gömmeleri (gömme tablosunun satırları)"}
                      : StepText{"token embeddings × √n_embd", "belirteç gömmeleri × √n_embd"});
    const int64_t C = positions_->value.size(1);
    Tensor positions = Tensor::uninitialized({time, C});
    std::copy_n(positions_->value.ptr() + first_position * C, time * C, positions.ptr());
    scope.whole("embed.position", std::move(positions),
                {"positional encodings", "konum kodlamaları"});
    scope.rows_of("embed.sum", x->value,
                  {"token embedding + position: the input of block 1",
                   "belirteç gömmesi + konum: 1. bloğun girdisi"});
  }
  return x;
}

}  // namespace dikkat
