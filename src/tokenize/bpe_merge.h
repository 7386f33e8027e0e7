#pragma once
// The heart of byte-level BPE encoding: a table of merge rules and the loop that applies them
// to one pre-tokenized chunk.
//
// A merge rule says that the adjacent tokens (left, right) become the token `merged`; its rank
// is its position in the merge list, and a lower rank merges first. A chunk starts as one token
// per byte; then, again and again, the adjacent pair with the lowest rank (the leftmost of
// equal ones) merges, until no adjacent pair has a rule. This is Hugging Face's BPE model and,
// for tiktoken rank files read as merges (see bpe_tiktoken_file.cpp), tiktoken's byte_pair_merge.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace dikkat {

struct BpeMerge {
  int32_t left, right, merged;
};

// (left, right) -> (rank, merged), open addressing: the encoder looks a pair up per byte of
// every new chunk, so this is the hot table.
class BpeMergeTable {
 public:
  static constexpr int32_t kNoRank = INT32_MAX;
  struct Rule {
    int32_t rank, merged;  // rank kNoRank: the pair does not merge
  };

  BpeMergeTable() = default;
  // Ranks are the positions in `merges`; a pair listed twice keeps its first rank.
  explicit BpeMergeTable(std::span<const BpeMerge> merges);

  Rule find(int32_t left, int32_t right) const {
    if (slots_.empty()) return {kNoRank, -1};
    const uint64_t key = pack(left, right);
    for (uint64_t i = slot_of(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == key) return {s.rank, s.merged};
      if (s.key == kEmpty) return {kNoRank, -1};
    }
  }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t(0);
  struct Slot {
    uint64_t key;
    int32_t rank, merged;
  };
  static uint64_t pack(int32_t left, int32_t right) {
    return (uint64_t(uint32_t(left)) << 32) | uint32_t(right);
  }
  uint64_t slot_of(uint64_t key) const { return (key * 0x9E3779B97F4A7C15ull) >> shift_; }

  std::vector<Slot> slots_;
  uint64_t mask_ = 0;
  int shift_ = 64;
};

// Appends the tokens of `chunk` to `out`. `byte_ids` maps each byte to its single-byte token.
void bpe_merge_chunk(std::string_view chunk, const std::array<int32_t, 256>& byte_ids,
                     const BpeMergeTable& table, std::vector<int32_t>& out);

// The two ways bpe_merge_chunk works, public so tests can hold them to the same answers:
// rescanning all pairs after each merge (fastest for the short chunks of ordinary text), and a
// min-heap over a linked list (for long chunks, where rescanning would be quadratic).
void bpe_merge_chunk_scan(std::string_view chunk, const std::array<int32_t, 256>& byte_ids,
                          const BpeMergeTable& table, std::vector<int32_t>& out);
void bpe_merge_chunk_heap(std::string_view chunk, const std::array<int32_t, 256>& byte_ids,
                          const BpeMergeTable& table, std::vector<int32_t>& out);

}  // namespace dikkat
