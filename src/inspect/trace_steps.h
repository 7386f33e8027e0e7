#pragma once
// What each entry of a forward trace is, in words, for the trace command's headings.
#include <string>

#include "nn/model_config.h"

namespace dikkat {

// "h.2.attn.q" -> "block 3: queries Q, per head" for the model `model` describes; names follow
// activation_trace.h, forward_trace.h, nn/seq2seq.h and nn/rnn.h. Unknown names come back as
// they are.
std::string describe_trace_step(const std::string& name, const ModelConfig& model);

}  // namespace dikkat
