// dikkat's worker threads: every index of a parallel loop runs once, whatever the thread count,
// nesting or a second calling thread; the blocked sgemm equals the plain product; and a loop
// never waits for a worker that is busy elsewhere (the property that keeps training going on a
// machine whose other cores are taken).
#include "tensor/parallel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <thread>
#include <tuple>
#include <vector>

#include "tensor/gemm.h"

namespace dikkat {
namespace {

// Restores the thread count a test changes.
class ThreadCount {
 public:
  explicit ThreadCount(int threads) : before_(thread_count()) { set_thread_count(threads); }
  ~ThreadCount() { set_thread_count(before_); }

 private:
  int before_;
};

std::vector<int> visits(int64_t n, int64_t grain) {
  std::vector<std::atomic<int>> seen(static_cast<size_t>(n));
  parallel_for(n, grain, [&](int64_t begin, int64_t end) {
    ASSERT_LE(0, begin);
    ASSERT_LT(begin, end);
    ASSERT_LE(end, n);
    for (int64_t i = begin; i < end; ++i) seen[size_t(i)].fetch_add(1);
  });
  std::vector<int> counts;
  for (auto& s : seen) counts.push_back(s.load());
  return counts;
}

TEST(ParallelFor, RunsEveryIndexOnceForAnyThreadCountAndGrain) {
  for (int threads : {1, 2, 3, 8}) {
    ThreadCount count(threads);
    for (int64_t n : {1, 2, 7, 64, 1000, 100003})
      for (int64_t grain : {1, 3, 64, 1 << 20}) {
        const std::vector<int> counts = visits(n, grain);
        ASSERT_EQ(counts, std::vector<int>(size_t(n), 1))
            << threads << " threads, n " << n << ", grain " << grain;
      }
  }
}

TEST(ParallelFor, SpreadsLargeLoopsOverTheWorkers) {
  ThreadCount count(2);
  std::mutex mutex;
  std::vector<std::thread::id> ids;
  // Several loops: in any one of them the caller may take every chunk before a worker wakes.
  for (int loop = 0; loop < 200 && ids.size() < 2; ++loop)
    parallel_for(64, 1, [&](int64_t, int64_t) {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
      std::lock_guard lock(mutex);
      if (std::find(ids.begin(), ids.end(), std::this_thread::get_id()) == ids.end())
        ids.push_back(std::this_thread::get_id());
    });
  EXPECT_EQ(ids.size(), 2u) << "a second thread never took a chunk";
}

TEST(ParallelFor, SmallLoopsRunInlineOnTheCaller) {
  ThreadCount count(4);
  const auto caller = std::this_thread::get_id();
  int ranges = 0;
  parallel_for(100, 64, [&](int64_t begin, int64_t end) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    EXPECT_EQ(begin, 0);
    EXPECT_EQ(end, 100);
    ++ranges;
  });
  EXPECT_EQ(ranges, 1);
}

TEST(ParallelFor, NestedLoopsRunInsideTheirChunk) {
  ThreadCount count(3);
  std::vector<std::atomic<int>> seen(64 * 50);
  parallel_for(64, 1, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const auto outer = std::this_thread::get_id();
      parallel_for(50, 1, [&](int64_t b, int64_t e) {
        EXPECT_EQ(std::this_thread::get_id(), outer);
        for (int64_t j = b; j < e; ++j) seen[size_t(i * 50 + j)].fetch_add(1);
      });
    }
  });
  for (auto& s : seen) ASSERT_EQ(s.load(), 1);
}

TEST(ParallelFor, TwoCallingThreadsEachGetEveryIndex) {
  ThreadCount count(2);
  auto run = [] {
    for (int round = 0; round < 200; ++round) {
      const std::vector<int> counts = visits(5000, 10);
      ASSERT_EQ(counts, std::vector<int>(5000, 1));
    }
  };
  std::thread other(run);
  run();
  other.join();
}

// One thread's loop held up inside a chunk (a request of the server, say): another thread's loops
// run alone meanwhile instead of queueing behind it.
TEST(ParallelFor, ALoopDoesNotWaitForAnotherThreadsLoop) {
  ThreadCount count(2);
  std::atomic<bool> release{false}, held{false};
  std::thread holder([&] {
    // This thread's loop: whichever thread takes chunk 0 is held in it.
    parallel_for(2, 1, [&](int64_t begin, int64_t) {
      if (begin == 0) {
        held = true;
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
  });
  while (!held) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // The workers belong to the holder's loop until it ends: this thread's loops run alone.
  const auto start = std::chrono::steady_clock::now();
  for (int loop = 0; loop < 100; ++loop) ASSERT_EQ(visits(1000, 1), std::vector<int>(1000, 1));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  release = true;
  holder.join();
  EXPECT_LT(seconds, 5.0) << "loops waited for the other thread's loop";
}

// Row-major reference product.
std::vector<float> reference_product(bool ta, bool tb, int64_t m, int64_t n, int64_t k,
                                     const std::vector<float>& a, const std::vector<float>& b,
                                     const std::vector<float>& c, float alpha, float beta) {
  std::vector<float> out(size_t(m * n));
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0.0;
      for (int64_t p = 0; p < k; ++p)
        sum += double(ta ? a[size_t(p * m + i)] : a[size_t(i * k + p)]) *
               double(tb ? b[size_t(j * k + p)] : b[size_t(p * n + j)]);
      out[size_t(i * n + j)] = float(alpha * sum + beta * c[size_t(i * n + j)]);
    }
  return out;
}

TEST(Sgemm, BlocksEqualThePlainProductForEveryLayout) {
  std::mt19937 rng(11);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  auto random = [&](int64_t size) {
    std::vector<float> v(static_cast<size_t>(size));
    for (float& x : v) x = normal(rng);
    return v;
  };
  for (int threads : {1, 3}) {
    ThreadCount count(threads);
    // Tall, wide, and shapes that are not multiples of the block tile.
    for (auto [m, n, k] : {std::tuple<int64_t, int64_t, int64_t>{517, 45, 300},
                           {37, 611, 290},
                           {256, 256, 64},
                           {1, 300, 7}})
      for (bool ta : {false, true})
        for (bool tb : {false, true}) {
          const auto a = random(m * k), b = random(k * n), c0 = random(m * n);
          std::vector<float> c = c0;
          sgemm(ta, tb, m, n, k, 0.5f, a.data(), ta ? m : k, b.data(), tb ? k : n, 1.0f, c.data(),
                n);
          const auto want = reference_product(ta, tb, m, n, k, a, b, c0, 0.5f, 1.0f);
          for (size_t i = 0; i < c.size(); ++i)
            ASSERT_NEAR(c[i], want[i], 1e-3f)
                << m << "x" << n << "x" << k << " ta " << ta << " tb " << tb << " at " << i;
        }
  }
}

}  // namespace
}  // namespace dikkat
