// dikkat probs: the distribution over the next token after a text, as a sorted bar list, and with
// several temperatures side by side (seed 001's softmax with temperature: T < 1 sharpens,
// T > 1 flattens, T = 0 is greedy).
#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>

#include "cli/commands.h"
#include "cli/output_format.h"
#include "cli/threads.h"
#include "draw/bar_chart_svg.h"
#include "draw/terminal_heatmap.h"
#include "error.h"
#include "inspect/next_token_logits.h"
#include "inspect/model_text.h"
#include "inspect/next_token.h"
#include "inspect/token_labels.h"
#include "io/file_io.h"

namespace dikkat {

namespace {

struct ProbsArgs {
  std::string model, text, target, svg;
  std::vector<float> temperatures;
  int64_t top = 10;
  OutputFormat format = OutputFormat::kText;
  int threads = 1;
};

std::string temperature_name(float t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "T=%g", double(t));
  return buf;
}

void run_probs(ProbsArgs a) {
  apply_threads(a.threads);
  if (a.temperatures.empty()) a.temperatures = {1.0f};
  for (float t : a.temperatures)
    if (!(t >= 0.0f)) throw Error("--temperature must be 0 or more");
  if (a.top < 1) throw Error("--top must be at least 1");
  // A language model continues --text; a translation model gives the next target token after
  // --target (empty: the first) for the source sentence --text; a masked language model its
  // guess at the first [MASK].
  const LoadedModel model = load_model_dir(a.model);
  const Tokenizer& tokenizer = model.tokenizer;
  const NextTokenLogits next = next_token_logits(model, a.text, a.target);
  const std::vector<float>& logits = next.logits;
  std::string after = "\"" + a.text + "\"", seen;
  if (translates(model)) after = "\"" + a.target + "\" translating \"" + a.text + "\"";
  if (next.dropped)
    seen = " — the model sees the last " + std::to_string(next.labels.size()) + " tokens";
  const int64_t vocab = int64_t(logits.size());
  std::vector<std::vector<double>> dists;
  for (float t : a.temperatures) dists.push_back(next_token_distribution(logits.data(), vocab, t));
  // Tokens ranked by the first temperature's distribution; ties keep the lower id first.
  std::vector<int32_t> order(vocab);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t x, int32_t y) { return dists[0][x] > dists[0][y]; });
  order.resize(size_t(std::min(a.top, vocab)));
  auto label = [&](int32_t id) { return visible_token(tokenizer.decode_one(id)); };

  if (!a.svg.empty()) {
    std::vector<BarGroup> groups;
    for (int32_t id : order) {
      BarGroup g{label(id), {}};
      for (const auto& d : dists) g.values.push_back(d[id]);
      groups.push_back(g);
    }
    BarChartStyle style;
    style.title = "Next token after " + after;
    style.value_label = "probability";
    std::vector<std::string> series;
    for (float t : a.temperatures) series.push_back(temperature_name(t));
    write_file_atomic(a.svg, bar_chart_svg(groups, series, style));
  }
  switch (a.format) {
    case OutputFormat::kText: {
      std::printf("next token after %s (%s)%s", after.c_str(), a.model.c_str(), seen.c_str());
      std::printf("\n\n%-8s", "token");
      for (float t : a.temperatures) std::printf(" %-22s", temperature_name(t).c_str());
      std::printf("\n");
      for (int32_t id : order) {
        std::printf("%s", fit_to_width(label(id), 8).c_str());
        for (const auto& d : dists)
          std::printf(" %6.4f %s", d[id], fit_to_width(horizontal_bar(d[id], 15), 15).c_str());
        std::printf("\n");
      }
      if (!a.svg.empty()) std::printf("\nwrote %s\n", a.svg.c_str());
      break;
    }
    case OutputFormat::kJson: {
      nlohmann::json rows = nlohmann::json::array();
      for (int32_t id : order) {
        nlohmann::json probs = nlohmann::json::array();
        for (const auto& d : dists) probs.push_back(d[id]);
        rows.push_back({{"id", id},
                        {"text", tokenizer.decode_one(id)},
                        {"label", label(id)},
                        {"probabilities", probs}});
      }
      std::printf("%s\n", json_text(nlohmann::json{{"model", a.model},
                                                   {"text", a.text},
                                                   {"target", a.target},
                                                   {"dropped_tokens", next.dropped},
                                                   {"temperatures", a.temperatures},
                                                   {"tokens", rows}},
                                    1)
                              .c_str());
      break;
    }
    case OutputFormat::kCsv: {
      std::printf("id,token");
      for (float t : a.temperatures) std::printf(",p_T%g", double(t));
      std::printf("\n");
      for (int32_t id : order) {
        std::printf("%d,%s", id, csv_field(tokenizer.decode_one(id)).c_str());
        for (const auto& d : dists) std::printf(",%.9g", d[id]);
        std::printf("\n");
      }
      break;
    }
  }
}

}  // namespace

void add_probs_command(CLI::App& app) {
  auto args = std::make_shared<ProbsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "probs", "next-token probabilities after a text, at one or more temperatures");
  cmd->footer(
      "Probabilities are softmax(logits / T). Give --temperature several times (or as a list,\n"
      "--temperature 0.5,1,2) to compare them side by side; tokens are ranked by the first.\n"
      "T = 0 is greedy (all mass on the most likely token). A text longer than the context is\n"
      "cut to its last `context` tokens, as generate does.");
  cmd->add_option("--model", args->model, "model directory")->required();
  cmd->add_option("--text", args->text,
                  "the text to continue (a translation model's source sentence)")
      ->required();
  cmd->add_option("--target", args->target,
                  "translation models: the target so far (default: none, the first token)");
  cmd->add_option("--temperature", args->temperatures, "softmax temperature(s) (default 1)")
      ->delimiter(',')
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--top", args->top, "how many tokens to list")->capture_default_str();
  add_format_option(*cmd, args->format);
  cmd->add_option("--svg", args->svg, "also draw the bars as an SVG in this file");
  add_threads_option(*cmd, args->threads);
  cmd->callback([args] { run_probs(*args); });
}

}  // namespace dikkat
