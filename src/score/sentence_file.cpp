#include "score/sentence_file.h"

#include <string_view>

#include "error.h"
#include "io/file_io.h"
#include "score/python_str.h"
#include "tokenize/utf8.h"

namespace dikkat {

std::vector<std::string> read_sentence_file(const std::string& path) {
  return split_sentence_lines(read_file(path), path);
}

std::vector<std::string> split_sentence_lines(const std::string& text, const std::string& path) {
  if (text.empty()) throw Error(path + ": file is empty");
  std::vector<std::string> lines;
  const std::string_view all(text);
  size_t start = 0;
  while (start < all.size()) {
    size_t end = all.find('\n', start);
    if (end == std::string_view::npos) end = all.size();
    const std::string_view line = all.substr(start, end - start);
    const std::u32string decoded = decode_utf8(line, path + ":" + std::to_string(lines.size() + 1));
    const std::u32string_view kept = rstrip_python_whitespace(decoded);
    lines.emplace_back(kept.size() == decoded.size() ? std::string(line) : encode_utf8(kept));
    start = end + 1;
  }
  return lines;
}

}  // namespace dikkat
