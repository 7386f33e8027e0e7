#include "tensor/large_blocks.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <new>
#include <unordered_map>

namespace dikkat {

namespace {

// Sizes are rounded up to whole 4 MiB, and a request takes a kept block at most a quarter
// larger, so batches whose token counts differ a little share blocks.
constexpr size_t kGranule = size_t(4) << 20;
// Kept blocks are real memory: at most this much.
constexpr size_t kMaxKeptBytes = size_t(1) << 30;

struct Cache {
  std::mutex mutex;
  std::multimap<size_t, void*> kept;         // size -> block
  std::unordered_map<void*, size_t> in_use;  // block -> its real size
  size_t kept_bytes = 0;
};

Cache& cache() {
  static Cache* c = new Cache;  // never destroyed: buffers may be freed during exit
  return *c;
}

}  // namespace

void* allocate_large_block(size_t bytes) {
  const size_t rounded = (bytes + kGranule - 1) / kGranule * kGranule;
  Cache& c = cache();
  std::lock_guard lock(c.mutex);
  auto it = c.kept.lower_bound(rounded);
  void* p = nullptr;
  size_t size = rounded;
  if (it != c.kept.end() && it->first <= rounded + rounded / 4) {
    p = it->second;
    size = it->first;
    c.kept_bytes -= size;
    c.kept.erase(it);
  } else {
    p = std::aligned_alloc(64, rounded);
    if (!p) throw std::bad_alloc();
  }
  c.in_use[p] = size;
  return p;
}

void free_large_block(void* p, size_t) {
  Cache& c = cache();
  std::lock_guard lock(c.mutex);
  const auto it = c.in_use.find(p);
  const size_t size = it->second;
  c.in_use.erase(it);
  c.kept.emplace(size, p);
  c.kept_bytes += size;
  // Over the limit: give back the smallest blocks, the least likely to fit the next request.
  while (c.kept_bytes > kMaxKeptBytes) {
    const auto smallest = c.kept.begin();
    c.kept_bytes -= smallest->first;
    std::free(smallest->second);
    c.kept.erase(smallest);
  }
}

}  // namespace dikkat
