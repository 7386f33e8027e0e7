// dikkat attention: seed 002's attention tables. For a text, the weight each query token (row)
// gives each key token (column) after the causal mask and softmax, per layer and head; the
// overview of every layer x head (BertViz's model view); one query's keys ranked by weight
// (seed 002's figure 3.5); and the same read as words.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>

#include "cli/commands.h"
#include "cli/model_text.h"
#include "cli/output_format.h"
#include "cli/threads.h"
#include "error.h"
#include "inspect/attention_maps.h"
#include "inspect/forward_trace.h"
#include "inspect/heatmap_svg.h"
#include "inspect/terminal_heatmap.h"
#include "inspect/token_labels.h"
#include "io/file_io.h"

namespace dikkat {

namespace {

struct AttentionArgs {
  std::string model, text, token, svg;
  int64_t layer = 0, head = 0;  // 0: all
  bool words = false, no_color = false;
  OutputFormat format = OutputFormat::kText;
  int threads = 1;
};

// The (layer, head) pairs to show, 0-based.
std::vector<std::pair<int64_t, int64_t>> selected_tables(const AttentionArgs& a,
                                                         const AttentionMaps& m) {
  if (a.head && !a.layer) throw Error("--head needs --layer (or give neither for every table)");
  if (a.layer < 0 || a.layer > m.layers)
    throw Error("--layer " + std::to_string(a.layer) + ": the model has layers 1.." +
                std::to_string(m.layers));
  if (a.head < 0 || a.head > m.heads)
    throw Error("--head " + std::to_string(a.head) + ": the model has heads 1.." +
                std::to_string(m.heads));
  std::vector<std::pair<int64_t, int64_t>> out;
  for (int64_t l = 0; l < m.layers; ++l)
    for (int64_t h = 0; h < m.heads; ++h)
      if ((!a.layer || l == a.layer - 1) && (!a.head || h == a.head - 1)) out.emplace_back(l, h);
  return out;
}

// --token: a position numbered from 1, or the text of a token (or word) - its first occurrence.
int64_t query_index(const std::string& spec, const AttentionMaps& m, const std::string& unit) {
  const bool numeric = !spec.empty() && std::all_of(spec.begin(), spec.end(), [](unsigned char c) {
    return std::isdigit(c);
  });
  if (numeric) {
    const int64_t pos = std::stoll(spec.substr(0, 9));
    if (pos < 1 || pos > m.size)
      throw Error("--token " + spec + ": positions run 1.." + std::to_string(m.size));
    return pos - 1;
  }
  for (int64_t i = 0; i < m.size; ++i)
    if (m.labels[i] == spec || m.labels[i] == visible_token(spec)) return i;
  throw Error("--token '" + spec + "': no " + unit + " of the text reads so (give a position 1.." +
              std::to_string(m.size) + ")");
}

struct Ranked {
  int64_t position;
  float weight;
};

std::vector<Ranked> rank_keys(const float* table, int64_t size, int64_t query) {
  std::vector<Ranked> r;
  for (int64_t k = 0; k <= query; ++k) r.push_back({k, table[query * size + k]});
  std::stable_sort(r.begin(), r.end(),
                   [](const Ranked& a, const Ranked& b) { return a.weight > b.weight; });
  return r;
}

std::string table_title(int64_t layer, int64_t head) {
  return "layer " + std::to_string(layer + 1) + " · head " + std::to_string(head + 1);
}

void print_text(const AttentionArgs& a, const AttentionMaps& m,
                const std::vector<std::pair<int64_t, int64_t>>& tables, int64_t query,
                const std::string& unit) {
  const bool color = stdout_wants_color(a.no_color);
  std::printf(
      "attention of %s: %lld %ss, rows attend to columns (after the causal mask and "
      "softmax; rows sum to 1)\n",
      a.model.c_str(), (long long)m.size, unit.c_str());
  for (const auto& [l, h] : tables) {
    std::printf("\n%s\n", table_title(l, h).c_str());
    if (query >= 0) {
      std::printf("  query %lld '%s' attends to:\n", (long long)(query + 1),
                  m.labels[query].c_str());
      for (const Ranked& r : rank_keys(m.table(l, h), m.size, query))
        std::printf("  %3lld %s %6.4f %s\n", (long long)(r.position + 1),
                    fit_to_width(m.labels[r.position], 14).c_str(), double(r.weight),
                    horizontal_bar(r.weight, 30).c_str());
      continue;
    }
    TerminalTable t{m.labels, m.labels, m.size, m.size,
                    std::vector<float>(m.table(l, h), m.table(l, h) + m.size * m.size)};
    std::fputs(tables.size() == 1 ? render_value_table(t, color).c_str()
                                  : render_mini_heatmap(t, color).c_str(),
               stdout);
  }
  if (tables.size() > 1 && query < 0)
    std::printf("\n(give --layer L --head H for one table with its numbers)\n");
}

nlohmann::json table_json(const AttentionMaps& m, int64_t l, int64_t h) {
  nlohmann::json rows = nlohmann::json::array();
  for (int64_t q = 0; q < m.size; ++q) {
    const float* row = m.table(l, h) + q * m.size;
    rows.push_back(std::vector<float>(row, row + m.size));
  }
  return rows;
}

void print_json(const AttentionArgs& a, const ModelText& mt, const AttentionMaps& m,
                const std::vector<std::pair<int64_t, int64_t>>& tables, int64_t query,
                const std::string& unit) {
  nlohmann::json out = {{"model", a.model},   {"text", a.text},     {"unit", unit},
                        {"labels", m.labels}, {"layers", m.layers}, {"heads", m.heads}};
  if (unit == "token") out["ids"] = mt.ids;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [l, h] : tables) {
    nlohmann::json item = {{"layer", l + 1}, {"head", h + 1}};
    if (query >= 0) {
      item["query"] = {{"position", query + 1}, {"label", m.labels[query]}};
      nlohmann::json ranked = nlohmann::json::array();
      for (const Ranked& r : rank_keys(m.table(l, h), m.size, query))
        ranked.push_back(
            {{"position", r.position + 1}, {"label", m.labels[r.position]}, {"weight", r.weight}});
      item["keys"] = ranked;
    } else {
      item["weights"] = table_json(m, l, h);
    }
    list.push_back(item);
  }
  out["tables"] = list;
  std::printf("%s\n", out.dump(1).c_str());
}

void print_csv(const AttentionMaps& m, const std::vector<std::pair<int64_t, int64_t>>& tables,
               int64_t query) {
  std::printf("layer,head,query_position,query,key_position,key,weight\n");
  for (const auto& [l, h] : tables)
    for (int64_t q = 0; q < m.size; ++q) {
      if (query >= 0 && q != query) continue;
      for (int64_t k = 0; k < m.size; ++k)
        std::printf("%lld,%lld,%lld,%s,%lld,%s,%.9g\n", (long long)(l + 1), (long long)(h + 1),
                    (long long)(q + 1), csv_field(m.labels[q]).c_str(), (long long)(k + 1),
                    csv_field(m.labels[k]).c_str(), double(m.table(l, h)[q * m.size + k]));
    }
}

void write_svg(const AttentionArgs& a, const AttentionMaps& m,
               const std::vector<std::pair<int64_t, int64_t>>& tables, const std::string& unit) {
  HeatmapStyle style;
  style.x_label = "key " + unit + " (attended to)";
  style.y_label = "query " + unit + " (attending)";
  style.color_bar_label = "attention weight";
  std::vector<HeatmapPanel> panels;
  for (const auto& [l, h] : tables) {
    const float* t = m.table(l, h);
    panels.push_back({table_title(l, h), m.labels, m.labels, m.size, m.size,
                      std::vector<float>(t, t + m.size * m.size)});
  }
  std::string svg;
  if (panels.size() == 1) {
    style.title = "Attention, " + panels[0].title + ": \"" + a.text + "\"";
    svg = heatmap_svg(panels[0], style);
  } else {
    style.title = "Attention, every layer (rows) and head (columns): \"" + a.text + "\"";
    style.show_values = false;
    svg = heatmap_grid_svg(panels, a.head ? 1 : m.heads, style);
  }
  write_file_atomic(a.svg, svg);
}

void run_attention(const AttentionArgs& a) {
  apply_threads(a.threads);
  const ModelText mt = load_model_and_text(a.model, a.text);
  const ActivationTrace trace = trace_forward(*mt.model.model, mt.ids);
  AttentionMaps maps = attention_maps(trace, mt.model.config.model.n_layer, mt.labels);
  const std::string unit = a.words ? "word" : "token";
  if (a.words) {
    const WordGrouping g = group_into_words(mt.tokens);
    maps = to_words(maps, g, visible_tokens(g.words));
  }
  const auto tables = selected_tables(a, maps);
  const int64_t query = a.token.empty() ? -1 : query_index(a.token, maps, unit);
  if (!a.svg.empty()) write_svg(a, maps, tables, unit);
  switch (a.format) {
    case OutputFormat::kText:
      print_text(a, maps, tables, query, unit);
      break;
    case OutputFormat::kJson:
      print_json(a, mt, maps, tables, query, unit);
      break;
    case OutputFormat::kCsv:
      print_csv(maps, tables, query);
      break;
  }
  if (!a.svg.empty() && a.format == OutputFormat::kText) std::printf("\nwrote %s\n", a.svg.c_str());
}

}  // namespace

void add_attention_command(CLI::App& app) {
  auto args = std::make_shared<AttentionArgs>();
  CLI::App* cmd = app.add_subcommand(
      "attention", "attention tables: how much each token attends to each earlier token");
  cmd->footer(
      "Layers and heads are numbered from 1. Without --layer/--head every table is shown (in the\n"
      "terminal as small heatmaps, in --svg as a grid: rows are layers, columns heads).\n"
      "The text must fit the model's context; it is never cut.\n"
      "--words reads the tables as words. A word is a run of non-space tokens with the spaces\n"
      "just before it (\" kitabı\"); a BPE token that begins with a space starts a new word;\n"
      "leading spaces join the first word, trailing ones the last. A word-to-word weight is the\n"
      "SUM over the key word's tokens of the weight, AVERAGED over the query word's tokens, so\n"
      "rows still sum to 1 and no word attends to a later one.");
  cmd->add_option("--model", args->model, "model directory")->required();
  cmd->add_option("--text", args->text, "text to run through the model")->required();
  cmd->add_option("--layer", args->layer, "layer to show (1..n_layer)");
  cmd->add_option("--head", args->head, "head to show (1..n_head; needs --layer)");
  cmd->add_option("--token", args->token,
                  "rank the keys of one query: its position (from 1) or its text");
  cmd->add_flag("--words", args->words, "aggregate tokens to words (see below)");
  add_format_option(*cmd, args->format);
  cmd->add_option("--svg", args->svg, "also draw the table(s) as an SVG heatmap in this file");
  cmd->add_flag("--no-color", args->no_color, "no ANSI colours in the terminal table");
  add_threads_option(*cmd, args->threads);
  cmd->callback([args] { run_attention(*args); });
}

}  // namespace dikkat
