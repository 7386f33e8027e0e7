// The compiled half of the `dikkat` package (python/dikkat/__init__.py is the other): the engine
// as Python objects with numpy results.
#include <pybind11/pybind11.h>

#include "errors.h"
#include "model.h"
#include "score.h"
#include "tokenizer.h"

PYBIND11_MODULE(_dikkat, m) {
  m.doc() = "dikkat's C++ engine (use the dikkat package, which wraps it)";
  dikkat::python::bind_errors(m);
  dikkat::python::bind_model(m);
  dikkat::python::bind_tokenizer(m);
  dikkat::python::bind_score(m);
}
