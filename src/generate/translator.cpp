#include "generate/translator.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "error.h"
#include "tensor/logsumexp.h"
#include "tensor/parallel.h"

namespace dikkat {

namespace {

struct Hypothesis {
  std::vector<int32_t> tokens;  // without the start token
  double log_prob = 0.0;
};

double normalised(const Hypothesis& h, float length_penalty) {
  return h.log_prob / std::pow(double(h.tokens.size()), double(length_penalty));
}

// A continuation of a hypothesis: its score, which live hypothesis it extends, its token.
struct Candidate {
  double score;
  int64_t from;
  int32_t token;
};

// The `top` most likely next tokens of one row of logits, best first, with their log
// probabilities in `score`; `from` is left 0. One pass keeps the best so far in order: `top` is
// 2 x beam, small next to the vocabulary, and most logits fall below the worst one kept.
void best_continuations(const float* logits, int64_t v, int64_t top, Candidate* out) {
  int64_t kept = 0;
  float worst_kept = -INFINITY;
  for (int64_t j = 0; j < v; ++j) {
    const float x = logits[j];
    if (kept == top && x <= worst_kept) continue;
    int64_t at = std::min(kept, top - 1);  // slide worse ones down, the last one drops
    while (at > 0 && out[at - 1].score < x) {
      out[at] = out[at - 1];
      --at;
    }
    out[at] = {double(x), 0, int32_t(j)};
    kept = std::min(kept + 1, top);
    worst_kept = float(out[kept - 1].score);
  }
  const double lse = logsumexp(logits, v);
  for (int64_t j = 0; j < top; ++j) out[j].score -= lse;
}

// One sentence's search state: `beam` live hypotheses (fewer at the first step) and those that
// ended.
struct Search {
  std::vector<Hypothesis> live, finished;
  int64_t max_len = 0;
};

}  // namespace

std::vector<std::vector<int32_t>> translate(const Model& model,
                                            const std::vector<std::vector<int32_t>>& sources,
                                            int32_t end_token, const TranslateOptions& options) {
  if (options.beam < 1)
    throw Error("--beam must be at least 1, got " + std::to_string(options.beam));
  if (options.max_len < 0) throw Error("--max-len must not be negative");
  const auto decoder = model.translation_decoder();
  if (!decoder) throw Error("this model does not translate (it is a language model)");
  const int64_t n = int64_t(sources.size()), K = options.beam, V = model.config().vocab_size;
  std::vector<std::vector<int32_t>> out(static_cast<size_t>(n));
  if (n == 0) return out;
  // The source batch: each sentence + end token, padded with the end token (masked anyway).
  int64_t time = 0;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t len = int64_t(sources[size_t(i)].size()) + 1;
    if (len > decoder->capacity())
      throw Error("sentence " + std::to_string(i + 1) + ": " + std::to_string(len) +
                  " tokens with its end token exceed the model's context of " +
                  std::to_string(decoder->capacity()));
    time = std::max(time, len);
  }
  std::vector<int32_t> ids(size_t(n * time), end_token), lengths;
  std::vector<Search> searches(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const auto& s = sources[size_t(i)];
    const int64_t auto_len = 2 * int64_t(s.size()) + 10;
    searches[size_t(i)].max_len =
        std::min(options.max_len > 0 ? options.max_len : auto_len, decoder->capacity());
    searches[size_t(i)].live.push_back({});
    std::copy(s.begin(), s.end(), ids.begin() + i * time);
    lengths.push_back(int32_t(s.size() + 1));
  }
  // The encoder runs once per sentence, and the first step feeds one row per sentence (every
  // hypothesis starts from the same empty prefix); select_rows widens each to K rows after it.
  decoder->start(ids, lengths, n, time);
  // The decoder's rows come `per_sentence` per sentence still searching, in the order of
  // `active`; row a * per_sentence + k holds live hypothesis k of sentence active[a] (the last one
  // again when fewer live).
  std::vector<int64_t> active(static_cast<size_t>(n));
  std::iota(active.begin(), active.end(), 0);
  const int64_t top = std::min<int64_t>(2 * K, V);
  std::vector<Candidate> row_candidates;
  for (int64_t step = 0; !active.empty(); ++step) {
    const int64_t per_sentence = step == 0 ? 1 : K;
    std::vector<int32_t> tokens;
    for (int64_t i : active)
      for (int64_t k = 0; k < per_sentence; ++k) {
        const auto& live = searches[size_t(i)].live;
        const auto& h = live[size_t(std::min<int64_t>(k, int64_t(live.size()) - 1))];
        tokens.push_back(h.tokens.empty() ? end_token : h.tokens.back());
      }
    const std::span<const float> logits = decoder->step(tokens);
    const int64_t rows = int64_t(tokens.size());
    row_candidates.resize(size_t(rows * top));
    parallel_for_each(rows, 4 * V, [&](int64_t r) {
      best_continuations(logits.data() + r * V, V, top, row_candidates.data() + r * top);
    });
    std::vector<int32_t> keep;  // decoder rows for the next step
    std::vector<int64_t> still_active;
    for (size_t a = 0; a < active.size(); ++a) {
      Search& s = searches[size_t(active[a])];
      // The best 2K continuations of each live hypothesis: (score, live index, token).
      std::vector<Candidate> candidates;
      for (size_t h = 0; h < s.live.size(); ++h) {
        const Candidate* best = row_candidates.data() + (int64_t(a) * per_sentence + int64_t(h)) * top;
        for (int64_t j = 0; j < top; ++j)
          candidates.push_back({s.live[h].log_prob + best[j].score, int64_t(h), best[j].token});
      }
      std::sort(candidates.begin(), candidates.end(),
                [](const Candidate& x, const Candidate& y) { return x.score > y.score; });
      std::vector<Hypothesis> next;
      std::vector<int32_t> next_rows;
      const bool last_step = step + 1 >= s.max_len;
      for (const Candidate& c : candidates) {
        if (int64_t(next.size()) == K) break;
        Hypothesis h = s.live[size_t(c.from)];
        h.tokens.push_back(c.token);
        h.log_prob = c.score;
        if (c.token == end_token || last_step) {
          s.finished.push_back(std::move(h));
          continue;
        }
        next.push_back(std::move(h));
        next_rows.push_back(int32_t(int64_t(a) * per_sentence + c.from));
      }
      // Done when K hypotheses ended (beam search), or the best one did (greedy, where the
      // candidate list is the single argmax), or nothing is left to extend.
      s.live = std::move(next);
      if (int64_t(s.finished.size()) >= K || s.live.empty() || last_step) continue;
      still_active.push_back(active[a]);
      for (int64_t k = 0; k < K; ++k)
        keep.push_back(next_rows[size_t(std::min<int64_t>(k, int64_t(next_rows.size()) - 1))]);
    }
    active = std::move(still_active);
    if (!active.empty()) decoder->select_rows(keep);
  }
  for (int64_t i = 0; i < n; ++i) {
    Search& s = searches[size_t(i)];
    const auto& pool = s.finished.empty() ? s.live : s.finished;
    const auto best = std::max_element(pool.begin(), pool.end(), [&](const auto& x, const auto& y) {
      return normalised(x, options.length_penalty) < normalised(y, options.length_penalty);
    });
    std::vector<int32_t> tokens = best->tokens;
    if (!tokens.empty() && tokens.back() == end_token) tokens.pop_back();
    out[size_t(i)] = std::move(tokens);
  }
  return out;
}

std::vector<std::vector<int32_t>> translate_in_batches(
    const Model& model, const std::vector<std::vector<int32_t>>& sources, int32_t end_token,
    const TranslateOptions& options, int64_t batch,
    const std::function<void(size_t done)>& on_batch) {
  if (batch < 1) throw Error("--batch must be at least 1, got " + std::to_string(batch));
  std::vector<size_t> order(sources.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return sources[x].size() < sources[y].size(); });
  std::vector<std::vector<int32_t>> out(sources.size());
  for (size_t first = 0; first < order.size(); first += size_t(batch)) {
    const size_t last = std::min(order.size(), first + size_t(batch));
    std::vector<std::vector<int32_t>> chunk;
    for (size_t j = first; j < last; ++j) chunk.push_back(sources[order[j]]);
    auto targets = translate(model, chunk, end_token, options);
    for (size_t j = first; j < last; ++j) out[order[j]] = std::move(targets[j - first]);
    if (on_batch) on_batch(last);
  }
  return out;
}

}  // namespace dikkat
