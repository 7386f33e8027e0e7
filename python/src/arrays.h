#pragma once
// numpy arrays over the engine's own buffers: the buffer moves into a capsule that becomes the
// array's base, so nothing is copied and the memory lives as long as the array.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
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

}  // namespace dikkat::python
