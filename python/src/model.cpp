#include "model.h"

#include <nlohmann/json.hpp>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "arrays.h"
#include "error.h"
#include "generate/text_generator.h"
#include "generate/translator.h"
#include "inspect/attention_maps.h"
#include "inspect/model_text.h"
#include "inspect/next_token.h"
#include "inspect/next_token_logits.h"
#include "interrupt.h"
#include "run/checkpoint.h"
#include "run/snapshots.h"

namespace dikkat::python {

namespace {

namespace py = pybind11;

struct LoadedHandle {
  std::string dir;
  std::shared_ptr<const LoadedModel> loaded;

  const LoadedModel& get() const { return *loaded; }
};

LoadedHandle load(const std::string& dir) {
  py::gil_scoped_release release;
  return {dir, std::make_shared<const LoadedModel>(load_model_dir(dir))};
}

py::object json_to_python(const nlohmann::json& j) {
  return py::module_::import("json").attr("loads")(j.dump());
}

std::string generate(const LoadedHandle& h, const std::string& prompt, int64_t tokens,
                     float temperature, int64_t top_k, float top_p, uint64_t seed) {
  if (prompt.empty()) throw Error("prompt is empty (a non-empty text to continue)");
  if (tokens < 0) throw Error("tokens must be 0 or more, got " + std::to_string(tokens));
  if (!(temperature >= 0.0f)) throw Error("temperature must be 0 or more");
  if (top_k < 0) throw Error("top_k must be 0 or more, got " + std::to_string(top_k));
  if (!(top_p > 0.0f && top_p <= 1.0f)) throw Error("top_p must be in (0, 1]");
  const LoadedModel& m = h.get();
  std::vector<int32_t> ids;
  {
    py::gil_scoped_release release;
    const std::vector<int32_t> encoded = m.tokenizer.encode(prompt, "prompt");
    std::mt19937_64 rng(seed);
    InterruptCheck interrupted;
    ids = generate_tokens(
        *m.model, encoded, tokens, {temperature, top_k, top_p}, rng,
        [&](int32_t) { interrupted(); }, m.tokenizer.end_of_text().value_or(-1));
  }
  return m.tokenizer.decode_text(ids);
}

py::dict attention(const LoadedHandle& h, const std::string& text, const std::string& kind,
                   const std::string& target) {
  const LoadedModel& m = h.get();
  AttentionMaps maps;
  InspectedText t;
  std::string kind_name;
  {
    py::gil_scoped_release release;
    kind_name = attention_kind_name(m, kind, h.dir, "kind");
    t = inspect_text(m, text, target, true, {"text", "target"});
    maps = attention_maps(t, t.kind(kind_name, "kind"));
  }
  py::dict out;
  out["kind"] = kind_name;
  out["queries"] = maps.row_labels;
  out["keys"] = maps.col_labels;
  out["causal"] = maps.causal;
  if (translates(m)) {
    out["target"] = m.tokenizer.decode_text(t.target_ids);
    out["translated"] = t.translated;
    out["source_tokens"] = t.input.labels;
    out["target_tokens"] = t.target.labels;
  }
  const std::vector<py::ssize_t> shape = {maps.layers, maps.heads, maps.rows, maps.cols};
  out["weights"] = owning_array<float>(std::move(maps.weights), shape);
  return out;
}

py::dict probs(const LoadedHandle& h, const std::string& text, float temperature,
               const std::string& target) {
  if (!(temperature >= 0.0f)) throw Error("temperature must be 0 or more");
  const LoadedModel& m = h.get();
  NextTokenLogits next;
  std::vector<double> distribution;
  {
    py::gil_scoped_release release;
    next = next_token_logits(m, text, target, {"text", "target"});
    distribution =
        next_token_distribution(next.logits.data(), int64_t(next.logits.size()), temperature);
  }
  std::vector<std::string> tokens;
  for (int32_t id = 0; id < int32_t(distribution.size()); ++id)
    tokens.push_back(m.tokenizer.decode_one(id));
  py::dict out;
  const py::ssize_t vocab = py::ssize_t(distribution.size());
  out["probs"] = owning_array<double>(std::move(distribution), {vocab});
  out["tokens"] = py::cast(tokens);
  out["context"] = next.labels;
  out["dropped"] = next.dropped;
  return out;
}

std::vector<py::ssize_t> shape_of(const Tensor& t) {
  return {t.shape.begin(), t.shape.end()};
}

// Each traced step in order: (name, array over the trace's own tensor, English and Turkish
// descriptions, the labels of the positions its rows run over).
py::list trace(const LoadedHandle& h, const std::string& text, const std::string& target) {
  std::shared_ptr<const InspectedText> t;
  {
    py::gil_scoped_release release;
    t = std::make_shared<const InspectedText>(
        inspect_text(h.get(), text, target, true, {"text", "target"}));
  }
  py::list steps;
  for (const ActivationTrace::Entry& e : t->trace.entries())
    steps.append(py::make_tuple(e.name, array_over(e.value.ptr(), shape_of(e.value), t),
                                e.text.en, e.text.tr, t->sequence(e.rows).labels));
  return steps;
}

// The token embedding table (vocab, width) at the latest step or a kept one, and each row's
// token text.
py::tuple embeddings(const LoadedHandle& h, std::optional<int64_t> step) {
  std::shared_ptr<const LoadedModel> m = h.loaded;
  if (step) {
    py::gil_scoped_release release;
    m = std::make_shared<const LoadedModel>(
        load_model_dir(h.dir, checkpoint_at(h.dir, *step, "step")));
  }
  const Tensor& table = m->model->token_embedding()->value;
  std::vector<std::string> tokens;
  for (int32_t id = 0; id < int32_t(table.shape[0]); ++id)
    tokens.push_back(m->tokenizer.decode_one(id));
  return py::make_tuple(array_over(table.ptr(), shape_of(table), m), tokens);
}

std::vector<std::string> translate_texts(const LoadedHandle& h,
                                         const std::vector<std::string>& texts, int64_t beam,
                                         float length_penalty, int64_t batch) {
  const LoadedModel& m = h.get();
  if (!m.model->translation_decoder())
    throw Error(h.dir + ": a language model does not translate (use generate)");
  const auto eos = m.tokenizer.end_of_text();
  if (!eos) throw Error(h.dir + ": its tokenizer has no <|endoftext|> token to end a sentence");
  std::vector<std::string> out;
  py::gil_scoped_release release;
  std::vector<std::vector<int32_t>> sources;
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::string where = "texts[" + std::to_string(i) + "]";
    sources.push_back(m.tokenizer.encode(texts[i], where));
    if (int64_t(sources.back().size()) + 1 > m.config.model.context)
      throw Error(where + ": " + std::to_string(sources.back().size()) +
                  " tokens (and the end token) exceed the model's context of " +
                  std::to_string(m.config.model.context));
  }
  InterruptCheck interrupted;
  for (const auto& target : translate_in_batches(*m.model, sources, *eos,
                                                 {beam, length_penalty, 0}, batch,
                                                 [&](size_t) { interrupted(); }))
    out.push_back(m.tokenizer.decode_text(target));
  return out;
}

}  // namespace

void bind_model(py::module_& m) {
  py::class_<LoadedHandle>(m, "LoadedModel")
      .def_readonly("dir", &LoadedHandle::dir)
      .def_property_readonly("config",
                             [](const LoadedHandle& h) {
                               const RunConfig& c = h.get().config;
                               return json_to_python({{"model", c.model}, {"train", c.train}});
                             })
      .def_property_readonly("step", [](const LoadedHandle& h) { return h.get().step; })
      .def_property_readonly("summary",
                             [](const LoadedHandle& h) { return h.get().model->summary(); })
      .def_property_readonly("translates",
                             [](const LoadedHandle& h) { return translates(h.get()); })
      .def_property_readonly("attention_kinds",
                             [](const LoadedHandle& h) {
                               std::vector<std::string> names;
                               for (const AttentionKind& k : h.get().model->attention_kinds())
                                 names.push_back(k.name);
                               return names;
                             })
      .def("generate", &generate, py::arg("prompt"), py::arg("tokens"), py::arg("temperature"),
           py::arg("top_k"), py::arg("top_p"), py::arg("seed"))
      .def("attention", &attention, py::arg("text"), py::arg("kind"), py::arg("target"))
      .def("probs", &probs, py::arg("text"), py::arg("temperature"), py::arg("target"))
      .def("trace", &trace, py::arg("text"), py::arg("target"))
      .def("embeddings", &embeddings, py::arg("step"))
      .def("translate", &translate_texts, py::arg("texts"), py::arg("beam"),
           py::arg("length_penalty"), py::arg("batch"));
  m.def("load", &load, py::arg("dir"));
}

}  // namespace dikkat::python
