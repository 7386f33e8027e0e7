#pragma once
// The trace as a drawing: every step of a forward trace from top to bottom, each a small heatmap
// with one row per token (per head for per-head steps) and its values printed in the cells, then
// the next-token probabilities as bars. It draws what the terminal form shows: the first `dims`
// values of each row.
#include <cstdint>
#include <string>
#include <vector>

#include "inspect/next_token.h"
#include "nn/activation_trace.h"

namespace dikkat {

struct TraceFigure {
  std::string title;
  std::vector<std::string> token_labels;
  std::vector<std::string> step_titles;  // one per trace entry: "h.0.ln_1 block 1: LayerNorm 1"
  std::vector<NextToken> next;
  int64_t dims = 8;
  // Row labels per trace entry, where they differ between entries (an encoder-decoder's source
  // and target positions); empty: token_labels for every entry.
  std::vector<std::vector<std::string>> step_labels;
};

// One <g class="cells"> of <rect>s per panel (a step, or a head of a per-head step).
// Signed values use the diverging scale centred on 0, softmax weights the sequential one;
// the mask's -inf cells are left empty over a hatch.
std::string trace_svg(const ActivationTrace& trace, const TraceFigure& figure);

}  // namespace dikkat
