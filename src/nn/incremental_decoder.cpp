#include "nn/incremental_decoder.h"

#include <string>

#include "error.h"

namespace dikkat {

void check_feed(const char* who, std::span<const int32_t> tokens, int64_t length, int64_t context,
                int64_t vocab) {
  const int64_t n = int64_t(tokens.size());
  if (n == 0) throw Error(std::string(who) + ": nothing to feed");
  if (length + n > context)
    throw Error(std::string(who) + ": " + std::to_string(length + n) +
                " positions exceed the context of " + std::to_string(context));
  check_token_ids(tokens, vocab);
}

void check_token_ids(std::span<const int32_t> tokens, int64_t vocab) {
  for (int32_t token : tokens)
    if (token < 0 || token >= vocab)
      throw Error("token id " + std::to_string(token) + " is outside the vocabulary");
}

int64_t tokens_per_row(const char* who, std::span<const int32_t> tokens, int64_t rows) {
  const int64_t n = int64_t(tokens.size());
  if (n == 0 || n % rows != 0)
    throw Error(std::string(who) + ": " + std::to_string(n) + " tokens do not split into " +
                std::to_string(rows) + " rows");
  return n / rows;
}

}  // namespace dikkat
