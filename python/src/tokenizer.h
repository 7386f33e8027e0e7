#pragma once
// dikkat.tokenizer(path): a model directory's tokenizer or a tokenizer file (tokenizer.json,
// GPT-2's tiktoken ranks), encode and decode as the CLI's `dikkat tokenizer` does.
#include <pybind11/pybind11.h>

namespace dikkat::python {

void bind_tokenizer(pybind11::module_& m);

}  // namespace dikkat::python
