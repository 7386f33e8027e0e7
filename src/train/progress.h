#pragma once
// Training progress for people: on a terminal one line rewritten in place each step; in a log
// (stdout not a terminal) a plain line every `log_every` steps and at each evaluation.
#include <cstdint>
#include <optional>
#include <string>

namespace dikkat {

struct StepReport {
  int64_t step, total_steps;
  float train_loss;
  std::optional<float> val_loss;
  float lr;
  double tokens_per_s;
  double seconds_left;
};

class ProgressPrinter {
 public:
  ProgressPrinter(bool quiet, int64_t log_every);
  void step(const StepReport& r);
  // A line of its own (evaluation results, samples), never overwritten by the next update.
  void message(const std::string& text);

 private:
  bool quiet_, terminal_, line_open_ = false;
  int64_t log_every_;
};

std::string format_duration(double seconds);  // "3m12s", "1h05m", "42s"

}  // namespace dikkat
