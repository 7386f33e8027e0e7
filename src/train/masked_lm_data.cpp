#include "train/masked_lm_data.h"

#include <algorithm>

#include "error.h"

namespace dikkat {

namespace {

// A uniform double in [0, 1) from 53 bits of the generator: the same on every platform.
double uniform(std::mt19937_64& rng) { return double(rng() >> 11) * 0x1.0p-53; }

}  // namespace

MaskedLmTokens masked_lm_tokens(const Tokenizer& tokenizer, const std::string& source) {
  MaskedLmTokens t{};
  const std::pair<std::string_view, int32_t*> wanted[] = {
      {kMaskToken, &t.mask}, {kClsToken, &t.cls}, {kSepToken, &t.sep}, {kPadToken, &t.pad}};
  for (const auto& [text, id] : wanted) {
    const auto found = tokenizer.special_id(text);
    if (!found)
      throw Error(source + ": a masked language model needs [MASK], [CLS], [SEP] and [PAD] in its " +
                  "vocabulary; it has no " + std::string(text));
    *id = *found;
  }
  for (int32_t id = 0; id < tokenizer.vocab_size(); ++id)
    if (!tokenizer.is_special(id)) t.ordinary.push_back(id);
  if (t.ordinary.empty()) throw Error(source + ": the vocabulary has only special tokens");
  return t;
}

std::vector<std::vector<int32_t>> window_examples(std::span<const int32_t> stream, int64_t context,
                                                  const MaskedLmTokens& tokens) {
  const int64_t width = context - 2;
  if (width < 1) throw Error("a masked language model needs a context of at least 3");
  std::vector<std::vector<int32_t>> out;
  for (size_t at = 0; at < stream.size(); at += size_t(width)) {
    const size_t n = std::min(stream.size() - at, size_t(width));
    std::vector<int32_t> e = {tokens.cls};
    e.insert(e.end(), stream.begin() + long(at), stream.begin() + long(at + n));
    e.push_back(tokens.sep);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::vector<int32_t>> line_examples(const Tokenizer& tokenizer, const std::string& text,
                                                int64_t context, const MaskedLmTokens& tokens,
                                                const std::string& source) {
  std::vector<std::vector<int32_t>> out;
  size_t start = 0;
  for (int64_t line = 1; start < text.size(); ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view piece(text.data() + start, end - start);
    if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
    if (piece.find_first_not_of(" \t") != std::string_view::npos) {
      const std::vector<int32_t> ids = tokenizer.encode(piece, source + ":" + std::to_string(line));
      for (auto& e : window_examples(ids, context, tokens)) out.push_back(std::move(e));
    }
    start = end + 1;
  }
  return out;
}

void pad_examples(const std::vector<std::span<const int32_t>>& examples, int32_t pad,
                  Batch& batch) {
  batch.rows = int64_t(examples.size());
  batch.time = 0;
  for (const auto& e : examples) batch.time = std::max(batch.time, int64_t(e.size()));
  batch.inputs.assign(size_t(batch.rows * batch.time), pad);
  batch.lengths.clear();
  for (size_t r = 0; r < examples.size(); ++r) {
    std::copy(examples[r].begin(), examples[r].end(),
              batch.inputs.begin() + long(r) * batch.time);
    batch.lengths.push_back(int32_t(examples[r].size()));
  }
}

void mask_batch(Batch& batch, float fraction, const MaskedLmTokens& tokens, std::mt19937_64& rng) {
  batch.targets.assign(batch.inputs.size(), kIgnoredTarget);
  for (int64_t r = 0; r < batch.rows; ++r) {
    const int64_t length = batch.lengths.empty() ? batch.time : batch.lengths[size_t(r)];
    int32_t* row = batch.inputs.data() + r * batch.time;
    int32_t* target = batch.targets.data() + r * batch.time;
    std::vector<int64_t> candidates;
    for (int64_t t = 0; t < length; ++t)
      if (row[t] != tokens.cls && row[t] != tokens.sep && row[t] != tokens.pad &&
          row[t] != tokens.mask)
        candidates.push_back(t);
    if (candidates.empty()) continue;
    std::vector<int64_t> chosen;
    for (int64_t t : candidates)
      if (uniform(rng) < fraction) chosen.push_back(t);
    if (chosen.empty()) chosen.push_back(candidates[size_t(rng() % candidates.size())]);
    for (int64_t t : chosen) {
      target[t] = row[t];
      const double u = uniform(rng);
      if (u < 0.8)
        row[t] = tokens.mask;
      else if (u < 0.9)
        row[t] = tokens.ordinary[size_t(rng() % tokens.ordinary.size())];
    }
  }
}

}  // namespace dikkat
