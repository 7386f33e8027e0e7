#include "inspect/word_grouping.h"

#include <algorithm>

namespace dikkat {

namespace {

bool is_whitespace(const std::string& token) {
  return !token.empty() && std::all_of(token.begin(), token.end(), [](unsigned char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
  });
}

}  // namespace

WordGrouping group_into_words(const std::vector<std::string>& tokens) {
  const int64_t n = int64_t(tokens.size());
  std::vector<bool> space(n);
  for (int64_t i = 0; i < n; ++i) space[i] = is_whitespace(tokens[i]);
  // A word starts at a non-whitespace token that follows whitespace, opens the text, or begins
  // with whitespace itself, pulled back over the whitespace before it; the first word always
  // starts at token 0.
  std::vector<int64_t> starts;
  for (int64_t i = 0; i < n; ++i) {
    const bool leading_space = !tokens[i].empty() && is_whitespace(tokens[i].substr(0, 1));
    if (space[i] || (i > 0 && !space[i - 1] && !leading_space)) continue;
    int64_t start = i;
    while (start > 0 && space[start - 1]) --start;
    starts.push_back(starts.empty() ? 0 : start);
  }
  if (starts.empty()) starts.push_back(0);  // only whitespace: one word
  WordGrouping g;
  g.word_of_token.resize(n);
  for (size_t w = 0; w < starts.size(); ++w) {
    const int64_t end = w + 1 < starts.size() ? starts[w + 1] : n;
    std::string text;
    for (int64_t i = starts[w]; i < end; ++i) text += tokens[i], g.word_of_token[i] = int64_t(w);
    g.words.push_back(std::move(text));
  }
  return g;
}

std::vector<float> aggregate_to_words(const float* weights, int64_t tokens,
                                      const WordGrouping& grouping) {
  return aggregate_to_words(weights, tokens, grouping, tokens, grouping);
}

std::vector<float> aggregate_to_words(const float* weights, int64_t queries,
                                      const WordGrouping& rows, int64_t keys,
                                      const WordGrouping& cols) {
  const int64_t wq = int64_t(rows.words.size()), wk = int64_t(cols.words.size());
  std::vector<double> sums(wq * wk, 0.0);
  std::vector<int64_t> query_count(wq, 0);
  for (int64_t q = 0; q < queries; ++q) {
    const int64_t qw = rows.word_of_token[q];
    ++query_count[qw];
    for (int64_t k = 0; k < keys; ++k)
      sums[qw * wk + cols.word_of_token[k]] += weights[q * keys + k];
  }
  std::vector<float> out(wq * wk);
  for (int64_t qw = 0; qw < wq; ++qw)
    for (int64_t kw = 0; kw < wk; ++kw)
      out[qw * wk + kw] = float(sums[qw * wk + kw] / double(query_count[qw]));
  return out;
}

}  // namespace dikkat
