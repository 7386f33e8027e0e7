#include "train/eval_progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace dikkat {

namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

EvalProgress::EvalProgress(std::string label, int64_t total)
    : label_(::isatty(STDERR_FILENO) ? std::move(label) : std::string()), total_(total) {}

EvalProgress::~EvalProgress() {
  if (shown_) std::fprintf(stderr, "\r%*s\r", int(label_.size()) + 40, "");
}

void EvalProgress::update(int64_t done) {
  if (label_.empty()) return;
  // At most a few updates a second: a terminal line costs nothing, but thousands do.
  const double t = now_seconds();
  if (done < total_ && t - last_ < 0.2) return;
  last_ = t;
  shown_ = true;
  std::fprintf(stderr, "\r%s: %lld / %lld", label_.c_str(), (long long)done, (long long)total_);
  std::fflush(stderr);
}

}  // namespace dikkat
