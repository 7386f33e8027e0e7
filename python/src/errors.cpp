#include "errors.h"

#include "error.h"

namespace dikkat::python {

namespace py = pybind11;

void bind_errors(py::module_& m) {
  static py::exception<Error> error(m, "Error", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const FileError& e) {
      PyErr_SetString(PyExc_FileNotFoundError, e.what());
    } catch (const Error& e) {
      error(e.what());
    }
  });
}

}  // namespace dikkat::python
