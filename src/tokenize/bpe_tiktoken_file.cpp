#include "tokenize/bpe_tiktoken_file.h"

#include <unordered_map>

#include "error.h"
#include "io/file_io.h"

namespace dikkat {

namespace {

int base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Standard base64 with '=' padding; false when `s` is not that.
bool decode_base64(std::string_view s, std::string& out) {
  out.clear();
  if (s.empty() || s.size() % 4 != 0) return false;
  for (size_t i = 0; i < s.size(); i += 4) {
    uint32_t group = 0;
    int pad = 0;
    for (size_t j = 0; j < 4; ++j) {
      const char c = s[i + j];
      int v = 0;
      if (c == '=') {
        if (i + 4 != s.size() || j < 2) return false;
        ++pad;
      } else if (pad > 0 || (v = base64_digit(c)) < 0) {
        return false;
      }
      group = (group << 6) | uint32_t(v);
    }
    out += char(group >> 16);
    if (pad < 2) out += char((group >> 8) & 0xFF);
    if (pad < 1) out += char(group & 0xFF);
  }
  return true;
}

struct RankLine {
  std::string bytes;
  std::string_view base64;
  int64_t line = 0;  // 0: no line holds this rank
};

}  // namespace

BpeTokenizer parse_tiktoken_ranks(std::string_view text, const std::string& source) {
  std::vector<RankLine> lines;
  int64_t line_no = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const std::string at = source + ":" + std::to_string(line_no) + ": ";
    const size_t space = line.find(' ');
    if (space == std::string_view::npos || line.find(' ', space + 1) != std::string_view::npos)
      throw Error(at + "expected \"<base64 token bytes> <rank>\"");
    RankLine r{{}, line.substr(0, space), line_no};
    if (!decode_base64(r.base64, r.bytes))
      throw Error(at + "\"" + std::string(r.base64) + "\" is not base64 token bytes");
    const std::string_view rank_text = line.substr(space + 1);
    int64_t rank = 0;
    for (const char c : rank_text) {
      if (c < '0' || c > '9' || rank > INT32_MAX / 10)
        throw Error(at + "rank \"" + std::string(rank_text) + "\" is not a non-negative integer");
      rank = rank * 10 + (c - '0');
    }
    if (rank_text.empty()) throw Error(at + "missing rank");
    // A line takes at least 6 bytes ("AA== 0"), which bounds the ranks a file can hold.
    if (rank > int64_t(text.size() / 6))
      throw Error(at + "rank " + std::to_string(rank) + " is beyond the ranks the file can hold");
    if (rank >= int64_t(lines.size())) lines.resize(size_t(rank) + 1);
    if (lines[rank].line != 0)
      throw Error(at + "rank " + std::to_string(rank) + " is also on line " +
                  std::to_string(lines[rank].line));
    lines[rank] = std::move(r);
  }
  if (lines.empty())
    throw Error(source + ": no ranks (expected \"<base64 token bytes> <rank>\" lines)");
  for (size_t rank = 0; rank < lines.size(); ++rank)
    if (lines[rank].line == 0)
      throw Error(source + ": no line has rank " + std::to_string(rank) + " (ranks must run 0.." +
                  std::to_string(lines.size() - 1) + " without gaps)");

  std::unordered_map<std::string_view, int32_t> rank_of;
  rank_of.reserve(lines.size());
  for (size_t rank = 0; rank < lines.size(); ++rank) {
    const auto [it, fresh] = rank_of.emplace(lines[rank].bytes, int32_t(rank));
    if (!fresh)
      throw Error(source + ":" + std::to_string(lines[rank].line) + ": token \"" +
                  std::string(lines[rank].base64) + "\" is also on line " +
                  std::to_string(lines[it->second].line));
  }
  for (int b = 0; b < 256; ++b)
    if (!rank_of.count(std::string_view(std::string(1, char(b)))))
      throw Error(source + ": no line has the single byte " + std::to_string(b) +
                  " (byte-level BPE needs a token for each of the 256 bytes)");

  // Recover each token's merge: tiktoken's merge loop on its bytes, with ranks below its own.
  std::vector<BpeMerge> merges;
  std::vector<size_t> cuts;
  for (size_t rank = 0; rank < lines.size(); ++rank) {
    const std::string_view t = lines[rank].bytes;
    if (t.size() < 2) continue;
    cuts.resize(t.size() + 1);
    for (size_t i = 0; i <= t.size(); ++i) cuts[i] = i;  // part i is t[cuts[i], cuts[i + 1])
    for (;;) {
      int32_t best_rank = int32_t(rank);
      size_t best = 0;
      for (size_t i = 0; i + 2 < cuts.size(); ++i) {
        const auto it = rank_of.find(t.substr(cuts[i], cuts[i + 2] - cuts[i]));
        if (it != rank_of.end() && it->second < best_rank) best_rank = it->second, best = i + 1;
      }
      if (best == 0) break;
      cuts.erase(cuts.begin() + ptrdiff_t(best));
    }
    if (cuts.size() != 3)
      throw Error(source + ":" + std::to_string(lines[rank].line) + ": token \"" +
                  std::string(lines[rank].base64) + "\" (rank " + std::to_string(rank) +
                  ") is not two tokens of lower rank merged");
    merges.push_back(
        {rank_of.at(t.substr(0, cuts[1])), rank_of.at(t.substr(cuts[1])), int32_t(rank)});
  }

  std::vector<std::string> tokens;
  tokens.reserve(lines.size() + 1);
  for (RankLine& r : lines) tokens.push_back(std::move(r.bytes));
  const auto eot = int32_t(tokens.size());
  tokens.emplace_back("<|endoftext|>");
  return BpeTokenizer(std::move(tokens), std::move(merges), {{"<|endoftext|>", eot}}, source);
}

BpeTokenizer BpeTokenizer::from_tiktoken_file(const std::string& path) {
  return parse_tiktoken_ranks(read_file(path), path);
}

}  // namespace dikkat
