#pragma once
// Sentence pairs for translation, read from tab-separated text: one `source<TAB>target` pair a
// line, as ../shared/data/en-tr/*.tsv and the manythings.org / Tatoeba `eng-tur` downloads are
// laid out. Columns after the second (Tatoeba's attribution) are ignored.
#include <cstdint>
#include <string>
#include <vector>

namespace dikkat {

struct SentencePair {
  std::string source, target;
  int64_t line;  // 1-based line in the file, for messages
};

struct ParallelCorpus {
  std::vector<SentencePair> pairs;
  int64_t skipped = 0;  // malformed lines left out (only with skip_bad_lines)
};

struct ParallelReadOptions {
  bool reverse = false;         // the second column is the source (Turkish -> English)
  bool skip_bad_lines = false;  // leave malformed lines out instead of failing
};

// Error "<path>:<line>: ..." for a line with no tab, an empty side or invalid UTF-8 (unless
// skip_bad_lines), for a missing or unreadable file, and for a file with no pair at all.
// A final line without a newline counts; "\r\n" endings are accepted; blank lines are skipped.
ParallelCorpus read_parallel_tsv(const std::string& path, const ParallelReadOptions& options);

}  // namespace dikkat
