#include "tokenizer.h"

#include <pybind11/stl.h>

#include <filesystem>
#include <string>
#include <vector>

#include "error.h"
#include "run/checkpoint.h"
#include "tokenize/tokenizer.h"

namespace dikkat::python {

namespace py = pybind11;

void bind_tokenizer(py::module_& m) {
  py::class_<Tokenizer>(m, "Tokenizer")
      .def_property_readonly("vocab_size", &Tokenizer::vocab_size)
      .def_property_readonly("kind", &Tokenizer::kind)
      .def_property_readonly("end_of_text", &Tokenizer::end_of_text)
      .def(
          "encode",
          [](const Tokenizer& t, const std::string& text, bool allow_special) {
            return allow_special ? t.encode_with_special(text, "text") : t.encode(text, "text");
          },
          py::arg("text"), py::arg("allow_special") = false)
      .def(
          "decode",
          [](const Tokenizer& t, const std::vector<int32_t>& ids) {
            for (int32_t id : ids)
              if (id < 0 || id >= t.vocab_size())
                throw Error("ids: " + std::to_string(id) + " is outside the vocabulary of " +
                            std::to_string(t.vocab_size()));
            return t.decode_text(ids);
          },
          py::arg("ids"))
      .def("token", &Tokenizer::decode_one, py::arg("id"));
  m.def(
      "tokenizer",
      [](const std::string& path) {
        py::gil_scoped_release release;
        return std::filesystem::is_directory(path) ? read_tokenizer(path)
                                                   : read_tokenizer_file(path);
      },
      py::arg("path"));
}

}  // namespace dikkat::python
