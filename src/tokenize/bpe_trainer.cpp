#include "tokenize/bpe_trainer.h"

#include <algorithm>
#include <chrono>
#include <queue>
#include <string_view>
#include <unordered_map>

#include "tokenize/gpt2_pretokenizer.h"
#include "tokenize/special_token_split.h"

namespace dikkat {

namespace {

uint64_t pack(int32_t left, int32_t right) {
  return (uint64_t(uint32_t(left)) << 32) | uint32_t(right);
}

struct PairStats {
  int64_t count = 0;
  std::vector<int32_t> words;  // words that held the pair at some point; may repeat or be stale
};

struct QueueEntry {
  int64_t count;
  uint64_t pair;
  // std::priority_queue pops the greatest: the higher count, then the smaller (left, right).
  bool operator<(const QueueEntry& o) const {
    return count != o.count ? count < o.count : pair > o.pair;
  }
};

}  // namespace

std::vector<BpeWordCount> count_gpt2_chunks(const std::vector<std::string>& texts,
                                            const std::vector<std::string>& special_tokens) {
  const std::vector<std::string_view> specials(special_tokens.begin(), special_tokens.end());
  std::unordered_map<std::string_view, int64_t> counts;
  for (const std::string& text : texts)
    split_on_special_tokens(
        text, specials,
        [&](std::string_view segment) {
          for_each_gpt2_chunk(segment, [&](std::string_view chunk) { ++counts[chunk]; });
        },
        [](size_t) {});
  std::vector<BpeWordCount> words;
  words.reserve(counts.size());
  for (const auto& [chunk, count] : counts) words.push_back({std::string(chunk), count});
  std::sort(words.begin(), words.end(),
            [](const BpeWordCount& a, const BpeWordCount& b) { return a.bytes < b.bytes; });
  return words;
}

BpeTrainResult learn_bpe_merges(const std::vector<BpeWordCount>& words, int64_t target_tokens,
                                const BpeProgressFn& progress) {
  BpeTrainResult result;
  std::unordered_map<std::string, int32_t> token_ids;
  for (int b = 0; b < 256; ++b) {
    result.tokens.emplace_back(1, char(b));
    token_ids.emplace(result.tokens.back(), b);
  }

  // Each word as token ids (bytes at first), and every adjacent pair's weighted count.
  std::vector<std::vector<int32_t>> symbols(words.size());
  std::unordered_map<uint64_t, PairStats> pairs;
  for (size_t w = 0; w < words.size(); ++w) {
    const std::string& bytes = words[w].bytes;
    for (const char b : bytes) symbols[w].push_back(uint8_t(b));
    for (size_t i = 0; i + 1 < bytes.size(); ++i) {
      PairStats& st = pairs[pack(symbols[w][i], symbols[w][i + 1])];
      st.count += words[w].count;
      if (st.words.empty() || st.words.back() != int32_t(w)) st.words.push_back(int32_t(w));
    }
  }
  std::vector<QueueEntry> initial;
  initial.reserve(pairs.size());
  for (const auto& [pair, st] : pairs) initial.push_back({st.count, pair});
  std::priority_queue<QueueEntry> queue(std::less<QueueEntry>(), std::move(initial));

  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  Clock::time_point last_report = start;
  const auto report = [&] {
    if (progress)
      progress({int64_t(result.tokens.size()), target_tokens, int64_t(result.merges.size()),
                std::chrono::duration<double>(Clock::now() - start).count()});
  };

  std::vector<uint64_t> grown;  // pairs that gained occurrences in this merge
  while (int64_t(result.tokens.size()) < target_tokens && !queue.empty()) {
    const QueueEntry top = queue.top();
    queue.pop();
    const auto it = pairs.find(top.pair);
    const int64_t count = it == pairs.end() ? 0 : it->second.count;
    if (count != top.count) {  // out of date: requeue with the true count
      if (count > 0) queue.push({count, top.pair});
      continue;
    }
    const auto left = int32_t(top.pair >> 32), right = int32_t(top.pair & 0xFFFFFFFFu);
    const std::string bytes = result.tokens[left] + result.tokens[right];
    const auto [entry, is_new] = token_ids.try_emplace(bytes, int32_t(result.tokens.size()));
    if (is_new) result.tokens.push_back(bytes);
    const int32_t merged = entry->second;
    result.merges.push_back({left, right, merged});

    std::vector<int32_t> where = std::move(it->second.words);
    pairs.erase(it);
    std::sort(where.begin(), where.end());
    where.erase(std::unique(where.begin(), where.end()), where.end());
    grown.clear();
    const auto add = [&](int32_t l, int32_t r, int64_t delta, int32_t w) {
      const uint64_t key = pack(l, r);
      if (key == top.pair) return;  // the merged pair is gone from every word already
      PairStats& st = pairs[key];
      st.count += delta;
      if (delta > 0) {
        if (st.words.empty() || st.words.back() != w) st.words.push_back(w);
        grown.push_back(key);
      }
    };
    for (const int32_t w : where) {
      std::vector<int32_t>& s = symbols[w];
      const int64_t c = words[w].count;
      for (size_t i = 0; i + 1 < s.size(); ++i) {
        if (s[i] != left || s[i + 1] != right) continue;
        if (i > 0) add(s[i - 1], left, -c, w), add(s[i - 1], merged, c, w);
        if (i + 2 < s.size()) add(right, s[i + 2], -c, w), add(merged, s[i + 2], c, w);
        s[i] = merged;
        s.erase(s.begin() + ptrdiff_t(i) + 1);
      }
    }
    std::sort(grown.begin(), grown.end());
    grown.erase(std::unique(grown.begin(), grown.end()), grown.end());
    for (const uint64_t key : grown)
      if (const int64_t n = pairs[key].count; n > 0) queue.push({n, key});

    if (progress && Clock::now() - last_report >= std::chrono::seconds(1)) {
      last_report = Clock::now();
      report();
    }
  }
  report();
  return result;
}

}  // namespace dikkat
