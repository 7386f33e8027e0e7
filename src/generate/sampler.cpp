#include "generate/sampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace dikkat {

int32_t sample_token(std::span<const float> logits, const SamplingOptions& options,
                     std::mt19937_64& rng) {
  const int64_t v = int64_t(logits.size());
  if (options.temperature <= 0.0f)
    return int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
  // Candidates in descending order of logit; ties keep the lower id first.
  std::vector<int32_t> order(v);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return logits[a] > logits[b]; });
  int64_t kept = options.top_k > 0 ? std::min(options.top_k, v) : v;
  std::vector<double> probs(kept);
  const double top = logits[order[0]];
  double sum = 0.0;
  for (int64_t i = 0; i < kept; ++i)
    sum += probs[i] = std::exp((double(logits[order[i]]) - top) / options.temperature);
  if (options.top_p < 1.0f) {
    double mass = 0.0;
    int64_t nucleus = 0;
    while (nucleus < kept && mass < double(options.top_p) * sum) mass += probs[nucleus++];
    kept = std::max<int64_t>(nucleus, 1);
    sum = std::accumulate(probs.begin(), probs.begin() + kept, 0.0);
  }
  const double r = std::uniform_real_distribution<double>(0.0, sum)(rng);
  double acc = 0.0;
  for (int64_t i = 0; i < kept; ++i) {
    acc += probs[i];
    if (r < acc) return order[i];
  }
  return order[kept - 1];
}

}  // namespace dikkat
