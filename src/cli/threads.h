#pragma once
#include <CLI/CLI.hpp>

namespace dikkat {

// Adds `--threads N` (default: every core) to `cmd`; apply_threads starts that many
// (tensor/parallel.h).
void add_threads_option(CLI::App& cmd, int& threads);
void apply_threads(int threads);

}  // namespace dikkat
