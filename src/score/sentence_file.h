#pragma once
// Reading a file of sentences, one per line, the way sacreBLEU's command line reads its
// hypothesis, reference and source files, so that both see the same sentences.
#include <string>
#include <vector>

namespace dikkat {

// The file's lines: a line ends at '\n' only (a final newline is optional), and its trailing
// whitespace is stripped as Python's str.rstrip() does, which takes a Windows "\r\n" line end's
// '\r' with it. Throws Error "<path>: cannot open (...)", "<path>: file is empty" or
// "<path>:<line>: invalid UTF-8 at byte offset N" (the offset within that line).
std::vector<std::string> read_sentence_file(const std::string& path);

// The same for text already in memory; `path` names it in errors.
std::vector<std::string> split_sentence_lines(const std::string& text, const std::string& path);

}  // namespace dikkat
