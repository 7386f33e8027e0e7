#pragma once
// Byte-level BPE training, the algorithm of Hugging Face's BpeTrainer:
//  1. cut the text into GPT-2 chunks and count each distinct chunk ("word");
//  2. count every adjacent token pair over the words, weighted by the words' counts, and note
//     which words hold each pair;
//  3. repeatedly take the most frequent pair from a max-priority queue, make it a new token,
//     and rewrite only the words that hold it, adjusting the counts of the pairs around each
//     rewritten spot. Counts only fall for pairs that existed before, so a queue entry whose
//     count is out of date is put back with the true count when it reaches the top (lazy
//     deletion) instead of being searched for.
//
// Tie rule: among pairs of equal count the one with the smallest (left id, right id), compared
// left first, wins (Hugging Face's rule). Word order and the queue's order are fixed, so the
// merges depend only on the input, never on hash-table iteration order.
//
// When a merge builds bytes that are already a token (the same bytes reached by another split),
// the merge maps to that token and the vocabulary does not grow (Hugging Face does the same).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tokenize/bpe_merge.h"

namespace dikkat {

struct BpeTrainProgress {
  int64_t tokens, target_tokens;  // tokens so far (256 bytes + learned), tokens wanted
  int64_t merges;                 // merges learned so far
  double seconds;                 // since merging began
};
using BpeProgressFn = std::function<void(const BpeTrainProgress&)>;

struct BpeWordCount {
  std::string bytes;
  int64_t count;
};

// The distinct GPT-2 chunks of `texts` with their counts, sorted by bytes. The literal text of
// every special token is cut out first, so no chunk spans or contains one.
std::vector<BpeWordCount> count_gpt2_chunks(const std::vector<std::string>& texts,
                                            const std::vector<std::string>& special_tokens);

struct BpeTrainResult {
  std::vector<std::string> tokens;  // by id: the 256 bytes by value, then the learned tokens
  std::vector<BpeMerge> merges;     // in the order learned, which is their rank
};

// Learns merges until there are `target_tokens` tokens or no pair is left. `progress`, if set,
// is called about once a second and once at the end.
BpeTrainResult learn_bpe_merges(const std::vector<BpeWordCount>& words, int64_t target_tokens,
                                const BpeProgressFn& progress);

}  // namespace dikkat
