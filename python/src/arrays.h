#pragma once
// numpy arrays over the engine's own buffers: the buffer moves into a capsule that becomes the
// array's base, so nothing is copied and the memory lives as long as the array.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace dikkat::python {

namespace py = pybind11;

// `data` (any contiguous container of T) as a C-ordered array of `shape`.
template <typename T, typename Container>
py::array_t<T> owning_array(Container&& data, std::vector<py::ssize_t> shape) {
  auto* owned = new Container(std::forward<Container>(data));
  py::capsule base(owned, [](void* p) { delete static_cast<Container*>(p); });
  return py::array_t<T>(std::move(shape), owned->data(), base);
}

// A read-only view of `data` (shape `shape`, C order) kept alive by `owner`, the engine object
// the array's base holds a reference to (a model's weights stay the model's).
template <typename T, typename Owner>
py::array_t<T> array_over(const T* data, std::vector<py::ssize_t> shape,
                          const std::shared_ptr<Owner>& owner) {
  auto* keep = new std::shared_ptr<Owner>(owner);
  py::capsule base(keep, [](void* p) { delete static_cast<std::shared_ptr<Owner>*>(p); });
  py::array_t<T> view(std::move(shape), data, base);
  view.attr("flags").attr("writeable") = false;
  return view;
}

}  // namespace dikkat::python
