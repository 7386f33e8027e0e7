#pragma once
// Generation's view of a model: feed tokens a block at a time and get the next token's logits,
// with each position's keys and values kept in a cache so that no position is computed twice.
// Every architecture makes its own (Model::decoder) from the same block code as its training
// forward. With an ActivationTrace it also copies out every intermediate tensor of the positions
// fed, which is how the look-inside tools see a model (names in nn/activation_trace.h).
#include <cstdint>
#include <span>

#include "nn/activation_trace.h"

namespace dikkat {

// Error unless `tokens` (at least one) fit after `length` positions within `context`; `who`
// starts the message ("KV decoder"). Every id must be in the vocabulary (check_token_ids).
void check_feed(const char* who, std::span<const int32_t> tokens, int64_t length, int64_t context,
                int64_t vocab);
// Error "token id N is outside the vocabulary" for the first id not in [0, vocab).
void check_token_ids(std::span<const int32_t> tokens, int64_t vocab);

class IncrementalDecoder {
 public:
  virtual ~IncrementalDecoder() = default;

  virtual void reset() = 0;
  virtual int64_t length() const = 0;
  virtual int64_t capacity() const = 0;
  // Runs `tokens` at positions length() .. length() + n - 1 (which must fit the capacity) and
  // returns the logits (vocab_size) for the token after the last one. The span stays valid until
  // the next call. With `trace`, the intermediates of these positions are copied into it
  // (logits for every position included).
  virtual std::span<const float> feed(std::span<const int32_t> tokens,
                                      ActivationTrace* trace = nullptr) = 0;
  std::span<const float> feed(int32_t token) { return feed(std::span<const int32_t>(&token, 1)); }
};

}  // namespace dikkat
