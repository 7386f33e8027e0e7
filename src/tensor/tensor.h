#pragma once
// A dense, row-major float32 array with a shape. Storage is owned; views are plain pointers.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tensor/large_blocks.h"

namespace dikkat {

// std::allocator, except that value-less construction leaves floats uninitialised, so a buffer an
// op overwrites whole is not zero-filled first (a pass over every activation of a step), and that
// buffers over 32 MiB are reused from step to step (tensor/large_blocks.h).
template <typename T>
struct DefaultInitAllocator : std::allocator<T> {
  T* allocate(size_t n) {
    if (n * sizeof(T) < kLargeBlockBytes) return std::allocator<T>::allocate(n);
    return static_cast<T*>(allocate_large_block(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) noexcept {
    if (n * sizeof(T) < kLargeBlockBytes)
      std::allocator<T>::deallocate(p, n);
    else
      free_large_block(p, n * sizeof(T));
  }
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() = default;
  template <typename U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
using FloatBuffer = std::vector<float, DefaultInitAllocator<float>>;

int64_t shape_numel(const std::vector<int64_t>& shape);
std::string shape_to_string(const std::vector<int64_t>& shape);

struct Tensor {
  std::vector<int64_t> shape;
  FloatBuffer data;

  Tensor() = default;
  explicit Tensor(std::vector<int64_t> s) : shape(std::move(s)), data(shape_numel(shape), 0.0f) {}
  // Contents undefined: for outputs that are written whole before anything reads them.
  static Tensor uninitialized(std::vector<int64_t> s) {
    Tensor t;
    t.data.resize(shape_numel(s));
    t.shape = std::move(s);
    return t;
  }

  int64_t numel() const { return static_cast<int64_t>(data.size()); }
  int64_t size(int axis) const { return shape[axis < 0 ? shape.size() + axis : axis]; }
  // Product of every dimension but the last: the number of rows of a [..., C] tensor.
  int64_t rows() const { return shape.empty() ? 1 : numel() / shape.back(); }
  bool empty() const { return data.empty(); }
  float* ptr() { return data.data(); }
  const float* ptr() const { return data.data(); }
};

}  // namespace dikkat
