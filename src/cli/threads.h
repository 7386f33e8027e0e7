#pragma once
#include <CLI/CLI.hpp>

namespace dikkat {

// Adds `--threads N` (default: every core) to `cmd`; apply_threads sets OpenMP and OpenBLAS.
void add_threads_option(CLI::App& cmd, int& threads);
void apply_threads(int threads);

}  // namespace dikkat
