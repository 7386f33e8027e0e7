// dikkat attention: seed 002's attention tables. For a text, the weight each query token (row)
// gives each key token (column) after the mask and softmax, per layer and head, of any kind of
// attention the model has; the overview of every layer x head (BertViz's model view); one
// query's keys ranked by weight (seed 002's figure 3.5); and the same read as words.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>

#include "cli/commands.h"
#include "cli/output_format.h"
#include "cli/threads.h"
#include "draw/heatmap_svg.h"
#include "draw/terminal_heatmap.h"
#include "error.h"
#include "inspect/attention_maps.h"
#include "inspect/model_text.h"
#include "inspect/token_labels.h"
#include "io/file_io.h"
#include "run/snapshots.h"

namespace dikkat {

namespace {

struct AttentionArgs {
  std::string model, text, target, kind, token, svg, steps;
  int64_t layer = 0, head = 0;  // 0: all
  int64_t step = -1;            // -1: the latest weights
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
    if (pos < 1 || pos > m.rows)
      throw Error("--token " + spec + ": positions run 1.." + std::to_string(m.rows));
    return pos - 1;
  }
  for (int64_t i = 0; i < m.rows; ++i)
    if (m.row_labels[i] == spec || m.row_labels[i] == visible_token(spec)) return i;
  throw Error("--token '" + spec + "': no " + unit + " of the text reads so (give a position 1.." +
              std::to_string(m.rows) + ")");
}

struct Ranked {
  int64_t position;
  float weight;
};

// A query's keys by weight; with a causal mask only those up to the query.
std::vector<Ranked> rank_keys(const AttentionMaps& m, int64_t l, int64_t h, int64_t query) {
  std::vector<Ranked> r;
  const int64_t last = m.causal ? query : m.cols - 1;
  for (int64_t k = 0; k <= last; ++k) r.push_back({k, m.table(l, h)[query * m.cols + k]});
  std::stable_sort(r.begin(), r.end(),
                   [](const Ranked& a, const Ranked& b) { return a.weight > b.weight; });
  return r;
}

std::string capitalized(std::string s) {
  if (!s.empty()) s[0] = char(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string table_title(int64_t layer, int64_t head) {
  return "layer " + std::to_string(layer + 1) + " · head " + std::to_string(head + 1);
}

void print_text(const AttentionArgs& a, const AttentionKind& kind, const AttentionMaps& m,
                const std::vector<std::pair<int64_t, int64_t>>& tables, int64_t query,
                const std::string& unit) {
  const bool color = stdout_wants_color(a.no_color);
  std::printf(
      "%s of %s: %lld x %lld %ss, rows attend to columns (after the %ssoftmax; rows sum to 1)\n",
      capitalized(kind.title.en).c_str(), a.model.c_str(), (long long)m.rows, (long long)m.cols,
      unit.c_str(), m.causal ? "causal mask and " : "");
  for (const auto& [l, h] : tables) {
    std::printf("\n%s\n", table_title(l, h).c_str());
    if (query >= 0) {
      std::printf("  query %lld '%s' attends to:\n", (long long)(query + 1),
                  m.row_labels[query].c_str());
      for (const Ranked& r : rank_keys(m, l, h, query))
        std::printf("  %3lld %s %6.4f %s\n", (long long)(r.position + 1),
                    fit_to_width(m.col_labels[r.position], 14).c_str(), double(r.weight),
                    horizontal_bar(r.weight, 30).c_str());
      continue;
    }
    TerminalTable t{m.row_labels, m.col_labels, m.rows, m.cols,
                    std::vector<float>(m.table(l, h), m.table(l, h) + m.rows * m.cols)};
    std::fputs(tables.size() == 1 ? render_value_table(t, color).c_str()
                                  : render_mini_heatmap(t, color).c_str(),
               stdout);
  }
  if (tables.size() > 1 && query < 0)
    std::printf("\n(give --layer L --head H for one table with its numbers)\n");
}

nlohmann::json table_json(const AttentionMaps& m, int64_t l, int64_t h) {
  nlohmann::json rows = nlohmann::json::array();
  for (int64_t q = 0; q < m.rows; ++q) {
    const float* row = m.table(l, h) + q * m.cols;
    rows.push_back(std::vector<float>(row, row + m.cols));
  }
  return rows;
}

void print_json(const AttentionArgs& a, const nlohmann::json& about, const AttentionMaps& m,
                const std::vector<std::pair<int64_t, int64_t>>& tables, int64_t query,
                const std::string& unit) {
  nlohmann::json out = {{"model", a.model},
                        {"text", a.text},
                        {"unit", unit},
                        {"layers", m.layers},
                        {"heads", m.heads}};
  out.update(about);
  if (m.causal) {
    out["labels"] = m.row_labels;
  } else {
    out["row_labels"] = m.row_labels;
    out["col_labels"] = m.col_labels;
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [l, h] : tables) {
    nlohmann::json item = {{"layer", l + 1}, {"head", h + 1}};
    if (query >= 0) {
      item["query"] = {{"position", query + 1}, {"label", m.row_labels[query]}};
      nlohmann::json ranked = nlohmann::json::array();
      for (const Ranked& r : rank_keys(m, l, h, query))
        ranked.push_back({{"position", r.position + 1},
                          {"label", m.col_labels[r.position]},
                          {"weight", r.weight}});
      item["keys"] = ranked;
    } else {
      item["weights"] = table_json(m, l, h);
    }
    list.push_back(item);
  }
  out["tables"] = list;
  std::printf("%s\n", json_text(out, 1).c_str());
}

void print_csv(const AttentionMaps& m, const std::vector<std::pair<int64_t, int64_t>>& tables,
               int64_t query) {
  std::printf("layer,head,query_position,query,key_position,key,weight\n");
  for (const auto& [l, h] : tables)
    for (int64_t q = 0; q < m.rows; ++q) {
      if (query >= 0 && q != query) continue;
      for (int64_t k = 0; k < m.cols; ++k)
        std::printf("%lld,%lld,%lld,%s,%lld,%s,%.9g\n", (long long)(l + 1), (long long)(h + 1),
                    (long long)(q + 1), csv_field(m.row_labels[q]).c_str(), (long long)(k + 1),
                    csv_field(m.col_labels[k]).c_str(), double(m.table(l, h)[q * m.cols + k]));
    }
}

void write_svg(const AttentionArgs& a, const AttentionKind& kind, const AttentionMaps& m,
               const std::vector<std::pair<int64_t, int64_t>>& tables, const std::string& unit) {
  HeatmapStyle style;
  const bool across = kind.queries != kind.keys;
  style.x_label = (across ? "source " : "key ") + unit + " (attended to)";
  style.y_label = (across ? "target " : "query ") + unit + " (attending)";
  style.color_bar_label = "attention weight";
  std::vector<HeatmapPanel> panels;
  for (const auto& [l, h] : tables) {
    const float* t = m.table(l, h);
    panels.push_back({table_title(l, h), m.row_labels, m.col_labels, m.rows, m.cols,
                      std::vector<float>(t, t + m.rows * m.cols)});
  }
  std::string svg;
  if (panels.size() == 1) {
    style.title = capitalized(kind.title.en) + ", " + panels[0].title + ": \"" + a.text + "\"";
    svg = heatmap_svg(panels[0], style);
  } else {
    style.title = capitalized(kind.title.en) + ", every layer (rows) and head (columns): \"" +
                  a.text + "\"";
    style.show_values = false;
    svg = heatmap_grid_svg(panels, a.head ? 1 : m.heads, style);
  }
  write_file_atomic(a.svg, svg);
}

void show(const AttentionArgs& a, const AttentionKind& kind, const AttentionMaps& maps,
          const nlohmann::json& about, const std::string& unit) {
  const auto tables = selected_tables(a, maps);
  const int64_t query = a.token.empty() ? -1 : query_index(a.token, maps, unit);
  if (!a.svg.empty()) write_svg(a, kind, maps, tables, unit);
  switch (a.format) {
    case OutputFormat::kText:
      print_text(a, kind, maps, tables, query, unit);
      break;
    case OutputFormat::kJson:
      print_json(a, about, maps, tables, query, unit);
      break;
    case OutputFormat::kCsv:
      print_csv(maps, tables, query);
      break;
  }
  if (!a.svg.empty() && a.format == OutputFormat::kText) std::printf("\nwrote %s\n", a.svg.c_str());
}

// --steps all: one query's weights over the keys at every step whose weights the run kept
// (seed 002's comparison of a head early and late in training), keys as rows, steps as columns.
void run_attention_over_training(const AttentionArgs& a) {
  if (a.steps != "all") throw Error("--steps must be all, got '" + a.steps + "'");
  if (a.step >= 0) throw Error("--step and --steps are separate views: give one");
  if (a.token.empty() || !a.layer || !a.head)
    throw Error("--steps all follows one query of one head: give --token, --layer and --head");
  if (a.words) throw Error("--words and --steps all do not go together");
  const std::vector<Checkpoint> checkpoints = list_checkpoints(a.model);
  if (checkpoints.size() < 2)
    throw Error("--steps all: " + a.model +
                " has the weights of one step only (train --snapshot-every N keeps more)");
  std::vector<int64_t> steps;
  std::vector<float> columns;  // per step, the query's weight on each key
  AttentionMaps first;
  int64_t query = 0;
  std::string kind_name;
  for (const Checkpoint& c : checkpoints) {
    const LoadedModel model = load_model_dir(a.model, c.file);
    if (translates(model) && a.target.empty())
      throw Error("--steps all on a translator needs --target: each step would translate the "
                  "source differently");
    kind_name = attention_kind_name(model, a.kind, a.model);
    const InspectedText t = inspect_text(model, a.text, a.target);
    const AttentionMaps maps = attention_maps(t, t.kind(kind_name, "--kind"));
    const auto tables = selected_tables(a, maps);
    if (steps.empty()) {
      first = maps;
      query = query_index(a.token, maps, "token");
    }
    const float* row = maps.table(tables[0].first, tables[0].second) + query * maps.cols;
    columns.insert(columns.end(), row, row + maps.cols);
    steps.push_back(c.step);
  }
  const int64_t keys = first.causal ? query + 1 : first.cols, n = int64_t(steps.size());
  std::vector<float> table(size_t(keys * n));  // (keys, steps)
  for (int64_t s = 0; s < n; ++s)
    for (int64_t k = 0; k < keys; ++k) table[size_t(k * n + s)] = columns[size_t(s * first.cols + k)];
  std::vector<std::string> step_labels, key_labels(first.col_labels.begin(),
                                                   first.col_labels.begin() + keys);
  for (int64_t s : steps) step_labels.push_back(std::to_string(s));
  const std::string what = "layer " + std::to_string(a.layer) + " head " + std::to_string(a.head) +
                           ", query " + std::to_string(query + 1) + " '" +
                           first.row_labels[size_t(query)] + "'";
  if (!a.svg.empty()) {
    HeatmapStyle style;
    style.title = capitalized(kind_name) + " attention over training, " + what + ": \"" + a.text + "\"";
    style.x_label = "training step";
    style.y_label = "key token (attended to)";
    style.color_bar_label = "attention weight";
    write_file_atomic(a.svg, heatmap_svg({"", key_labels, step_labels, keys, n, table}, style));
  }
  switch (a.format) {
    case OutputFormat::kText: {
      std::printf("%s attention of %s over training, %s (rows: keys; columns: training steps)\n\n",
                  capitalized(kind_name).c_str(), a.model.c_str(), what.c_str());
      TerminalTable t{key_labels, step_labels, keys, n, table};
      t.decimals = 3;
      std::fputs(render_value_table(t, stdout_wants_color(a.no_color)).c_str(), stdout);
      break;
    }
    case OutputFormat::kJson: {
      nlohmann::json weights = nlohmann::json::array();
      for (int64_t s = 0; s < n; ++s)
        weights.push_back(std::vector<float>(columns.begin() + s * first.cols,
                                             columns.begin() + s * first.cols + keys));
      std::printf("%s\n", json_text(nlohmann::json{{"model", a.model},
                                                    {"text", a.text},
                                                    {"kind", kind_name},
                                                    {"layer", a.layer},
                                                    {"head", a.head},
                                                    {"query", {{"position", query + 1},
                                                               {"label", first.row_labels[size_t(query)]}}},
                                                    {"keys", key_labels},
                                                    {"steps", steps},
                                                    {"weights", weights}},
                                     1)
                               .c_str());
      break;
    }
    case OutputFormat::kCsv:
      std::printf("step,key_position,key,weight\n");
      for (int64_t s = 0; s < n; ++s)
        for (int64_t k = 0; k < keys; ++k)
          std::printf("%lld,%lld,%s,%.9g\n", (long long)steps[size_t(s)], (long long)(k + 1),
                      csv_field(key_labels[size_t(k)]).c_str(),
                      double(columns[size_t(s * first.cols + k)]));
      break;
  }
  if (!a.svg.empty() && a.format == OutputFormat::kText) std::printf("\nwrote %s\n", a.svg.c_str());
}

void run_attention(const AttentionArgs& a) {
  apply_threads(a.threads);
  if (!a.steps.empty()) return run_attention_over_training(a);
  const LoadedModel model = load_model_dir(
      a.model, a.step >= 0 ? checkpoint_at(a.model, a.step, "--step") : "model.safetensors");
  const std::string kind_name = attention_kind_name(model, a.kind, a.model);
  const InspectedText t = inspect_text(model, a.text, a.target);
  const AttentionKind& kind = t.kind(kind_name, "--kind");
  AttentionMaps maps = attention_maps(t, kind);
  const std::string unit = a.words ? "word" : "token";
  if (a.words) {
    const WordGrouping rows = group_into_words(t.sequence(kind.queries).tokens);
    const WordGrouping cols = group_into_words(t.sequence(kind.keys).tokens);
    maps = to_words(maps, rows, visible_tokens(rows.words), cols, visible_tokens(cols.words));
  }
  if (a.format == OutputFormat::kText && t.translated)
    std::printf("the model's translation: %s\n\n",
                model.tokenizer.decode_text(t.target_ids).c_str());
  nlohmann::json about = nlohmann::json::object();
  if (translates(model)) {
    about = {{"kind", kind.name},
             {"target", model.tokenizer.decode_text(t.target_ids)},
             {"translated", t.translated},
             {"source_ids", t.text_ids},
             {"target_ids", t.target_ids}};
  } else {
    about["kind"] = kind.name;
    if (!a.words) about["ids"] = t.text_ids;
  }
  show(a, kind, maps, about, unit);
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
      "rows still sum to 1 and no word attends to a later one.\n"
      "--kind chooses among the kinds of attention the model has (dikkat info lists them): a\n"
      "language model's self; a transformer translator's cross (the default: each target\n"
      "position's weights over the source tokens, as BertViz's encoder-decoder view), encoder\n"
      "or decoder; a recurrent translator's cross, its Bahdanau or Luong alignment (target\n"
      "rows over source columns, the Bahdanau paper's Figure 3). Decoder rows are ⟨start⟩ and\n"
      "the target tokens: the row of a token is the position that reads it (and predicts the\n"
      "next); the source ends with ⟨end⟩.\n"
      "--step S reads the weights of step S: 0 (model_step0.safetensors) or a snapshot that\n"
      "train --snapshot-every N kept. --steps all --token T --layer L --head H shows that query's\n"
      "weights at every kept step side by side (seed 002 watches a head learn this way): rows\n"
      "are keys, columns steps.");
  cmd->add_option("--model", args->model, "model directory")->required();
  cmd->add_option("--text", args->text,
                  "text to run through the model (a translation model's source sentence)")
      ->required();
  cmd->add_option("--target", args->target,
                  "translation models: the target sentence (default: the model's own translation)");
  cmd->add_option("--kind", args->kind,
                  "which attention: self, encoder (source self-attention), decoder (target "
                  "self-attention) or cross (target rows over source columns); default: cross "
                  "where the model has it, else its only kind");
  cmd->add_option("--layer", args->layer, "layer to show (1..n_layer)");
  cmd->add_option("--head", args->head, "head to show (1..n_head; needs --layer)");
  cmd->add_option("--token", args->token,
                  "rank the keys of one query: its position (from 1) or its text");
  cmd->add_flag("--words", args->words, "aggregate tokens to words (see below)");
  cmd->add_option("--step", args->step,
                  "the weights of this training step (model_step0.safetensors for 0, a snapshot "
                  "of train --snapshot-every, or the latest)");
  cmd->add_option("--steps", args->steps,
                  "all: one query's weights (--token, --layer, --head) at every step the run "
                  "kept, side by side");
  add_format_option(*cmd, args->format);
  cmd->add_option("--svg", args->svg, "also draw the table(s) as an SVG heatmap in this file");
  cmd->add_flag("--no-color", args->no_color, "no ANSI colours in the terminal table");
  add_threads_option(*cmd, args->threads);
  cmd->callback([args] { run_attention(*args); });
}

}  // namespace dikkat
