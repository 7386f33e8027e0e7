// dikkat trace: seed 003's walk through the model for one text, step by step with shapes and
// values: ids, embeddings, positions, and for every block LayerNorm, Q/K/V, scores, mask,
// softmax, weighted sums, projection, residuals and feed-forward; then the final LayerNorm,
// the logits and the most likely next tokens. The numbers come from the generation code path.
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
#include "inspect/forward_trace.h"
#include "inspect/model_text.h"
#include "inspect/next_token.h"
#include "inspect/trace_steps.h"
#include "inspect/trace_svg.h"
#include "io/file_io.h"

namespace dikkat {

namespace {

// "1 encoder and 1 decoder layers, 2 heads, n_embd 32", or for a recurrent model
// "GRU, 1 bidirectional encoder and 1 decoder layers, hidden 16, bahdanau attention, n_embd 16".
std::string translator_shape(const ModelConfig& c) {
  const std::string layers = std::to_string(c.n_encoder_layer) + " " +
                             (c.arch == Arch::kRnn && c.bidirectional ? "bidirectional " : "") +
                             "encoder and " + std::to_string(c.n_layer) + " decoder layers";
  if (c.arch != Arch::kRnn)
    return layers + ", " + std::to_string(c.n_head) + " heads, n_embd " + std::to_string(c.n_embd);
  return std::string(c.cell == RecurrentCell::kGru ? "GRU" : "LSTM") + ", " + layers + ", hidden " +
         std::to_string(c.hidden) + ", " + enum_to_name(kRecurrentAttentionNames, c.attention) +
         " attention, n_embd " + std::to_string(c.n_embd);
}

struct TraceArgs {
  std::string model, text, target, svg;
  int64_t dims = 8, top = 10, layer = 0;
  OutputFormat format = OutputFormat::kText;
  int threads = 1;
};

// Entries of block `layer` (1-based; 0 = every block) plus everything outside the blocks.
// An encoder-decoder's blocks are "encoder.h.<i>." and "decoder.h.<i>.".
bool shown(const std::string& name, int64_t layer) {
  const std::string block = name.starts_with("encoder.")   ? name.substr(8)
                            : name.starts_with("decoder.") ? name.substr(8)
                                                           : name;
  if (!layer || !block.starts_with("h.")) return true;
  return block.starts_with("h." + std::to_string(layer - 1) + ".");
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
void print_entries(const TraceArgs& a, const ActivationTrace& trace, const ModelConfig& model,
                   const std::function<const std::vector<std::string>&(const std::string&)>& labels,
                   int& step) {
  for (const auto& e : trace.entries()) {
    if (!shown(e.name, a.layer)) continue;
    std::printf("\nstep %d. %s  %s %s\n", step++, e.name.c_str(),
                describe_trace_step(e.name, model).c_str(), shape_to_string(e.value.shape).c_str());
    const auto& rows_of = labels(e.name);
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

void print_text(const TraceArgs& a, const ModelText& mt, const ActivationTrace& trace,
                const std::vector<NextToken>& next) {
  const ModelConfig& c = mt.model.config.model;
  std::printf("trace of \"%s\" through %s (%s)\n\n", a.text.c_str(), a.model.c_str(),
              c.arch == Arch::kBigram
                  ? ("a bigram table, vocab " + std::to_string(c.vocab_size)).c_str()
                  : (std::to_string(c.n_layer) + " layers, " + std::to_string(c.n_head) +
                     " heads, n_embd " + std::to_string(c.n_embd))
                        .c_str());
  std::printf("step 1. token ids (%zu)\n", mt.ids.size());
  for (size_t i = 0; i < mt.ids.size(); ++i)
    std::printf("  %3zu %s -> %d\n", i + 1, fit_to_width(mt.labels[i], 4).c_str(), mt.ids[i]);
  int step = 2;
  print_entries(
      a, trace, c, [&](const std::string&) -> const auto& { return mt.labels; }, step);
  print_next("\"" + a.text + "\"", next, step);
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

void print_json(const TraceArgs& a, const ModelText& mt, const ActivationTrace& trace,
                const std::vector<NextToken>& next) {
  const ModelConfig& c = mt.model.config.model;
  nlohmann::json tokens = nlohmann::json::array();
  for (size_t i = 0; i < mt.ids.size(); ++i)
    tokens.push_back(
        {{"position", i + 1}, {"id", mt.ids[i]}, {"text", mt.tokens[i]}, {"label", mt.labels[i]}});
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& e : trace.entries()) {
    if (!shown(e.name, a.layer)) continue;
    steps.push_back({{"name", e.name},
                     {"description", describe_trace_step(e.name, c)},
                     {"shape", e.value.shape},
                     {"values", tensor_json(e.value.ptr(), e.value.shape, 0)}});
  }
  nlohmann::json top = nlohmann::json::array();
  for (const NextToken& t : next)
    top.push_back(
        {{"id", t.id}, {"text", t.text}, {"label", t.label}, {"probability", t.probability}});
  const nlohmann::json out = {
      {"model", a.model}, {"text", a.text}, {"tokens", tokens}, {"steps", steps}, {"next", top}};
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

void write_svg(const TraceArgs& a, const ModelText& mt, const ActivationTrace& trace,
               const std::vector<NextToken>& next) {
  ActivationTrace shown_steps;
  TraceFigure figure{
      "The path of \"" + a.text + "\" through " + a.model, mt.labels, {}, next, a.dims, {}};
  for (const auto& e : trace.entries()) {
    if (!shown(e.name, a.layer)) continue;
    shown_steps.add(e.name, e.value);
    figure.step_titles.push_back(e.name + "  " +
                                 describe_trace_step(e.name, mt.model.config.model));
  }
  write_file_atomic(a.svg, trace_svg(shown_steps, figure));
}

// An encoder-decoder: the encoder over the source, then the decoder over <start> + target (the
// given --target or the model's own translation), every position of both.
void run_translation_trace(const TraceArgs& a, const LoadedModel& model) {
  const ModelConfig& c = model.config.model;
  const int64_t deepest = std::max(c.n_layer, c.n_encoder_layer);
  if (a.layer < 0 || a.layer > deepest)
    throw Error("--layer " + std::to_string(a.layer) + ": the model has layers 1.." +
                std::to_string(deepest));
  const TranslationText t = run_translation(model, a.text, a.target);
  const ActivationTrace& trace = t.pass.trace;
  const Tensor& logits = t.pass.logits;
  const int64_t vocab = logits.size(1);
  const std::vector<NextToken> next = most_likely_next(logits.ptr() + (logits.size(0) - 1) * vocab,
                                                       vocab, 1.0f, a.top, model.tokenizer);
  auto labels = [&](const std::string& name) -> const std::vector<std::string>& {
    return name.starts_with("encoder.") ? t.source_labels : t.target_labels;
  };
  const std::string target = model.tokenizer.decode_text(t.target);
  if (!a.svg.empty()) {
    ActivationTrace shown_steps;
    TraceFigure figure{"The path of \"" + a.text + "\" -> \"" + target + "\" through " + a.model,
                       {},
                       {},
                       next,
                       a.dims,
                       {}};
    for (const auto& e : trace.entries()) {
      if (!shown(e.name, a.layer)) continue;
      shown_steps.add(e.name, e.value);
      figure.step_titles.push_back(e.name + "  " + describe_trace_step(e.name, c));
      figure.step_labels.push_back(labels(e.name));
    }
    write_file_atomic(a.svg, trace_svg(shown_steps, figure));
  }
  if (a.format == OutputFormat::kCsv) return print_csv(a, trace);
  if (a.format == OutputFormat::kJson) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& e : trace.entries())
      if (shown(e.name, a.layer))
        steps.push_back({{"name", e.name},
                         {"description", describe_trace_step(e.name, c)},
                         {"shape", e.value.shape},
                         {"rows", labels(e.name)},
                         {"values", tensor_json(e.value.ptr(), e.value.shape, 0)}});
    nlohmann::json top = nlohmann::json::array();
    for (const NextToken& n : next)
      top.push_back({{"id", n.id}, {"text", n.text}, {"probability", n.probability}});
    std::printf("%s\n", json_text(nlohmann::json{{"model", a.model},
                                                 {"text", a.text},
                                                 {"target", target},
                                                 {"translated", t.translated},
                                                 {"source_labels", t.source_labels},
                                                 {"target_labels", t.target_labels},
                                                 {"steps", steps},
                                                 {"next", top}})
                            .c_str());
    return;
  }
  std::printf("trace of \"%s\" -> \"%s\"%s through %s (%s)\n", a.text.c_str(), target.c_str(),
              t.translated ? " (the model's translation)" : "", a.model.c_str(),
              translator_shape(c).c_str());
  int step = 1;
  print_entries(a, trace, c, labels, step);
  print_next("\"" + target + "\"", next, step);
}

void run_trace(const TraceArgs& a) {
  apply_threads(a.threads);
  {
    const LoadedModel model = load_model_dir(a.model);
    if (translates(model)) return run_translation_trace(a, model);
    if (!a.target.empty()) throw Error("--target: " + a.model + " is a language model");
  }
  const ModelText mt = load_model_and_text(a.model, a.text);
  const int64_t layers = mt.model.config.model.n_layer;
  if (a.layer < 0 || a.layer > layers)
    throw Error("--layer " + std::to_string(a.layer) + ": the model has layers 1.." +
                std::to_string(layers));
  if (a.dims < 1) throw Error("--dims must be at least 1");
  const ActivationTrace trace = trace_forward(*mt.model.model, mt.ids);
  const Tensor& logits = trace.at("logits");
  const int64_t vocab = logits.size(1);
  const std::vector<NextToken> next = most_likely_next(logits.ptr() + (logits.size(0) - 1) * vocab,
                                                       vocab, 1.0f, a.top, mt.model.tokenizer);
  if (!a.svg.empty()) write_svg(a, mt, trace, next);
  switch (a.format) {
    case OutputFormat::kText:
      print_text(a, mt, trace, next);
      break;
    case OutputFormat::kJson:
      print_json(a, mt, trace, next);
      break;
    case OutputFormat::kCsv:
      print_csv(a, trace);
      break;
  }
}

}  // namespace

void add_trace_command(CLI::App& app) {
  auto args = std::make_shared<TraceArgs>();
  CLI::App* cmd = app.add_subcommand(
      "trace", "the path of one text through the model, step by step with shapes and values");
  cmd->footer(
      "Every number is the model's own, from the same code path as `dikkat generate`. The raw,\n"
      "scaled and masked scores are computed from that path's Q and K exactly as the attention\n"
      "kernel does. In the terminal, rows wider than --dims are cut (\"… N more\"); --format json\n"
      "and csv always hold every value (the mask's -inf is null in JSON). The text must fit the\n"
      "model's context.");
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
