#include "tensor/parallel.h"

#include <cblas.h>
#include <immintrin.h>
#include <omp.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace dikkat {

namespace {

// The state of the current loop is one 64-bit word: which loop (32 bits), how many chunks it
// has and how many have been taken (16 bits each). Taking a chunk is a compare-and-swap on the
// word, so a worker that read the word of a loop that has since ended cannot take a chunk of it.
struct Word {
  static uint64_t pack(uint64_t loop, uint64_t chunks, uint64_t taken) {
    return (loop << 32) | (chunks << 16) | taken;
  }
  static uint64_t chunks(uint64_t w) { return (w >> 16) & 0xffff; }
  static uint64_t taken(uint64_t w) { return w & 0xffff; }
};

// How long a worker keeps looking for the next loop before it sleeps: the gaps between the
// loops of a training step are microseconds, a futex wake-up costs tens of them.
constexpr auto kWorkerSpin = std::chrono::microseconds(200);

thread_local bool in_chunk = false;

// OpenMP's thread count is a per-thread setting (a thread that never set it reads the number of
// cores), and OpenBLAS and oneDNN read it on the thread that calls them.
void use_one_library_thread() {
  thread_local bool done = false;
  if (done) return;
  omp_set_num_threads(1);
  openblas_set_num_threads(1);
  done = true;
}

class Pool {
 public:
  static Pool& global() {
    static Pool* pool = new Pool;  // never destroyed: workers may still sleep at exit
    return *pool;
  }

  void set_threads(int threads) {
    std::lock_guard lock(caller_);
    threads_ = std::max(threads, 1);
  }
  int threads() const { return threads_; }
  std::mutex& caller_mutex() { return caller_; }

  // Called with caller_mutex() held.
  void run(int64_t n, int64_t chunks, parallel_detail::ChunkFn fn, const void* body) {
    while (int(workers_.size()) < threads_.load() - 1)
      workers_.emplace_back([this, id = int(workers_.size()) + 1] { work_loop(id); });
    n_ = n;
    fn_ = fn;
    body_ = body;
    chunks = std::min<int64_t>(chunks, 0xffff);
    done_.store(0, std::memory_order_relaxed);
    ++loop_;
    word_.store(Word::pack(loop_, uint64_t(chunks), 0), std::memory_order_release);
    posted_.fetch_add(1);  // sequentially consistent with sleepers_, so no sleeper is missed
    if (sleepers_.load() > 0) posted_.notify_all();
    take_chunks();
    wait_for_chunks(chunks);
  }

 private:
  // Runs chunks of the current loop until none is left to take.
  void take_chunks() {
    uint64_t w = word_.load(std::memory_order_acquire);
    while (Word::taken(w) < Word::chunks(w)) {
      if (!word_.compare_exchange_weak(w, w + 1, std::memory_order_acq_rel,
                                       std::memory_order_acquire))
        continue;  // w now holds the current word
      // Taken: the loop cannot end before this chunk is done, so n_, fn_ and body_ are its own.
      const int64_t chunk = int64_t(Word::taken(w)), chunks = int64_t(Word::chunks(w));
      const int64_t begin = n_ * chunk / chunks, end = n_ * (chunk + 1) / chunks;
      in_chunk = true;
      fn_(body_, begin, end);
      in_chunk = false;
      done_.fetch_add(1, std::memory_order_release);
      w = word_.load(std::memory_order_acquire);
    }
  }

  // Only chunks that have been taken are left: wait for the threads running them.
  void wait_for_chunks(int64_t chunks) {
    for (int64_t spins = 0; done_.load(std::memory_order_acquire) != chunks; ++spins) {
      if (spins < 4096)
        _mm_pause();
      else
        std::this_thread::yield();  // the thread we wait for may need this core
    }
  }

  void work_loop(int id) {
    use_one_library_thread();
    uint32_t seen = posted_.load(std::memory_order_acquire);
    for (;;) {
      const auto spin_until = std::chrono::steady_clock::now() + kWorkerSpin;
      int64_t spins = 0;
      while (posted_.load(std::memory_order_acquire) == seen) {
        _mm_pause();
        if (++spins % 64 == 0 && std::chrono::steady_clock::now() > spin_until) {
          sleepers_.fetch_add(1);
          posted_.wait(seen);
          sleepers_.fetch_sub(1);
        }
      }
      seen = posted_.load(std::memory_order_acquire);
      if (id < threads_.load(std::memory_order_relaxed)) take_chunks();  // else surplus: stays out
    }
  }

  std::mutex caller_;  // one thread hands out work at a time
  std::atomic<int> threads_{std::max(omp_get_num_procs(), 1)};
  std::vector<std::thread> workers_;
  // The current loop, written by the caller before it publishes word_.
  int64_t n_ = 0;
  parallel_detail::ChunkFn fn_ = nullptr;
  const void* body_ = nullptr;
  uint64_t loop_ = 0;
  std::atomic<uint64_t> word_{0};
  std::atomic<int64_t> done_{0};
  std::atomic<uint32_t> posted_{0};  // bumped for every loop; workers sleep on it
  std::atomic<int> sleepers_{0};
};

}  // namespace

void set_thread_count(int threads) { Pool::global().set_threads(threads); }

int thread_count() { return Pool::global().threads(); }

void use_one_library_thread_here() { use_one_library_thread(); }

namespace parallel_detail {

bool may_spread() { return !in_chunk && thread_count() > 1; }

void run_chunks(int64_t n, int64_t chunks, ChunkFn fn, const void* body) {
  Pool& pool = Pool::global();
  std::unique_lock lock(pool.caller_mutex(), std::try_to_lock);
  if (!lock.owns_lock()) {  // another thread's loop is running: this one runs alone
    fn(body, 0, n);
    return;
  }
  pool.run(n, chunks, fn, body);
}

}  // namespace parallel_detail

}  // namespace dikkat
