#include "serve/metrics_tail.h"

#include <fstream>

namespace dikkat {

MetricsTail::MetricsTail(std::string path, int64_t skip_lines)
    : path_(std::move(path)), skip_(skip_lines) {}

std::vector<MetricsTail::Line> MetricsTail::poll() {
  restarted_ = false;
  std::ifstream in(path_, std::ios::binary | std::ios::ate);
  if (!in) return {};
  const int64_t size = in.tellg();
  if (size < offset_) {
    offset_ = 0, lines_ = 0, skip_ = 0;
    restarted_ = true;
  }
  std::vector<Line> out;
  if (size == offset_) return out;
  std::string chunk(size_t(size - offset_), '\0');
  in.seekg(offset_);
  in.read(chunk.data(), std::streamsize(chunk.size()));
  size_t start = 0;
  for (size_t nl; (nl = chunk.find('\n', start)) != std::string::npos; start = nl + 1) {
    ++lines_;
    if (lines_ > skip_ && nl > start) out.push_back({lines_, chunk.substr(start, nl - start)});
  }
  offset_ += int64_t(start);
  return out;
}

}  // namespace dikkat
