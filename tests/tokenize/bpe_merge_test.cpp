#include "tokenize/bpe_merge.h"

#include <gtest/gtest.h>

#include <random>

#include "test_support.h"
#include "tokenize/bpe_tokenizer.h"

namespace dikkat {
namespace {

std::array<int32_t, 256> byte_ids_of(const BpeTokenizer& tok) {
  std::array<int32_t, 256> ids{};
  for (int32_t id = 0; id < tok.vocab_size(); ++id)
    if (!tok.is_special(id) && tok.token_bytes(id).size() == 1)
      ids[uint8_t(tok.token_bytes(id)[0])] = id;
  return ids;
}

std::vector<int32_t> merge_with(void (*merge)(std::string_view, const std::array<int32_t, 256>&,
                                              const BpeMergeTable&, std::vector<int32_t>&),
                                std::string_view chunk, const std::array<int32_t, 256>& bytes,
                                const BpeMergeTable& table) {
  std::vector<int32_t> out = {-7};  // merging appends: what was there stays
  merge(chunk, bytes, table, out);
  EXPECT_EQ(out.front(), -7);
  out.erase(out.begin());
  return out;
}

TEST(BpeMerge, TableFindsRanksAndKeepsTheFirstOfARepeatedPair) {
  const std::vector<BpeMerge> merges = {{1, 2, 10}, {10, 3, 11}, {1, 2, 12}};
  const BpeMergeTable table(merges);
  EXPECT_EQ(table.find(1, 2).rank, 0);
  EXPECT_EQ(table.find(1, 2).merged, 10);
  EXPECT_EQ(table.find(10, 3).rank, 1);
  EXPECT_EQ(table.find(2, 1).rank, BpeMergeTable::kNoRank);
  EXPECT_EQ(BpeMergeTable().find(1, 2).rank, BpeMergeTable::kNoRank);
}

TEST(BpeMerge, LowestRankFirstAndLeftmostAmongEquals) {
  // Bytes a=97, b=98. Rules: (a,a)->256 rank 0, (256,a)->257 rank 1.
  std::vector<std::string> tokens;
  for (int b = 0; b < 256; ++b) tokens.emplace_back(1, char(b));
  tokens.push_back("aa");
  tokens.push_back("aaa");
  const BpeTokenizer tok(tokens, {{'a', 'a', 256}, {256, 'a', 257}}, {}, "rules");
  const BpeMergeTable table(tok.merges());
  const auto bytes = byte_ids_of(tok);
  // "aaa": (a,a) at 0 merges first (leftmost), then (aa, a).
  EXPECT_EQ(merge_with(bpe_merge_chunk_scan, "aaa", bytes, table), (std::vector<int32_t>{257}));
  // "aaaa": both (a,a) pairs merge before rank 1 is looked at: aa aa.
  EXPECT_EQ(merge_with(bpe_merge_chunk_scan, "aaaa", bytes, table),
            (std::vector<int32_t>{256, 256}));
  EXPECT_EQ(merge_with(bpe_merge_chunk_heap, "aaaa", bytes, table),
            (std::vector<int32_t>{256, 256}));
  EXPECT_EQ(merge_with(bpe_merge_chunk_heap, "aaaaa", bytes, table),
            (std::vector<int32_t>{256, 257}));
}

TEST(BpeMerge, ScanAndHeapAgreeOnRandomChunks) {
  // A tokenizer full of overlapping merges: trained on a few letters in repeated patterns.
  std::string corpus;
  std::mt19937 rng(3);
  for (int i = 0; i < 4000; ++i) corpus += "abcab"[rng() % 5];
  corpus += std::string(300, 'a') + "abababab" + "aab aab aab";
  const BpeTokenizer tok = BpeTokenizer::train({corpus}, 700, {});
  const BpeMergeTable table(tok.merges());
  const auto bytes = byte_ids_of(tok);
  for (int t = 0; t < 2000; ++t) {
    std::string chunk;
    const size_t n = 1 + rng() % (t < 1500 ? 40 : 400);
    for (size_t i = 0; i < n; ++i) chunk += "abc a"[rng() % (t % 2 ? 3 : 5)];
    const std::vector<int32_t> scan = merge_with(bpe_merge_chunk_scan, chunk, bytes, table);
    ASSERT_EQ(merge_with(bpe_merge_chunk_heap, chunk, bytes, table), scan) << chunk;
    ASSERT_EQ(tok.decode(scan), chunk);
  }
}

TEST(BpeMerge, EveryGpt2TokenMergesBackToItself) {
  // So encoding a chunk that is a whole token gives that token, as tiktoken's shortcut does.
  const std::string path = testing::shared_data_path("gpt2.tiktoken");
  if (path.empty()) GTEST_SKIP() << "../shared/data/gpt2.tiktoken is absent";
  const BpeTokenizer gpt2 = BpeTokenizer::from_tiktoken_file(path);
  const BpeMergeTable table(gpt2.merges());
  const auto bytes = byte_ids_of(gpt2);
  for (int32_t id = 0; id < 50256; ++id) {
    const std::string t = gpt2.token_bytes(id);
    ASSERT_EQ(merge_with(bpe_merge_chunk_scan, t, bytes, table), (std::vector<int32_t>{id})) << id;
    ASSERT_EQ(merge_with(bpe_merge_chunk_heap, t, bytes, table), (std::vector<int32_t>{id})) << id;
  }
  // Long runs take the heap path inside bpe_merge_chunk.
  for (const std::string& run : {std::string(5000, ' '), std::string(3001, '-'),
                                 std::string(999, '=') + std::string(999, '\n')})
    EXPECT_EQ(merge_with(bpe_merge_chunk, run, bytes, table),
              merge_with(bpe_merge_chunk_scan, run, bytes, table));
}

}  // namespace
}  // namespace dikkat
