#pragma once
// dikkat's own worker threads: every parallel loop, matrix multiply included, runs through
// parallel_for. Why not OpenMP's teams: a team's barrier waits for every thread of the team,
// and on a machine that is also running a browser or a second training the kernel deschedules
// one of them for a whole time slice, so each of the thousands of small parallel regions of a
// training step waited milliseconds (the demo ran 50x slower beside two busy processes). Here
// the thread that calls parallel_for works through the chunks itself and only ever waits for a
// chunk another thread has already started: a worker that is late, asleep or descheduled simply
// finds no work left. Small loops run inline without waking anybody, which is also what keeps a
// 248-parameter model on one thread.
//
// OpenBLAS and oneDNN (both on OpenMP) are told to use one thread on each thread that calls
// them: their kernels run per block of rows (tensor/gemm.h) instead of in teams of their own.
#include <algorithm>
#include <cstdint>

namespace dikkat {

// The caller plus threads - 1 workers (default: one per core; workers start on the first loop
// that needs them, surplus ones after a lower count stay out of the work).
void set_thread_count(int threads);
int thread_count();

namespace parallel_detail {
using ChunkFn = void (*)(const void* body, int64_t begin, int64_t end);
// Splits [0, n) into `chunks` near-equal ranges and runs them on the caller and the workers;
// returns once every range has run.
void run_chunks(int64_t n, int64_t chunks, ChunkFn fn, const void* body);
// Whether this thread may hand work to the workers: not from inside a chunk (the loop runs
// inline there) and not with one thread. (run_chunks also runs a loop alone while another
// thread's loop has the workers.)
bool may_spread();
}  // namespace parallel_detail

// Call before calling BLAS or oneDNN from a thread: they then run on it alone (the first call
// on a thread sets OpenMP's per-thread count to one; later calls cost a branch).
void use_one_library_thread_here();

// Chunks per thread: more chunks even out threads that the kernel slows down, fewer cost less.
inline constexpr int64_t kChunksPerThread = 4;

// body(begin, end) over [0, n) in ranges of at least `grain` items (one range inline when the
// work is smaller than two grains, on one thread, or nested inside another parallel_for). The
// ranges never depend on timing, only on n, grain and the thread count; callers whose results
// must not depend on the thread count either (sums) keep their own fixed blocks.
template <typename Body>
void parallel_for(int64_t n, int64_t grain, const Body& body) {
  if (n <= 0) return;
  const int64_t by_grain = n / std::max<int64_t>(grain, 1);
  const int64_t chunks = std::min(by_grain, int64_t(thread_count()) * kChunksPerThread);
  if (chunks < 2 || !parallel_detail::may_spread()) {
    body(int64_t(0), n);
    return;
  }
  parallel_detail::run_chunks(
      n, chunks,
      [](const void* b, int64_t begin, int64_t end) { (*static_cast<const Body*>(b))(begin, end); },
      &body);
}

// body(i) for each i in [0, n), where each i is about `cost` elementary operations; loops
// cheaper than kParallelMinOps in all run inline.
inline constexpr int64_t kParallelMinOps = 1 << 15;

template <typename Body>
void parallel_for_each(int64_t n, int64_t cost, const Body& body) {
  const int64_t grain = std::max<int64_t>(1, kParallelMinOps / std::max<int64_t>(cost, 1));
  parallel_for(n, grain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) body(i);
  });
}

}  // namespace dikkat
