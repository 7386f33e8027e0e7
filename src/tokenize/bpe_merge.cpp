#include "tokenize/bpe_merge.h"

#include <algorithm>
#include <cstring>
#include <queue>

namespace dikkat {

namespace {

// Chunks up to this many bytes are merged by rescanning; GPT-2's chunks are almost all shorter.
constexpr size_t kScanLimit = 128;

}  // namespace

BpeMergeTable::BpeMergeTable(std::span<const BpeMerge> merges) {
  size_t capacity = 16;
  shift_ = 60;
  while (capacity < 2 * merges.size()) capacity *= 2, --shift_;  // load factor at most 1/2
  slots_.assign(capacity, Slot{kEmpty, kNoRank, -1});
  mask_ = capacity - 1;
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const uint64_t key = pack(merges[rank].left, merges[rank].right);
    uint64_t i = slot_of(key);
    while (slots_[i].key != kEmpty && slots_[i].key != key) i = (i + 1) & mask_;
    if (slots_[i].key == key) continue;
    slots_[i] = Slot{key, int32_t(rank), merges[rank].merged};
  }
}

void bpe_merge_chunk(std::string_view chunk, const std::array<int32_t, 256>& byte_ids,
                     const BpeMergeTable& table, std::vector<int32_t>& out) {
  if (chunk.size() <= kScanLimit)
    bpe_merge_chunk_scan(chunk, byte_ids, table, out);
  else
    bpe_merge_chunk_heap(chunk, byte_ids, table, out);
}

// The parts live in out's tail; rule[i] is the rule of the pair (part i, part i+1). After a
// merge at i only the pairs at i - 1 and i change.
void bpe_merge_chunk_scan(std::string_view chunk, const std::array<int32_t, 256>& byte_ids,
                          const BpeMergeTable& table, std::vector<int32_t>& out) {
  const size_t base = out.size();
  size_t n = chunk.size();
  out.resize(base + n);
  int32_t* ids = out.data() + base;
  for (size_t i = 0; i < n; ++i) ids[i] = byte_ids[uint8_t(chunk[i])];
  if (n < 2) return;

  BpeMergeTable::Rule local[kScanLimit];
  std::vector<BpeMergeTable::Rule> spill;
  BpeMergeTable::Rule* rule = local;
  if (n - 1 > kScanLimit) spill.resize(n - 1), rule = spill.data();
  for (size_t i = 0; i + 1 < n; ++i) rule[i] = table.find(ids[i], ids[i + 1]);

  while (n > 1) {
    size_t best = 0;
    for (size_t i = 1; i + 1 < n; ++i)
      if (rule[i].rank < rule[best].rank) best = i;
    if (rule[best].rank == BpeMergeTable::kNoRank) break;
    ids[best] = rule[best].merged;
    std::memmove(ids + best + 1, ids + best + 2, (n - best - 2) * sizeof(int32_t));
    if (best + 2 < n)
      std::memmove(rule + best + 1, rule + best + 2, (n - best - 3) * sizeof(rule[0]));
    --n;
    if (best + 1 < n) rule[best] = table.find(ids[best], ids[best + 1]);
    if (best > 0) rule[best - 1] = table.find(ids[best - 1], ids[best]);
  }
  out.resize(base + n);
}

// Parts are a doubly linked list over the chunk's byte positions (a part is named by the
// position of its first byte). The heap holds candidate pairs ordered by (rank, position), so
// the top is the lowest-ranked, leftmost pair; entries made stale by an earlier merge are
// recognised on the way out (their left part is gone, or the two ids no longer match).
void bpe_merge_chunk_heap(std::string_view chunk, const std::array<int32_t, 256>& byte_ids,
                          const BpeMergeTable& table, std::vector<int32_t>& out) {
  const int32_t n = int32_t(chunk.size());
  if (n == 0) return;
  std::vector<int32_t> id(n), next(n), prev(n);
  std::vector<uint8_t> alive(n, 1);
  for (int32_t i = 0; i < n; ++i) {
    id[i] = byte_ids[uint8_t(chunk[i])];
    next[i] = i + 1;  // n: no next part
    prev[i] = i - 1;  // -1: no previous part
  }
  struct Candidate {
    int32_t rank, pos, left, right, merged;
    bool operator>(const Candidate& o) const {
      return rank != o.rank ? rank > o.rank : pos > o.pos;
    }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  const auto offer = [&](int32_t pos) {
    const int32_t right = next[pos];
    if (right >= n) return;
    const BpeMergeTable::Rule r = table.find(id[pos], id[right]);
    if (r.rank != BpeMergeTable::kNoRank) heap.push({r.rank, pos, id[pos], id[right], r.merged});
  };
  for (int32_t i = 0; i + 1 < n; ++i) offer(i);

  while (!heap.empty()) {
    const Candidate c = heap.top();
    heap.pop();
    const int32_t right = next[c.pos];
    if (!alive[c.pos] || right >= n || id[c.pos] != c.left || id[right] != c.right) continue;
    id[c.pos] = c.merged;
    alive[right] = 0;
    next[c.pos] = next[right];
    if (next[right] < n) prev[next[right]] = c.pos;
    if (prev[c.pos] >= 0) offer(prev[c.pos]);
    offer(c.pos);
  }
  for (int32_t i = 0; i < n; i = next[i]) out.push_back(id[i]);
}

}  // namespace dikkat
