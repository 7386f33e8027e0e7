#pragma once
// dikkat.load(dir): a trained model directory and what can be asked of it (generation,
// attention tables, next-token probabilities), each call with the GIL released while the engine
// computes.
#include <pybind11/pybind11.h>

namespace dikkat::python {

void bind_model(pybind11::module_& m);

}  // namespace dikkat::python
