#include <algorithm>
#include <string>

#include "error.h"
#include "tensor/op_profile.h"
#include "tensor/ops.h"
#include "tensor/parallel.h"

namespace dikkat {

Var concat_columns(Graph& g, const std::vector<Var>& parts) {
  OpTimer timer(OpClass::kElementwise);
  const int64_t rows = parts.at(0)->value.rows();
  std::vector<int64_t> widths, offsets;
  int64_t width = 0;
  for (const Var& p : parts) {
    if (p->value.rows() != rows)
      throw Error("concat_columns: " + shape_to_string(p->value.shape) + " has " +
                  std::to_string(p->value.rows()) + " rows, not " + std::to_string(rows));
    offsets.push_back(width);
    widths.push_back(p->value.size(-1));
    width += widths.back();
  }
  std::vector<int64_t> shape = parts[0]->value.shape;
  shape.back() = width;
  Var out = g.output_of_all(shape, parts);
  for (size_t i = 0; i < parts.size(); ++i) {
    const float* src = parts[i]->value.ptr();
    parallel_for_each(rows, widths[i], [&](int64_t r) {
      std::copy(src + r * widths[i], src + (r + 1) * widths[i],
                out->value.ptr() + r * width + offsets[i]);
    });
  }
  g.on_backward(out, [parts, out, widths, offsets, rows, width] {
    OpTimer timer(OpClass::kElementwise);
    const float* d = out->grad_ptr();
    for (size_t i = 0; i < parts.size(); ++i) {
      if (!parts[i]->requires_grad) continue;
      float* dp = parts[i]->grad_ptr();
      parallel_for_each(rows, widths[i], [&](int64_t r) {
        for (int64_t j = 0; j < widths[i]; ++j)
          dp[r * widths[i] + j] += d[r * width + offsets[i] + j];
      });
    }
  });
  return out;
}

Var slice_columns(Graph& g, const Var& x, int64_t first, int64_t width) {
  OpTimer timer(OpClass::kElementwise);
  const int64_t c = x->value.size(-1), rows = x->value.rows();
  if (first < 0 || width < 1 || first + width > c)
    throw Error("slice_columns: columns [" + std::to_string(first) + ", " +
                std::to_string(first + width) + ") of " + shape_to_string(x->value.shape));
  std::vector<int64_t> shape = x->value.shape;
  shape.back() = width;
  Var out = g.output(shape, {&x});
  for (int64_t r = 0; r < rows; ++r)
    std::copy_n(x->value.ptr() + r * c + first, width, out->value.ptr() + r * width);
  g.on_backward(out, [x, out, first, width, c, rows] {
    OpTimer timer(OpClass::kElementwise);
    const float* d = out->grad_ptr();
    float* dx = x->grad_ptr();
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = 0; j < width; ++j) dx[r * c + first + j] += d[r * width + j];
  });
  return out;
}

Var gather_steps(Graph& g, const Var& x, std::span<const int32_t> positions) {
  OpTimer timer(OpClass::kElementwise);
  const int64_t rows = x->value.size(0), time = x->value.size(1), c = x->value.size(2);
  if (int64_t(positions.size()) != rows)
    throw Error("gather_steps: " + std::to_string(positions.size()) + " positions for " +
                std::to_string(rows) + " rows");
  for (const int32_t t : positions)
    if (t < 0 || t >= time)
      throw Error("gather_steps: position " + std::to_string(t) + " outside " +
                  shape_to_string(x->value.shape));
  Var out = g.output({rows, 1, c}, {&x});
  std::vector<int32_t> at(positions.begin(), positions.end());
  for (int64_t b = 0; b < rows; ++b) {
    const float* src = x->value.ptr() + (b * time + at[b]) * c;
    std::copy(src, src + c, out->value.ptr() + b * c);
  }
  g.on_backward(out, [x, out, at, rows, time, c] {
    OpTimer timer(OpClass::kElementwise);
    const float* d = out->grad_ptr();
    float* dx = x->grad_ptr();
    for (int64_t b = 0; b < rows; ++b)
      for (int64_t j = 0; j < c; ++j) dx[(b * time + at[b]) * c + j] += d[b * c + j];
  });
  return out;
}

Var gather_rows(Graph& g, const Var& x, std::span<const int32_t> rows) {
  OpTimer timer(OpClass::kElementwise);
  const int64_t c = x->value.size(-1), n = x->value.numel() / c, m = int64_t(rows.size());
  for (const int32_t r : rows)
    if (r < 0 || r >= n)
      throw Error("gather_rows: row " + std::to_string(r) + " outside " +
                  shape_to_string(x->value.shape));
  Var out = g.output({m, c}, {&x});
  std::vector<int32_t> at(rows.begin(), rows.end());
  parallel_for_each(m, c, [&](int64_t i) {
    std::copy_n(x->value.ptr() + int64_t(at[size_t(i)]) * c, c, out->value.ptr() + i * c);
  });
  g.on_backward(out, [x, out, at, c] {
    OpTimer timer(OpClass::kElementwise);
    const float* d = out->grad_ptr();
    float* dx = x->grad_ptr();
    // Serial: rows may repeat, and the sum's order must not depend on the thread count.
    for (size_t i = 0; i < at.size(); ++i)
      for (int64_t j = 0; j < c; ++j) dx[int64_t(at[i]) * c + j] += d[int64_t(i) * c + j];
  });
  return out;
}

Var stack_steps(Graph& g, const std::vector<Var>& steps) {
  OpTimer timer(OpClass::kElementwise);
  const int64_t time = int64_t(steps.size()), rows = steps.at(0)->value.size(0),
                c = steps[0]->value.numel() / rows;
  for (const Var& s : steps)
    if (s->value.numel() != rows * c || s->value.size(0) != rows)
      throw Error("stack_steps: a step of shape " + shape_to_string(s->value.shape) + ", not (" +
                  std::to_string(rows) + ", " + std::to_string(c) + ")");
  Var out = g.output_of_all({rows, time, c}, steps);
  for (int64_t t = 0; t < time; ++t)
    for (int64_t b = 0; b < rows; ++b) {
      const float* src = steps[t]->value.ptr() + b * c;
      std::copy(src, src + c, out->value.ptr() + (b * time + t) * c);
    }
  g.on_backward(out, [steps, out, rows, time, c] {
    OpTimer timer(OpClass::kElementwise);
    const float* d = out->grad_ptr();
    for (int64_t t = 0; t < time; ++t) {
      if (!steps[t]->requires_grad) continue;
      float* ds = steps[t]->grad_ptr();
      for (int64_t b = 0; b < rows; ++b)
        for (int64_t j = 0; j < c; ++j) ds[b * c + j] += d[(b * time + t) * c + j];
    }
  });
  return out;
}

}  // namespace dikkat
