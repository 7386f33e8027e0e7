// dikkat bigram: a bigram model's table (seed 004's first model) as P(next | current), the
// softmax of each row, drawn as a heatmap: rows the current token, columns the next.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output_format.h"
#include "draw/heatmap_svg.h"
#include "draw/terminal_heatmap.h"
#include "error.h"
#include "inspect/bigram_table.h"
#include "inspect/token_labels.h"
#include "io/file_io.h"
#include "run/checkpoint.h"

namespace dikkat {

namespace {

// Up to this many tokens the terminal shows numbers; beyond, a compact heatmap.
constexpr size_t kTableWithNumbers = 24;

struct BigramArgs {
  std::string model, text, svg;
  bool no_color = false;
  OutputFormat format = OutputFormat::kText;
};

void run_bigram(const BigramArgs& a) {
  const LoadedModel m = load_model_dir(a.model);
  if (!m.model->next_token_table())
    throw Error(a.model + " has no next-token table, its next token depends on more than the "
                          "current one (" + m.model->summary() + "): dikkat attention shows what it looks at");
  const BigramTable table = bigram_table(m, a.text, "--text");
  const std::vector<int32_t>& ids = table.ids;
  const std::vector<std::string>& labels = table.labels;
  const std::vector<float>& probabilities = table.probabilities;
  const int64_t V = table.vocab_size, n = int64_t(ids.size());
  const float hi = std::max(*std::max_element(probabilities.begin(), probabilities.end()), 1e-6f);
  if (!a.svg.empty()) {
    HeatmapStyle style;
    style.title = "Bigram table of " + a.model + ": P(next | current)";
    style.x_label = "next token";
    style.y_label = "current token";
    style.color_bar_label = "probability";
    style.hi = hi;
    write_file_atomic(a.svg, heatmap_svg({"", labels, labels, n, n, probabilities}, style));
  }
  switch (a.format) {
    case OutputFormat::kJson: {
      nlohmann::json rows = nlohmann::json::array();
      for (int64_t r = 0; r < n; ++r)
        rows.push_back(
            std::vector<float>(probabilities.begin() + r * n, probabilities.begin() + (r + 1) * n));
      std::printf("%s\n", json_text(nlohmann::json{{"model", a.model},
                                                   {"ids", ids},
                                                   {"labels", labels},
                                                   {"probabilities", rows}},
                                    1)
                              .c_str());
      break;
    }
    case OutputFormat::kCsv:
      std::printf("current,next,probability\n");
      for (int64_t r = 0; r < n; ++r)
        for (int64_t c = 0; c < n; ++c)
          std::printf("%s,%s,%.9g\n", csv_field(labels[size_t(r)]).c_str(),
                      csv_field(labels[size_t(c)]).c_str(),
                      double(probabilities[size_t(r * n + c)]));
      break;
    case OutputFormat::kText: {
      std::printf(
          "Bigram table of %s: P(next | current), rows the current token, columns the next (%lld "
          "of %lld tokens: rows sum to 1 over the whole vocabulary)\n\n",
          a.model.c_str(), (long long)n, (long long)V);
      const TerminalTable t{labels, labels, n, n, probabilities, 0.0f, hi, 2};
      const bool color = stdout_wants_color(a.no_color);
      std::fputs(size_t(n) <= kTableWithNumbers ? render_value_table(t, color).c_str()
                                                : render_mini_heatmap(t, color).c_str(),
                 stdout);
      if (!a.svg.empty()) std::printf("\nwrote %s\n", a.svg.c_str());
      break;
    }
  }
}

}  // namespace

void add_bigram_command(CLI::App& app) {
  auto args = std::make_shared<BigramArgs>();
  CLI::App* cmd = app.add_subcommand(
      "bigram", "a bigram model's next-token table, P(next | current), as a heatmap");
  cmd->footer(
      "Each row is the softmax of the table row of the current token: the probability of each\n"
      "next token. --text chooses the tokens shown (each once, in order); without it the whole\n"
      "vocabulary is shown when it has at most " + std::to_string(kWholeBigramVocabulary) + " tokens.");
  cmd->add_option("--model", args->model, "model directory (trained with --arch bigram)")
      ->required();
  cmd->add_option("--text", args->text, "show the tokens of this text");
  cmd->add_option("--svg", args->svg, "also draw the table as an SVG heatmap");
  cmd->add_flag("--no-color", args->no_color, "no colours in the terminal");
  add_format_option(*cmd, args->format);
  cmd->callback([args] { run_bigram(*args); });
}

}  // namespace dikkat
