#include "train/parallel_corpus.h"

#include <string_view>

#include "error.h"
#include "io/file_io.h"
#include "tokenize/utf8.h"

namespace dikkat {

namespace {

// Whitespace at either end is not part of a sentence (a side of only spaces is empty).
std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// "" when the line is a good pair (filled into `pair`), else what is wrong with it, naming
// `where` (file:line).
std::string parse_line(std::string_view line, const std::string& where, SentencePair& pair) {
  const auto tab = line.find('\t');
  if (tab == std::string_view::npos) return where + ": no tab between source and target";
  const auto next_tab = line.find('\t', tab + 1);
  const std::string_view first = trim(line.substr(0, tab));
  const std::string_view second = trim(
      line.substr(tab + 1, next_tab == std::string_view::npos ? line.npos : next_tab - tab - 1));
  if (first.empty()) return where + ": the first column is empty";
  if (second.empty()) return where + ": the second column is empty";
  try {
    decode_utf8(line, where);
  } catch (const Error& e) {
    return e.what();  // "<where>: invalid UTF-8 at byte offset N"
  }
  pair.source = std::string(first);
  pair.target = std::string(second);
  return "";
}

}  // namespace

ParallelCorpus read_parallel_tsv(const std::string& path, const ParallelReadOptions& options) {
  const std::string bytes = read_file(path);
  ParallelCorpus corpus;
  size_t start = 0;
  for (int64_t line_no = 1; start < bytes.size(); ++line_no) {
    size_t end = bytes.find('\n', start);
    if (end == std::string::npos) end = bytes.size();
    std::string_view line(bytes.data() + start, end - start);
    start = end + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (trim(line).empty()) continue;
    const std::string where = path + ":" + std::to_string(line_no);
    SentencePair pair{{}, {}, line_no};
    const std::string problem = parse_line(line, where, pair);
    if (!problem.empty()) {
      if (!options.skip_bad_lines)
        throw Error(problem + " (--skip-bad-lines leaves such lines out)");
      ++corpus.skipped;
      continue;
    }
    if (options.reverse) std::swap(pair.source, pair.target);
    corpus.pairs.push_back(std::move(pair));
  }
  if (corpus.pairs.empty())
    throw Error(path + ": no sentence pairs (expected lines of source<TAB>target)");
  return corpus;
}

}  // namespace dikkat
