// dikkat trace: seed 003's walk through the model for one text, step by step with shapes and
// values: ids, embeddings, positions, and for every block LayerNorm, Q/K/V, scores, mask,
// softmax, weighted sums, projection, residuals and feed-forward; then the final LayerNorm,
// the logits and the most likely next tokens. The steps, their order and their descriptions are
// the model's own (Model::inspect).
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output_format.h"
#include "cli/threads.h"
#include "draw/terminal_heatmap.h"
#include "error.h"
#include "inspect/model_text.h"
#include "inspect/next_token.h"
#include "inspect/trace_svg.h"
#include "io/file_io.h"

namespace dikkat {

namespace {

struct TraceArgs {
  std::string model, text, target, svg;
  int64_t dims = 8, top = 10, layer = 0;
  OutputFormat format = OutputFormat::kText;
  int threads = 1;
};

// The block (from 1) an entry belongs to, "h.<i>." or an encoder-decoder's "encoder.h.<i>." and
// "decoder.h.<i>."; 0 for entries outside the blocks.
int64_t block_of(const std::string& name) {
  const std::string block = name.starts_with("encoder.")   ? name.substr(8)
                            : name.starts_with("decoder.") ? name.substr(8)
                                                           : name;
  if (!block.starts_with("h.")) return 0;
  const size_t dot = block.find('.', 2);
  const std::string digits = block.substr(2, dot == std::string::npos ? dot : dot - 2);
  if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos)
    return 0;
  return std::stoll(digits) + 1;
}

// Entries of block `layer` (from 1; 0 = every block) plus everything outside the blocks.
bool shown(const std::string& name, int64_t layer) {
  return !layer || block_of(name) == 0 || block_of(name) == layer;
}

std::string format_vector(const float* v, int64_t n, int64_t dims) {
  std::string out = "[";
  char buf[32];
  for (int64_t j = 0; j < std::min(n, dims); ++j) {
    if (std::isinf(v[j]))
      std::snprintf(buf, sizeof buf, "%8s", v[j] < 0 ? "-inf" : "inf");
    else
      std::snprintf(buf, sizeof buf, "%8.4f", double(v[j]));
    out += buf;
  }
  if (n > dims) out += "  … " + std::to_string(n - dims) + " more";
  return out + " ]";
}

void print_rows(const Tensor& t, const std::vector<std::string>& labels, int64_t dims,
                const std::string& indent) {
  const int64_t rows = t.size(0), cols = t.size(1);
  for (int64_t r = 0; r < rows; ++r)
    std::printf("%s%3lld %s %s\n", indent.c_str(), (long long)(r + 1),
                fit_to_width(labels[r], 4).c_str(),
                format_vector(t.ptr() + r * cols, cols, dims).c_str());
}

// Every entry of a trace, each row labelled; (H, T, X) entries one block of rows per head.
void print_entries(const TraceArgs& a, const InspectedText& t, int& step) {
  for (const auto& e : t.trace.entries()) {
    if (!shown(e.name, a.layer)) continue;
    std::printf("\nstep %d. %s  %s %s\n", step++, e.name.c_str(), e.text.en.c_str(),
                shape_to_string(e.value.shape).c_str());
    const auto& rows_of = t.sequence(e.rows).labels;
    if (e.value.shape.size() == 2) {
      print_rows(e.value, rows_of, a.dims, "  ");
      continue;
    }
    const int64_t heads = e.value.size(0), rows = e.value.size(1), cols = e.value.size(2);
    for (int64_t h = 0; h < heads; ++h) {
      std::printf("  head %lld\n", (long long)(h + 1));
      Tensor slice({rows, cols});
      std::copy_n(e.value.ptr() + h * rows * cols, rows * cols, slice.ptr());
      print_rows(slice, rows_of, a.dims, "  ");
    }
  }
}

void print_next(const std::string& after, const std::vector<NextToken>& next, int step) {
  std::printf("\nstep %d. next token after %s: softmax of the last position's logits\n", step,
              after.c_str());
  for (const NextToken& t : next)
    std::printf("  %s %7.4f %s\n", fit_to_width(t.label, 6).c_str(), t.probability,
                horizontal_bar(t.probability, 40).c_str());
}

void print_text(const TraceArgs& a, const LoadedModel& model, const InspectedText& t,
                const std::vector<NextToken>& next) {
  const std::string target = model.tokenizer.decode_text(t.target_ids);
  int step = 1;
  if (translates(model)) {
    std::printf("trace of \"%s\" -> \"%s\"%s through %s (%s)\n", a.text.c_str(), target.c_str(),
                t.translated ? " (the model's translation)" : "", a.model.c_str(),
                model.model->summary().c_str());
  } else {
    std::printf("trace of \"%s\" through %s (%s)\n\n", a.text.c_str(), a.model.c_str(),
                model.model->summary().c_str());
    std::printf("step 1. token ids (%zu)\n", t.input.ids.size());
    for (size_t i = 0; i < t.input.ids.size(); ++i)
      std::printf("  %3zu %s -> %d\n", i + 1, fit_to_width(t.input.labels[i], 4).c_str(),
                  t.input.ids[i]);
    step = 2;
  }
  print_entries(a, t, step);
  print_next("\"" + (translates(model) ? target : a.text) + "\"", next, step);
}

// Nested arrays of the tensor's values; -inf (the causal mask) becomes null.
nlohmann::json tensor_json(const float* v, const std::vector<int64_t>& shape, size_t axis) {
  nlohmann::json out = nlohmann::json::array();
  int64_t stride = 1;
  for (size_t k = axis + 1; k < shape.size(); ++k) stride *= shape[k];
  for (int64_t i = 0; i < shape[axis]; ++i) {
    if (axis + 1 == shape.size())
      out.push_back(std::isinf(v[i]) ? nlohmann::json(nullptr) : nlohmann::json(v[i]));
    else
      out.push_back(tensor_json(v + i * stride, shape, axis + 1));
  }
  return out;
}

void print_json(const TraceArgs& a, const LoadedModel& model, const InspectedText& t,
                const std::vector<NextToken>& next) {
  nlohmann::json tokens = nlohmann::json::array();
  for (size_t i = 0; i < t.input.ids.size(); ++i)
    tokens.push_back({{"position", i + 1},
                      {"id", t.input.ids[i]},
                      {"text", t.input.tokens[i]},
                      {"label", t.input.labels[i]}});
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& e : t.trace.entries()) {
    if (!shown(e.name, a.layer)) continue;
    steps.push_back({{"name", e.name},
                     {"description", e.text.en},
                     {"description_tr", e.text.tr},
                     {"shape", e.value.shape},
                     {"rows", t.sequence(e.rows).labels},
                     {"values", tensor_json(e.value.ptr(), e.value.shape, 0)}});
  }
  nlohmann::json top = nlohmann::json::array();
  for (const NextToken& n : next)
    top.push_back(
        {{"id", n.id}, {"text", n.text}, {"label", n.label}, {"probability", n.probability}});
  nlohmann::json out = {
      {"model", a.model}, {"text", a.text}, {"tokens", tokens}, {"steps", steps}, {"next", top}};
  if (translates(model))
    out.update({{"target", model.tokenizer.decode_text(t.target_ids)},
                {"translated", t.translated},
                {"source_labels", t.input.labels},
                {"target_labels", t.target.labels}});
  std::printf("%s\n", json_text(out).c_str());
}

void print_csv(const TraceArgs& a, const ActivationTrace& trace) {
  std::printf("step,i,j,k,value\n");
  for (const auto& e : trace.entries()) {
    if (!shown(e.name, a.layer)) continue;
    const auto& shape = e.value.shape;
    std::vector<int64_t> index(shape.size(), 0);
    for (int64_t n = 0; n < e.value.numel(); ++n) {
      std::printf("%s", e.name.c_str());
      for (size_t d = 0; d < 3; ++d)
        d < index.size() ? std::printf(",%lld", (long long)index[d]) : std::printf(",");
      std::printf(",%.9g\n", double(e.value.data[n]));
      for (size_t d = index.size(); d-- > 0;) {
        if (++index[d] < shape[d]) break;
        index[d] = 0;
      }
    }
  }
}

void write_svg(const TraceArgs& a, const LoadedModel& model, const InspectedText& t,
               const std::vector<NextToken>& next) {
  const std::string title =
      translates(model)
          ? "The path of \"" + a.text + "\" -> \"" + model.tokenizer.decode_text(t.target_ids) +
                "\" through " + a.model
          : "The path of \"" + a.text + "\" through " + a.model;
  ActivationTrace shown_steps;
  TraceFigure figure{title, t.input.labels, {}, next, a.dims, {}};
  for (const auto& e : t.trace.entries()) {
    if (!shown(e.name, a.layer)) continue;
    shown_steps.add(e.name, e.value, e.text, e.rows);
    figure.step_titles.push_back(e.name + "  " + e.text.en);
    figure.step_labels.push_back(t.sequence(e.rows).labels);
  }
  write_file_atomic(a.svg, trace_svg(shown_steps, figure));
}

void run_trace(const TraceArgs& a) {
  apply_threads(a.threads);
  if (a.dims < 1) throw Error("--dims must be at least 1");
  const LoadedModel model = load_model_dir(a.model);
  const InspectedText t = inspect_text(model, a.text, a.target);
  int64_t layers = 0;
  for (const auto& e : t.trace.entries()) layers = std::max(layers, block_of(e.name));
  if (a.layer < 0 || a.layer > layers)
    throw Error("--layer " + std::to_string(a.layer) + ": the model has " +
                (layers ? "layers 1.." + std::to_string(layers) : std::string("no blocks")));
  const std::span<const float> logits = t.last_logits();
  const std::vector<NextToken> next =
      most_likely_next(logits.data(), int64_t(logits.size()), 1.0f, a.top, model.tokenizer);
  if (!a.svg.empty()) write_svg(a, model, t, next);
  switch (a.format) {
    case OutputFormat::kText:
      print_text(a, model, t, next);
      break;
    case OutputFormat::kJson:
      print_json(a, model, t, next);
      break;
    case OutputFormat::kCsv:
      print_csv(a, t.trace);
      break;
  }
}

}  // namespace

void add_trace_command(CLI::App& app) {
  auto args = std::make_shared<TraceArgs>();
  CLI::App* cmd = app.add_subcommand(
      "trace", "the path of one text through the model, step by step with shapes and values");
  cmd->footer(
      "Every number is the model's own, from its training forward on one input (the same blocks\n"
      "generation runs). The raw, scaled and masked scores are computed from that pass's Q and\n"
      "K exactly as the attention kernel does. In the terminal, rows wider than --dims are cut\n"
      "(\"… N more\"); --format json and csv always hold every value (the mask's -inf is null in\n"
      "JSON). The text must fit the model's context.");
  cmd->add_option("--model", args->model, "model directory")->required();
  cmd->add_option("--text", args->text,
                  "text to run through the model (a translation model's source sentence)")
      ->required();
  cmd->add_option("--target", args->target,
                  "translation models: the target (default: the model's own translation)");
  cmd->add_option("--dims", args->dims, "values shown per row in the terminal")
      ->capture_default_str();
  cmd->add_option("--layer", args->layer, "show only this block (1..n_layer)");
  cmd->add_option("--top", args->top, "how many next tokens to list")->capture_default_str();
  add_format_option(*cmd, args->format);
  cmd->add_option("--svg", args->svg, "also draw the steps (first --dims values of each row)");
  add_threads_option(*cmd, args->threads);
  cmd->callback([args] { run_trace(*args); });
}

}  // namespace dikkat
