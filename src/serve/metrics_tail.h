#pragma once
// Follows a training run's metrics.jsonl as the trainer appends to it, one whole line at a time
// (a line without its newline is still being written and waits for the next poll).
#include <cstdint>
#include <string>
#include <vector>

namespace dikkat {

class MetricsTail {
 public:
  // Starts after the first `skip_lines` lines (a client reconnecting with Last-Event-ID).
  MetricsTail(std::string path, int64_t skip_lines = 0);

  struct Line {
    int64_t number;  // 1-based
    std::string text;
  };
  // The whole lines appended since the last poll. When the file became shorter (a resumed run
  // rewrites it up to its checkpoint) `restarted` is set and the lines start again from 1.
  std::vector<Line> poll();
  bool restarted() const { return restarted_; }

 private:
  std::string path_;
  int64_t skip_, offset_ = 0, lines_ = 0;
  bool restarted_ = false;
};

}  // namespace dikkat
