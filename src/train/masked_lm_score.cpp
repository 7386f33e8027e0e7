#include "train/masked_lm_score.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "error.h"
#include "train/eval_progress.h"

namespace dikkat {

namespace {

// Token frequencies over the real ordinary tokens of the examples.
std::vector<double> unigram(const std::vector<std::vector<int32_t>>& examples,
                            const MaskedLmTokens& tokens, int64_t vocab) {
  std::vector<double> counts(size_t(vocab), 0.0);
  for (const auto& e : examples)
    for (int32_t id : e)
      if (id != tokens.cls && id != tokens.sep && id != tokens.pad && id != tokens.mask)
        counts[size_t(id)] += 1.0;
  const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
  for (double& c : counts) c /= std::max(total, 1.0);
  return counts;
}

}  // namespace

MaskedLmScore score_masked_lm(const Model& model, const std::vector<std::vector<int32_t>>& examples,
                              float fraction, const MaskedLmTokens& tokens, uint64_t seed,
                              int64_t rows, const std::string& progress_label) {
  if (examples.empty()) throw Error("masked LM score: no examples");
  const int64_t V = model.config().vocab_size;
  const std::vector<double> p = unigram(examples, tokens, V);
  std::vector<int32_t> by_frequency(static_cast<size_t>(V));
  std::iota(by_frequency.begin(), by_frequency.end(), 0);
  std::stable_sort(by_frequency.begin(), by_frequency.end(),
                   [&](int32_t a, int32_t b) { return p[size_t(a)] > p[size_t(b)]; });
  const std::vector<int32_t> top5(by_frequency.begin(),
                                  by_frequency.begin() + std::min<int64_t>(5, V));
  MaskedLmScore s;
  s.examples = int64_t(examples.size());
  std::mt19937_64 rng(seed);
  const int64_t batches = (s.examples + rows - 1) / rows;
  EvalProgress progress(progress_label, batches);
  for (int64_t b = 0; b < batches; ++b) {
    std::vector<std::span<const int32_t>> chunk;
    for (int64_t i = b * rows; i < std::min(s.examples, (b + 1) * rows); ++i)
      chunk.emplace_back(examples[size_t(i)]);
    Batch batch;
    pad_examples(chunk, tokens.pad, batch);
    mask_batch(batch, fraction, tokens, rng);
    Graph g = Graph::inference();
    const Var logits = model.batch_logits(g, batch);
    for (size_t i = 0; i < batch.targets.size(); ++i) {
      const int32_t target = batch.targets[i];
      if (target == kIgnoredTarget) continue;
      const float* row = logits->value.ptr() + int64_t(i) * V;
      const float top = *std::max_element(row, row + V);
      double sum = 0.0;
      int64_t above = 0;
      for (int64_t v = 0; v < V; ++v) {
        sum += std::exp(double(row[v] - top));
        above += row[v] > row[target];
      }
      s.loss += std::log(sum) - double(row[target] - top);
      s.top1 += above == 0;
      s.top5 += above < 5;
      s.unigram_loss -= std::log(std::max(p[size_t(target)], 1e-12));
      s.unigram_top1 += target == top5.front();
      s.unigram_top5 += std::find(top5.begin(), top5.end(), target) != top5.end();
      ++s.masked;
    }
    progress.update(b + 1);
  }
  const double n = double(std::max<int64_t>(s.masked, 1));
  for (double* x : {&s.loss, &s.top1, &s.top5, &s.unigram_loss, &s.unigram_top1, &s.unigram_top5})
    *x /= n;
  return s;
}

}  // namespace dikkat
