#include "nn/activation_trace.h"

#include <algorithm>

#include "error.h"

namespace dikkat {

StepText operator+(const StepText& a, const StepText& b) { return {a.en + b.en, a.tr + b.tr}; }

void ActivationTrace::add(std::string name, Tensor value, StepText text, Sequence rows) {
  entries_.push_back({std::move(name), std::move(value), std::move(text), rows});
}

const ActivationTrace::Entry* ActivationTrace::find_entry(const std::string& name) const {
  for (const auto& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

const Tensor* ActivationTrace::find(const std::string& name) const {
  const Entry* e = find_entry(name);
  return e ? &e->value : nullptr;
}

const Tensor& ActivationTrace::at(const std::string& name) const {
  const Tensor* t = find(name);
  if (!t) throw Error("trace has no tensor '" + name + "'");
  return *t;
}

TraceScope TraceScope::nested(const std::string& more_prefix, const StepText& more_label) const {
  return {trace, prefix + more_prefix, label + more_label, rows};
}

void TraceScope::rows_of(const std::string& name, const Tensor& value,
                         const StepText& text) const {
  if (!trace) return;
  const int64_t rows = value.shape.size() == 3 ? value.size(1) : value.size(0);
  const int64_t cols = value.size(-1);
  Tensor t = Tensor::uninitialized({rows, cols});
  std::copy_n(value.ptr(), rows * cols, t.ptr());
  whole(name, std::move(t), text);
}

void TraceScope::heads_of(const std::string& name, const Tensor& value, int64_t first,
                          int64_t heads, int64_t head_size, const StepText& text) const {
  if (!trace) return;
  const int64_t rows = value.shape.size() == 3 ? value.size(1) : value.size(0);
  const int64_t stride = value.size(-1);
  Tensor t = Tensor::uninitialized({heads, rows, head_size});
  for (int64_t h = 0; h < heads; ++h)
    for (int64_t r = 0; r < rows; ++r)
      std::copy_n(value.ptr() + r * stride + first + h * head_size, head_size,
                  t.ptr() + (h * rows + r) * head_size);
  whole(name, std::move(t), text);
}

void TraceScope::whole(const std::string& name, Tensor value, const StepText& text) const {
  if (trace) trace->add(prefix + name, std::move(value), label + text, rows);
}

}  // namespace dikkat
