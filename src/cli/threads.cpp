#include "cli/threads.h"

#include <omp.h>

#include "tensor/parallel.h"

namespace dikkat {

void add_threads_option(CLI::App& cmd, int& threads) {
  threads = omp_get_num_procs();
  cmd.add_option("--threads", threads, "worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
}

void apply_threads(int threads) { set_thread_count(threads); }

}  // namespace dikkat
