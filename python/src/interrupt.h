#pragma once
// Ctrl-C while the engine runs without the GIL: Python's handler only notes the signal, so a long
// call looks at it from time to time (every 100 ms, each look taking the GIL for a moment, which
// a busy Python thread beside it may hold for up to its switch interval) and stops with
// KeyboardInterrupt.
#include <pybind11/pybind11.h>

#include <chrono>

namespace dikkat::python {

class InterruptCheck {
 public:
  // Throws pybind11::error_already_set (KeyboardInterrupt) when Python has a signal pending.
  void operator()() {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    pybind11::gil_scoped_acquire acquire;
    if (PyErr_CheckSignals() != 0) throw pybind11::error_already_set();
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace dikkat::python
