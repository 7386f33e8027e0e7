#pragma once
// Translation quality against sentence length (seed 001's chart): the corpus split by the number
// of words in each source sentence, and BLEU and chrF of each part.
#include <string>
#include <string_view>
#include <vector>

#include "score/corpus_scores.h"

namespace dikkat {

struct LengthBucket {
  size_t min_words = 0;
  size_t max_words = 0;       // 0: no upper bound (the last bucket)
  std::string label() const;  // "1-5", "31+"
};

// 1-5, 6-10, 11-15, 16-20, 21-30 and 31+ source words. An empty source line counts in 1-5.
const std::vector<LengthBucket>& source_length_buckets();

// Words in a source line: runs of non-whitespace (Python's str.split()), before any tokenizer.
size_t source_word_count(std::string_view utf8_line);

// The index in source_length_buckets() of a sentence with `words` source words.
size_t length_bucket_index(size_t words);

struct BucketScores {
  LengthBucket bucket;
  CorpusScores scores;  // scores.sentences == 0: an empty bucket, whose scores mean nothing
};

// One entry per bucket, in order, each scored as a corpus of its own sentences. `sources` holds
// one line per sentence of `statistics`; Error when the counts differ or a line is not UTF-8.
std::vector<BucketScores> score_by_source_length(const std::vector<std::string>& sources,
                                                 const SentenceStatistics& statistics,
                                                 const ScoreOptions& options);

}  // namespace dikkat
