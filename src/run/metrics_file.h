#pragma once
// Reading a training run's metrics.jsonl (one JSON object per line, written by the trainer).
#include <cstdint>
#include <string>
#include <vector>

namespace dikkat {

struct MetricsRow {
  int64_t step = 0;
  // NaN when the line does not have the field (val_loss only appears at evaluations).
  double train_loss, val_loss, eval_train_loss, lr, tokens_per_s;
};

// Every line in order. Blank lines are skipped; anything else that is not a JSON object with an
// integer "step" and numeric fields is an Error "<path>:<line>: <what is wrong>".
std::vector<MetricsRow> read_metrics(const std::string& path);
// The same for text already in memory; `path` names it in errors.
std::vector<MetricsRow> parse_metrics(const std::string& text, const std::string& path);

}  // namespace dikkat
