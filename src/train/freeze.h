#pragma once
// --freeze: parameter groups a run keeps fixed (for fine-tuning, train/fine_tune.h). A frozen
// parameter's Var needs no gradient, so the backward pass computes none for it; AdamW, gradient
// clipping and the non-finite check pass it by, so its value never changes and its AdamW moments
// stay zero (no update, no weight decay).
//
// Groups, comma-separated (`embeddings,blocks:2`):
//   embeddings  token embedding tables and learned position tables (by role: kEmbedding,
//               kPositions). A head tied to the token embedding is that same matrix, so it is
//               frozen too.
//   blocks:N    the first N blocks of every stack: a GPT's transformer.h.0 .. N-1, an
//               encoder-decoder's encoder.layers.* and decoder.layers.*, a recurrent stack's
//               layers l0 .. l(N-1) (the name rule is block_position in freeze.cpp). A stack with
//               fewer than N blocks is frozen whole.
//   head        the output layer's own weights and bias (lm_head.*, decoder.output_projection.*);
//               an error when the model has none (a tied head without a bias).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nn/model.h"

namespace dikkat {

// Which block of which stack a parameter belongs to, read from its name; nullopt for parameters
// outside every block (embeddings, final LayerNorms, the head).
struct BlockPosition {
  std::string stack;
  int64_t index;
};
std::optional<BlockPosition> block_position(const std::string& name);

// For each of model.parameters() in order, whether `spec` freezes it. An unknown group, a
// malformed blocks:N or an N beyond the model's blocks is an Error naming --freeze.
std::vector<bool> frozen_parameters(const std::string& spec, const Model& model);

struct FreezeCounts {
  int64_t trainable = 0, frozen = 0;  // scalars, not tensors
};
// Switches off requires_grad on the parameters `spec` freezes (an empty spec freezes nothing).
// A spec that freezes everything is an Error: such a run could only waste time.
FreezeCounts freeze_parameters(const std::string& spec, const Model& model);

}  // namespace dikkat
