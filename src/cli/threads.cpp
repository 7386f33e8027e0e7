#include "cli/threads.h"

#include <cblas.h>
#include <omp.h>

namespace dikkat {

void add_threads_option(CLI::App& cmd, int& threads) {
  threads = omp_get_num_procs();
  cmd.add_option("--threads", threads, "worker threads for OpenMP and BLAS (default: all cores)")
      ->check(CLI::Range(1, 1024));
}

void apply_threads(int threads) {
  omp_set_num_threads(threads);
  openblas_set_num_threads(threads);
}

}  // namespace dikkat
