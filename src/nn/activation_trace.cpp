#include "nn/activation_trace.h"

#include <algorithm>

#include "error.h"

namespace dikkat {

void ActivationTrace::add_rows(std::string name, const float* data, int64_t rows, int64_t cols,
                               int64_t stride) {
  Tensor t({rows, cols});
  for (int64_t r = 0; r < rows; ++r) std::copy_n(data + r * stride, cols, t.ptr() + r * cols);
  add(std::move(name), std::move(t));
}

void ActivationTrace::add_heads(std::string name, const float* data, int64_t rows, int64_t stride,
                                int64_t n_head, int64_t hs) {
  Tensor t({n_head, rows, hs});
  for (int64_t h = 0; h < n_head; ++h)
    for (int64_t r = 0; r < rows; ++r)
      std::copy_n(data + r * stride + h * hs, hs, t.ptr() + (h * rows + r) * hs);
  add(std::move(name), std::move(t));
}

void ActivationTrace::add(std::string name, Tensor value) {
  entries_.push_back({std::move(name), std::move(value)});
}

const Tensor* ActivationTrace::find(const std::string& name) const {
  for (const auto& e : entries_)
    if (e.name == name) return &e.value;
  return nullptr;
}

const Tensor& ActivationTrace::at(const std::string& name) const {
  const Tensor* t = find(name);
  if (!t) throw Error("trace has no tensor '" + name + "'");
  return *t;
}

void record_rows(ActivationTrace* trace, const std::string& name, const Tensor& value) {
  if (trace) trace->add_rows(name, value.ptr(), value.rows(), value.size(-1), value.size(-1));
}

}  // namespace dikkat
