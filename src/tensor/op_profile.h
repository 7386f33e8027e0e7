#pragma once
// `dikkat train --profile`: where a training step's time goes, by op class. Each op's forward
// and backward (and the trainer's own phases) open an OpTimer; when profiling is off a timer
// costs one branch. Ops run on the main thread (their parallel loops inside), so wall time per
// class adds up to the step.
#include <array>
#include <chrono>
#include <string>

namespace dikkat {

enum class OpClass {
  kMatmul,     // linear layers, forward and backward (BLAS)
  kAttention,  // scores, mask, softmax, weighted sum of V, and their gradients
  kRecurrent,  // GRU / LSTM recurrences (their per-step GEMMs and gates)
  kLayerNorm,
  kActivation,   // GELU / ReLU / tanh
  kElementwise,  // residual adds, positions, dropout
  kEmbedding,
  kLoss,       // cross-entropy with its gradient
  kOptimizer,  // gradient norm, clipping, AdamW
  kData,       // sampling the batch
  kCount
};

const char* op_class_name(OpClass c);

class OpProfile {
 public:
  static OpProfile& global();
  bool enabled() const { return enabled_; }
  void enable() { enabled_ = true; }
  // Evaluation and sampling run the same ops outside the timed steps: they are left out.
  class Pause {
   public:
    Pause() : was_(global().enabled_) { global().enabled_ = false; }
    ~Pause() { global().enabled_ = was_; }
    Pause(const Pause&) = delete;
    Pause& operator=(const Pause&) = delete;

   private:
    bool was_;
  };
  void add(OpClass c, double seconds) { seconds_[size_t(c)] += seconds; }
  double seconds(OpClass c) const { return seconds_[size_t(c)]; }
  // A table of each class's seconds and share of `step_seconds` (the steps' total wall time),
  // with the unaccounted rest ("other": graph bookkeeping, allocation, metrics).
  std::string report(double step_seconds) const;

 private:
  bool enabled_ = false;
  std::array<double, size_t(OpClass::kCount)> seconds_{};
};

class OpTimer {
 public:
  explicit OpTimer(OpClass c) : class_(c), on_(OpProfile::global().enabled()) {
    if (on_) start_ = std::chrono::steady_clock::now();
  }
  ~OpTimer() {
    if (on_)
      OpProfile::global().add(
          class_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }
  OpTimer(const OpTimer&) = delete;
  OpTimer& operator=(const OpTimer&) = delete;

 private:
  OpClass class_;
  bool on_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace dikkat
