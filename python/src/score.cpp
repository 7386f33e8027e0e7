#include "score.h"

#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "error.h"
#include "score/corpus_scores.h"

namespace dikkat::python {

namespace py = pybind11;

namespace {

// refs: one stream (a list of str, one per hypothesis) or several (a list of such lists).
std::vector<std::vector<std::string>> reference_streams(const py::object& refs) {
  if (py::isinstance<py::str>(refs)) throw Error("refs: a list of references, not one str");
  const py::sequence seq = refs.cast<py::sequence>();
  if (seq.size() > 0 && py::isinstance<py::str>(seq[0]))
    return {refs.cast<std::vector<std::string>>()};
  return refs.cast<std::vector<std::vector<std::string>>>();
}

}  // namespace

void bind_score(py::module_& m) {
  m.def(
      "score",
      [](const std::vector<std::string>& hyps, const py::object& refs) {
        const std::vector<std::vector<std::string>> streams = reference_streams(refs);
        const ScoreOptions options;
        CorpusScores scores;
        {
          py::gil_scoped_release release;
          scores = score_corpus(hyps, streams, options);
        }
        py::dict out;
        out["bleu"] = scores.bleu->score;
        out["chrf"] = scores.chrf->score;
        out["bleu_precisions"] = scores.bleu->precisions;
        out["brevity_penalty"] = scores.bleu->brevity_penalty;
        out["ratio"] = scores.bleu->ratio;
        out["sentences"] = scores.sentences;
        out["signatures"] = score_lines(scores, options);
        return out;
      },
      py::arg("hyps"), py::arg("refs"));
}

}  // namespace dikkat::python
