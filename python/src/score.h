#pragma once
// dikkat.score(hyps, refs): corpus BLEU and chrF exactly as `dikkat score` (and sacreBLEU) give
// them, with sacreBLEU's signature lines.
#include <pybind11/pybind11.h>

namespace dikkat::python {

void bind_score(pybind11::module_& m);

}  // namespace dikkat::python
