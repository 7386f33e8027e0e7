// Attention timings (no test framework; built and run by bench/attention_speed.sh).
//   layer:  an M-shaped training layer's causal self-attention, forward + backward, B=8, T=256,
//           C=384, 6 heads, without and with attention dropout 0.2 (median of 20 steps).
//   decode: one new query over Tk keys (head size 64, 6 heads) on an inference graph: over
//           exactly Tk keys, and as the KV decoders call it, over a cache of capacity 1024 with
//           Tk of them filled (query_offset and key lengths), at batch 1 and 64 (median of many
//           calls).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <vector>

#include "tensor/ops.h"

using namespace dikkat;

namespace {

Tensor random_tensor(std::vector<int64_t> shape, uint64_t seed) {
  Tensor t(std::move(shape));
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (float& x : t.data) x = normal(rng);
  return t;
}

// Median seconds of `reps` calls after `warmup` untimed ones.
double median_seconds(int warmup, int reps, const std::function<void()>& f) {
  for (int i = 0; i < warmup; ++i) f();
  std::vector<double> s(reps);
  for (double& x : s) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    x = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  std::nth_element(s.begin(), s.begin() + reps / 2, s.end());
  return s[reps / 2];
}

void bench_layer() {
  const int64_t b = 8, t = 256, c = 384, h = 6;
  const Tensor qkv = random_tensor({b, t, 3 * c}, 1), seed = random_tensor({b, t, c}, 2);
  for (const float p : {0.0f, 0.2f}) {
    std::mt19937_64 rng(3);
    const double s = median_seconds(3, 20, [&] {
      Graph g;
      Var x = make_var(qkv, true);
      g.backward(causal_attention(g, x, h, p, &rng), seed);
    });
    std::printf("layer  B=%ld T=%ld C=%ld H=%ld dropout %.1f: forward+backward %.2f ms\n", long(b),
                long(t), long(c), long(h), p, s * 1e3);
  }
}

void bench_decode() {
  const int64_t h = 6, hs = 64, c = h * hs;
  for (const int64_t b : {1, 64})
    for (const int64_t tk : {64, 256, 1024}) {
      const Tensor q = random_tensor({b, 1, c}, 4), k = random_tensor({b, tk, c}, 5),
                   v = random_tensor({b, tk, c}, 6);
      const Var qv = make_var(q, false), kv = make_var(k, false), vv = make_var(v, false);
      const int reps = int(std::max<int64_t>(50, 2000000 / (b * tk * c)));
      const double op = median_seconds(reps / 5, reps, [&] {
        Graph g = Graph::inference();
        multi_head_attention(g, {qv, 0}, {kv, 0}, {vv, 0}, c, h, {}, 0.0f, nullptr);
      });
      // The KV decoders' call: the same keys in a (b, 1024, 2c) [k | v] cache, tk of them filled.
      const int64_t capacity = 1024;
      Tensor cache = random_tensor({b, capacity, 2 * c}, 7);
      const Var cv = make_var(cache, false);
      const std::vector<int32_t> filled(size_t(b), int32_t(tk));
      const double cached = median_seconds(reps / 5, reps, [&] {
        Graph g = Graph::inference();
        multi_head_attention(g, {qv, 0}, {cv, 0}, {cv, c}, c, h,
                             {.causal = true, .key_lengths = filled, .query_offset = tk - 1}, 0.0f,
                             nullptr);
      });
      std::printf("decode B=%-2ld Tk=%-4ld: over Tk keys %8.1f us, over a cache of %ld %8.1f us\n",
                  long(b), long(tk), op * 1e6, long(capacity), cached * 1e6);
    }
}

}  // namespace

int main(int argc, char** argv) {
  const bool all = argc < 2;
  if (all || std::strcmp(argv[1], "layer") == 0) bench_layer();
  if (all || std::strcmp(argv[1], "decode") == 0) bench_decode();
  return 0;
}
