#include "score/length_buckets.h"

#include "error.h"
#include "score/python_str.h"
#include "tokenize/utf8.h"

namespace dikkat {

std::string LengthBucket::label() const {
  if (max_words == 0) return std::to_string(min_words) + "+";
  return std::to_string(min_words) + "-" + std::to_string(max_words);
}

const std::vector<LengthBucket>& source_length_buckets() {
  static const std::vector<LengthBucket> buckets = {{1, 5},   {6, 10},  {11, 15},
                                                    {16, 20}, {21, 30}, {31, 0}};
  return buckets;
}

size_t source_word_count(std::string_view utf8_line) {
  return split_python_whitespace(decode_utf8(utf8_line, "source line")).size();
}

size_t length_bucket_index(size_t words) {
  const std::vector<LengthBucket>& buckets = source_length_buckets();
  for (size_t b = 0; b + 1 < buckets.size(); ++b) {
    if (words <= buckets[b].max_words) return b;
  }
  return buckets.size() - 1;
}

std::vector<BucketScores> score_by_source_length(const std::vector<std::string>& sources,
                                                 const SentenceStatistics& statistics,
                                                 const ScoreOptions& options) {
  const size_t sentences = options.bleu ? statistics.bleu.size() : statistics.chrf.size();
  if (sources.size() != sentences) {
    throw Error("the source has " + std::to_string(sources.size()) + " lines but there are " +
                std::to_string(sentences) + " sentences to score");
  }
  const std::vector<LengthBucket>& buckets = source_length_buckets();
  std::vector<std::vector<size_t>> members(buckets.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    const std::u32string line = decode_utf8(sources[i], "source line " + std::to_string(i + 1));
    members[length_bucket_index(split_python_whitespace(line).size())].push_back(i);
  }
  std::vector<BucketScores> out;
  for (size_t b = 0; b < buckets.size(); ++b) {
    out.push_back({buckets[b], scores_of(statistics, options, &members[b])});
  }
  return out;
}

}  // namespace dikkat
