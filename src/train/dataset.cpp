#include "train/dataset.h"

#include "error.h"
#include "io/file_io.h"
#include "tokenize/utf8.h"

namespace dikkat {

TokenDataset::TokenDataset(std::vector<int32_t> tokens, float val_fraction, int64_t context,
                           const std::string& source)
    : tokens_(std::move(tokens)) {
  const int64_t n = int64_t(tokens_.size());
  split_ = n - int64_t(double(n) * double(val_fraction));
  if (split_ < context + 1 || n - split_ < context + 1)
    throw Error(
        source + ": " + std::to_string(n) + " tokens give " + std::to_string(split_) +
        " for training and " + std::to_string(n - split_) +
        " for validation; each needs at least context + 1 = " + std::to_string(context + 1));
}

void TokenDataset::sample(Split split, int64_t batch, int64_t t, std::mt19937_64& rng,
                          std::vector<int32_t>& x, std::vector<int32_t>& y) const {
  const int64_t begin = split == Split::kTrain ? 0 : split_;
  const int64_t end = split == Split::kTrain ? split_ : int64_t(tokens_.size());
  std::uniform_int_distribution<int64_t> offset(begin, end - t - 1);
  x.resize(batch * t);
  y.resize(batch * t);
  for (int64_t b = 0; b < batch; ++b) {
    const int64_t start = offset(rng);
    for (int64_t i = 0; i < t; ++i) {
      x[b * t + i] = tokens_[start + i];
      y[b * t + i] = tokens_[start + i + 1];
    }
  }
}

std::string read_training_text(const std::string& path) {
  std::string bytes = read_file(path);
  if (bytes.empty()) throw Error(path + ": file is empty");
  decode_utf8(bytes, path);  // only to check it
  return bytes;
}

}  // namespace dikkat
