#pragma once
// Generation's view of a language model: feed tokens a block at a time and get the next token's
// logits, with what each position computed kept in a cache so that no position is computed twice.
// It runs one or more rows side by side (several samples of one prompt in one batch): every row
// holds the same number of positions, and select_rows duplicates, reorders or drops them. Every
// architecture makes its own (Model::decoder) from the same code as its training forward.
#include <cstdint>
#include <span>

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

  // Empty again, with one row.
  virtual void reset() = 0;
  virtual int64_t rows() const = 0;
  virtual int64_t length() const = 0;  // positions fed per row
  virtual int64_t capacity() const = 0;
  // Runs n tokens of every row, `tokens` being rows() x n ids row-major, at positions length() ..
  // length() + n - 1 (which must fit the capacity), and returns the logits (rows(), vocab) for
  // each row's token after its last one. The span stays valid until the next call.
  virtual std::span<const float> feed(std::span<const int32_t> tokens) = 0;
  // Row r becomes old row keep[r]: the new row count is keep.size().
  virtual void select_rows(std::span<const int32_t> keep) = 0;
  std::span<const float> feed(int32_t token) { return feed(std::span<const int32_t>(&token, 1)); }
};

// Error unless `tokens` split into `rows` rows of at least one token each; returns the tokens per
// row.
int64_t tokens_per_row(const char* who, std::span<const int32_t> tokens, int64_t rows);

}  // namespace dikkat
