#pragma once
// The token stream of a training text, split into train and validation parts, and random
// next-token windows drawn from either (nanoGPT's get_batch).
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace dikkat {

enum class Split { kTrain, kVal };

class TokenDataset {
 public:
  // The last `val_fraction` of the tokens is validation. Each split must hold at least
  // context + 1 tokens; otherwise Error naming `source` and the sizes.
  TokenDataset(std::vector<int32_t> tokens, float val_fraction, int64_t context,
               const std::string& source);

  // x (batch, t) are windows starting at uniformly random offsets; y is x shifted by one token.
  void sample(Split split, int64_t batch, int64_t t, std::mt19937_64& rng, std::vector<int32_t>& x,
              std::vector<int32_t>& y) const;
  int64_t train_tokens() const { return split_; }
  int64_t val_tokens() const { return int64_t(tokens_.size()) - split_; }

 private:
  std::vector<int32_t> tokens_;
  int64_t split_;
};

// Reads a UTF-8 training text (its bytes, checked): Error for a missing file, an empty one, or
// invalid UTF-8 (naming the byte offset).
std::string read_training_text(const std::string& path);

}  // namespace dikkat
