#pragma once
// Translation's view of an encoder-decoder model: encode a batch of source sentences once, then
// step every row's target prefix one token at a time. Each decoder layer caches its self-attention
// keys and values, and the cross-attention keys and values of the encoder output are computed
// once per sentence. Beam search keeps, duplicates and drops rows with select_rows.
#include <cstdint>
#include <span>
#include <vector>

#include "nn/incremental_decoder.h"
#include "tensor/graph.h"
#include "tensor/tensor.h"

namespace dikkat {

class TranslationDecoder {
 public:
  virtual ~TranslationDecoder() = default;

  // Runs the encoder over `rows` sources (row-major (rows, time) ids, padded; lengths[r] real
  // tokens in row r) and empties the target caches.
  virtual void start(std::span<const int32_t> source, std::span<const int32_t> lengths,
                     int64_t rows, int64_t time) = 0;
  // One target token per row at position length() -> logits (rows, vocab), valid until the next
  // call.
  virtual std::span<const float> step(std::span<const int32_t> tokens) = 0;
  // Row r of the caches becomes old row keep[r] (rows may repeat or go): the new row count is
  // keep.size().
  virtual void select_rows(std::span<const int32_t> keep) = 0;
  virtual int64_t rows() const = 0;
  virtual int64_t length() const = 0;    // target positions fed so far
  virtual int64_t capacity() const = 0;  // the most target positions a row may take
};

// Error unless `source` holds rows x time ids with one length per row, within `context`: what
// every decoder's start() checks first.
void check_decoder_start(std::span<const int32_t> source, std::span<const int32_t> lengths,
                         int64_t rows, int64_t time, int64_t context);

// Error unless a step may feed `tokens`: start() has run, one token per row, the target below
// `capacity`, every id in the vocabulary. What every decoder's step() checks first.
void check_decoder_step(std::span<const int32_t> tokens, int64_t rows, int64_t length,
                        int64_t capacity, int64_t vocab);

// A new tensor whose row r (first axis) is row keep[r] of `from` (null stays null): how decoders
// follow select_rows through their caches.
Var select_batch_rows(const Var& from, std::span<const int32_t> keep);

}  // namespace dikkat
