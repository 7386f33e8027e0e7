#pragma once
// The engine's errors as Python exceptions: dikkat.Error (a ValueError) for what the CLI reports
// as a bad value, FileNotFoundError for a missing file, with the CLI's one-line message.
#include <pybind11/pybind11.h>

namespace dikkat::python {

void bind_errors(pybind11::module_& m);

}  // namespace dikkat::python
