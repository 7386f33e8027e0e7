#include "inspect/next_token.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "inspect/token_labels.h"

namespace dikkat {

std::vector<double> next_token_distribution(const float* logits, int64_t vocab, float temperature) {
  std::vector<double> p(vocab, 0.0);
  const int64_t best = std::max_element(logits, logits + vocab) - logits;
  if (temperature <= 0.0f) {
    p[best] = 1.0;
    return p;
  }
  double sum = 0.0;
  for (int64_t i = 0; i < vocab; ++i)
    sum += p[i] = std::exp((double(logits[i]) - logits[best]) / temperature);
  for (double& x : p) x /= sum;
  return p;
}

std::vector<NextToken> most_likely_next(const float* logits, int64_t vocab, float temperature,
                                        int64_t top, const Tokenizer& tokenizer) {
  const std::vector<double> p = next_token_distribution(logits, vocab, temperature);
  std::vector<int32_t> order(vocab);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return p[a] > p[b]; });
  if (top > 0 && top < vocab) order.resize(top);
  std::vector<NextToken> out;
  for (int32_t id : order) {
    const std::string text = tokenizer.decode_one(id);
    out.push_back({id, text, visible_token(text), p[id]});
  }
  return out;
}

}  // namespace dikkat
