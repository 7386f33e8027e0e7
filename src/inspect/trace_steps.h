#pragma once
// What each entry of a forward trace is, in words, for the trace command's headings.
#include <string>

#include "tensor/ops.h"

namespace dikkat {

// "h.2.attn.q" -> "block 3: queries Q, per head"; names follow activation_trace.h and
// forward_trace.h. Unknown names come back as they are.
std::string describe_trace_step(const std::string& name, Activation activation);

}  // namespace dikkat
