// dikkat fill: a masked language model's guesses for each [MASK] of a text, most likely first,
// with the sentence filled in (seed 002's "Transformers [MASK] surprising emerging features.").
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output_format.h"
#include "cli/threads.h"
#include "draw/terminal_heatmap.h"
#include "inspect/fill_mask.h"
#include "inspect/token_labels.h"

namespace dikkat {

namespace {

struct FillArgs {
  std::string model, text;
  int64_t top = 5;
  OutputFormat format = OutputFormat::kText;
  int threads = 1;
};

void print_text(const FillArgs& a, const FillResult& r) {
  std::printf("%s\n", a.text.c_str());
  for (const FilledMask& m : r.masks) {
    std::printf("\n[MASK] at token %lld:\n", (long long)m.position);
    for (const FillCandidate& c : m.candidates)
      std::printf("  %s %7.4f %s  %s\n", fit_to_width(visible_token(c.token), 12).c_str(),
                  c.score, horizontal_bar(c.score, 30).c_str(), c.sequence.c_str());
  }
  std::printf("\nfilled: %s\n", r.filled.c_str());
}

// Hugging Face's fill-mask fields for each mask, with the mask's position and the filled text.
void print_json(const FillArgs& a, const FillResult& r) {
  const nlohmann::json out = {{"model", a.model},
                              {"text", a.text},
                              {"tokens", r.inspected.input.labels},
                              {"masks", masks_json(r)},
                              {"filled", r.filled}};
  std::printf("%s\n", json_text(out, 1).c_str());
}

void run_fill(const FillArgs& a) {
  apply_threads(a.threads);
  const LoadedModel model = load_model_dir(a.model);
  const FillResult r = fill_masks(model, a.text, a.top);
  switch (a.format) {
    case OutputFormat::kJson:
      return print_json(a, r);
    case OutputFormat::kText:
    case OutputFormat::kCsv:
      return print_text(a, r);
  }
}

}  // namespace

void add_fill_command(CLI::App& app) {
  auto args = std::make_shared<FillArgs>();
  CLI::App* cmd = app.add_subcommand(
      "fill", "a masked language model's guesses for each [MASK] of a text, most likely first");
  cmd->footer(
      "Write [MASK] where a token is missing: \"Transformers [MASK] surprising emerging\n"
      "features.\" The model reads the text as it was trained, [CLS] text [SEP], once; each\n"
      "mask's guesses are the softmax of its position's logits. With a byte-level BPE a mask\n"
      "stands for one token together with the space before it (\" possess\"). JSON gives Hugging\n"
      "Face's fill-mask fields for each mask: score, token (id), token_str and sequence (the\n"
      "text with that guess in place).");
  cmd->add_option("--model", args->model, "model directory (trained with --arch bert)")
      ->required();
  cmd->add_option("--text", args->text, "text with one or more [MASK]")->required();
  cmd->add_option("--top", args->top, "guesses per mask")->capture_default_str();
  cmd->add_option("--format", args->format, "text or json")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, OutputFormat>{{"text", OutputFormat::kText},
                                              {"json", OutputFormat::kJson}},
          CLI::ignore_case));
  add_threads_option(*cmd, args->threads);
  cmd->callback([args] { run_fill(*args); });
}

}  // namespace dikkat
