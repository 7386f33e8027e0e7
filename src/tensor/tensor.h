#pragma once
// A dense, row-major float32 array with a shape. Storage is owned; views are plain pointers.
#include <cstdint>
#include <string>
#include <vector>

namespace dikkat {

int64_t shape_numel(const std::vector<int64_t>& shape);
std::string shape_to_string(const std::vector<int64_t>& shape);

struct Tensor {
  std::vector<int64_t> shape;
  std::vector<float> data;

  Tensor() = default;
  explicit Tensor(std::vector<int64_t> s) : shape(std::move(s)), data(shape_numel(shape), 0.0f) {}

  int64_t numel() const { return static_cast<int64_t>(data.size()); }
  int64_t size(int axis) const { return shape[axis < 0 ? shape.size() + axis : axis]; }
  // Product of every dimension but the last: the number of rows of a [..., C] tensor.
  int64_t rows() const { return shape.empty() ? 1 : numel() / shape.back(); }
  bool empty() const { return data.empty(); }
  float* ptr() { return data.data(); }
  const float* ptr() const { return data.data(); }
};

}  // namespace dikkat
