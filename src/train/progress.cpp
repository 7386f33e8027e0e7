#include "train/progress.h"

#include <unistd.h>

#include <cstdio>

namespace dikkat {

ProgressPrinter::ProgressPrinter(bool quiet, int64_t log_every)
    : quiet_(quiet), terminal_(::isatty(STDOUT_FILENO) != 0), log_every_(log_every) {}

std::string format_duration(double seconds) {
  const long s = long(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lds", s);
  return buf;
}

void ProgressPrinter::step(const StepReport& r) {
  if (quiet_) return;
  const bool periodic = log_every_ > 0 && r.step % log_every_ == 0;
  if (!terminal_ && !periodic && !r.val_loss && r.step != r.total_steps) return;
  char val[32] = "";
  if (r.val_loss) std::snprintf(val, sizeof val, " | val %.4f", *r.val_loss);
  char line[256];
  std::snprintf(line, sizeof line, "step %5lld/%lld | loss %.4f%s | lr %.2e | %8.0f tok/s | ETA %s",
                (long long)r.step, (long long)r.total_steps, r.train_loss, val, r.lr,
                r.tokens_per_s, format_duration(r.seconds_left).c_str());
  if (terminal_) {
    std::printf("\r\033[K%s", line);
    line_open_ = true;
    if (r.val_loss) std::printf("\n"), line_open_ = false;
  } else {
    std::printf("%s\n", line);
  }
  std::fflush(stdout);
}

void ProgressPrinter::message(const std::string& text) {
  if (quiet_) return;
  if (line_open_) std::printf("\n"), line_open_ = false;
  std::printf("%s\n", text.c_str());
  std::fflush(stdout);
}

}  // namespace dikkat
