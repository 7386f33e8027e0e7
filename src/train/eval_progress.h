#pragma once
// Evaluation's progress on a terminal: "evaluating val: 120 / 200 batches" rewritten in place
// (stderr), erased when done. Nothing in logs, where the result line says it all.
#include <cstdint>
#include <string>

namespace dikkat {

class EvalProgress {
 public:
  EvalProgress(std::string label, int64_t total);  // empty label: silent
  ~EvalProgress();
  void update(int64_t done);

 private:
  std::string label_;
  int64_t total_;
  bool shown_ = false;
  double last_ = -1.0;
};

}  // namespace dikkat
