#pragma once
// One text's path through the model, taken from the generation code path (the model's
// IncrementalDecoder), plus the attention scores a reader wants to see before the softmax.
#include <cmath>
#include <cstdint>
#include <span>

#include "nn/activation_trace.h"
#include "nn/model.h"

namespace dikkat {

// Runs `ids` (1 .. context tokens) through a fresh decoder with a trace, then adds for each
// layer i, derived from that layer's recorded Q and K exactly as the attention kernel computes
// them:
//   h.<i>.attn.scores  (H,T,T) q_t . k_s for every cell, future ones included
//   h.<i>.attn.scaled  (H,T,T) scores / sqrt(head_size)
//   h.<i>.attn.masked  (H,T,T) scaled, with -infinity above the diagonal (the causal mask)
// Each set is inserted just before the layer's attn.weights, so entries stay in the model's order.
ActivationTrace trace_forward(const Model& model, std::span<const int32_t> ids);

}  // namespace dikkat
