// dikkat embeddings: seed 003's embedding plots. The token embedding table projected to 2-D or
// 3-D (PCA; the raw coordinates when n_embd <= 3), before and after training side by side, and
// the positional encoding's effect on the tokens of a text.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output_format.h"
#include "cli/threads.h"
#include "draw/scatter_svg.h"
#include "draw/terminal_heatmap.h"
#include "error.h"
#include "inspect/model_text.h"
#include "inspect/pca.h"
#include "inspect/token_labels.h"
#include "io/file_io.h"

namespace dikkat {

namespace {

struct EmbeddingsArgs {
  std::string model, compare, text, svg;
  int dims = 0;  // 0: 3 when n_embd <= 3, else 2
  bool positions = false;
  OutputFormat format = OutputFormat::kText;
};

// A set of labelled vectors (n, C) and, optionally, the earlier vectors of the same rows.
struct Rows {
  std::vector<std::string> labels;
  std::vector<float> now, before;
  std::string now_title, before_title;
};

// --compare names a saved step (digits) rather than another model directory.
bool compares_a_step(const std::string& compare) {
  return !compare.empty() && std::all_of(compare.begin(), compare.end(),
                                         [](unsigned char c) { return std::isdigit(c); });
}

LoadedModel load_compared(const EmbeddingsArgs& a, const LoadedModel& m) {
  namespace fs = std::filesystem;
  const bool step = compares_a_step(a.compare);
  LoadedModel other =
      step ? [&] {
        const std::string file = "model_step" + a.compare + ".safetensors";
        if (!fs::exists(join_path(a.model, file)))
          throw Error("--compare " + a.compare + ": " + a.model + " has no " + file +
                      " (dikkat train keeps model_step0.safetensors, the untrained weights)");
        return load_model_dir(a.model, file);
      }()
           : load_model_dir(a.compare);
  if (other.tokenizer.to_json() != m.tokenizer.to_json() ||
      other.config.model.n_embd != m.config.model.n_embd)
    throw Error("--compare " + a.compare + ": its vocabulary or n_embd differs from " + a.model +
                "'s, so the tables cannot be compared");
  return other;
}

Rows table_rows(const EmbeddingsArgs& a, const LoadedModel& m) {
  Rows r;
  const Tensor& wte = m.model->token_embedding()->value;
  for (int64_t id = 0; id < wte.size(0); ++id)
    r.labels.push_back(visible_token(m.tokenizer.decode_one(int32_t(id))));
  r.now.assign(wte.data.begin(), wte.data.end());
  r.now_title = "step " + std::to_string(m.step);
  if (!a.compare.empty()) {
    const LoadedModel other = load_compared(a, m);
    const FloatBuffer& before = other.model->token_embedding()->value.data;
    r.before.assign(before.begin(), before.end());
    r.before_title = "step " + std::to_string(other.step) +
                     (compares_a_step(a.compare) ? std::string() : " (" + a.compare + ")");
  }
  return r;
}

// --positions: each token of the text (before) and the same plus its position's encoding (now).
Rows position_rows(const ModelText& mt) {
  Rows r;
  const Model& model = *mt.model.model;
  const int64_t c = mt.model.config.model.n_embd;
  const float* wte = model.token_embedding()->value.ptr();
  const Var positions = model.position_table();
  if (!positions)
    throw Error("--positions: the model has no position encodings (" + model.summary() + ")");
  const float* pos = positions->value.ptr();
  for (size_t t = 0; t < mt.ids.size(); ++t) {
    r.labels.push_back(mt.labels[t] + " " + std::to_string(t + 1));
    for (int64_t j = 0; j < c; ++j) {
      r.before.push_back(wte[mt.ids[t] * c + j]);
      r.now.push_back(wte[mt.ids[t] * c + j] + pos[t * c + j]);
    }
  }
  r.before_title = "token embedding";
  r.now_title = "token embedding + position";
  return r;
}

std::vector<std::vector<double>> project_all(const PcaBasis& basis, const std::vector<float>& rows,
                                             int64_t c) {
  std::vector<std::vector<double>> out;
  for (size_t i = 0; i < rows.size(); i += size_t(c)) out.push_back(basis.project(&rows[i]));
  return out;
}

std::string axis_name(const PcaBasis& b, int k) {
  char buf[64];
  if (b.identity)
    std::snprintf(buf, sizeof buf, "dimension %d", k + 1);
  else
    std::snprintf(buf, sizeof buf, "PC%d (%.0f%% of variance)", k + 1, 100.0 * b.explained[k]);
  return buf;
}

void run_embeddings(const EmbeddingsArgs& a) {
  if (a.positions != !a.text.empty()) throw Error("--positions and --text go together");
  if (a.positions && !a.compare.empty())
    throw Error("--compare and --positions are separate views");
  const ModelText mt = a.positions ? load_model_and_text(a.model, a.text)
                                   : ModelText{{}, load_model_dir(a.model)};
  const LoadedModel& m = mt.model;
  const int64_t c = m.config.model.n_embd;
  const int dims = a.dims ? a.dims : (c <= 3 ? int(c) : 2);
  if (dims < 1 || dims > 3 || dims > c)
    throw Error("--dims " + std::to_string(dims) +
                ": choose 2 or 3 (at most n_embd = " + std::to_string(c) + ")");
  const Rows rows = a.positions ? position_rows(mt) : table_rows(a, m);
  // One basis for both sets, fitted on all their rows together, so arrows mean movement.
  std::vector<float> all = rows.now;
  all.insert(all.end(), rows.before.begin(), rows.before.end());
  const PcaBasis basis = fit_pca(all.data(), int64_t(all.size()) / c, c, dims);
  const auto now = project_all(basis, rows.now, c);
  const auto before = project_all(basis, rows.before, c);
  const bool paired = !before.empty();
  const int shown_dims = int(basis.components.size());

  if (!a.svg.empty()) {
    auto point = [&](const std::string& label, const std::vector<double>& p) {
      return ScatterPoint{label, p[0], shown_dims > 1 ? p[1] : 0.0, shown_dims > 2 ? p[2] : 0.0};
    };
    std::vector<ScatterPanel> panels;
    if (paired) {
      ScatterPanel left{rows.before_title, {}, {}}, right{rows.now_title, {}, {}};
      for (size_t i = 0; i < now.size(); ++i) {
        left.points.push_back(point(rows.labels[i], before[i]));
        right.points.push_back(point(rows.labels[i], now[i]));
        right.ghosts.push_back(point(rows.labels[i], before[i]));
      }
      panels = {left, right};
    } else {
      ScatterPanel only{rows.now_title, {}, {}};
      for (size_t i = 0; i < now.size(); ++i) only.points.push_back(point(rows.labels[i], now[i]));
      panels = {only};
    }
    ScatterStyle style;
    style.title = a.positions ? "Positional encoding: \"" + a.text + "\" (" + a.model + ")"
                              : "Token embeddings of " + a.model;
    style.x_label = axis_name(basis, 0);
    if (shown_dims > 1) style.y_label = axis_name(basis, 1);
    if (shown_dims > 2) style.z_label = axis_name(basis, 2);
    write_file_atomic(a.svg, scatter_svg(panels, std::max(2, shown_dims), style));
  }

  switch (a.format) {
    case OutputFormat::kText: {
      std::printf("%s of %s, %s\n", a.positions ? "positional encoding" : "token embeddings",
                  a.model.c_str(),
                  basis.identity ? "exact coordinates (n_embd <= 3)" : "projected by PCA");
      for (int k = 0; k < shown_dims; ++k)
        std::printf("  axis %d: %s\n", k + 1, axis_name(basis, k).c_str());
      std::printf("\n%-10s", "token");
      if (paired) std::printf(" %-28s", rows.before_title.c_str());
      std::printf(" %-28s%s\n", rows.now_title.c_str(), paired ? "  moved" : "");
      for (size_t i = 0; i < now.size(); ++i) {
        auto coords = [&](const std::vector<double>& p) {
          std::string s;
          char buf[24];
          for (double x : p) std::snprintf(buf, sizeof buf, "%9.4f", x), s += buf;
          return s;
        };
        std::printf("%s", fit_to_width(rows.labels[i], 10).c_str());
        if (paired) std::printf(" %-28s", coords(before[i]).c_str());
        std::printf(" %-28s", coords(now[i]).c_str());
        if (paired) {
          double d = 0;
          for (int k = 0; k < shown_dims; ++k) d += std::pow(now[i][k] - before[i][k], 2);
          std::printf("  %6.3f", std::sqrt(d));
        }
        std::printf("\n");
      }
      if (!a.svg.empty()) std::printf("\nwrote %s\n", a.svg.c_str());
      break;
    }
    case OutputFormat::kJson: {
      nlohmann::json points = nlohmann::json::array();
      for (size_t i = 0; i < now.size(); ++i) {
        nlohmann::json p = {{"label", rows.labels[i]}, {"now", now[i]}};
        if (paired) p["before"] = before[i];
        points.push_back(p);
      }
      nlohmann::json axes = nlohmann::json::array();
      for (int k = 0; k < shown_dims; ++k) axes.push_back(axis_name(basis, k));
      std::printf("%s\n", json_text(nlohmann::json{{"model", a.model},
                                                   {"view", a.positions ? "positions" : "tokens"},
                                                   {"now", rows.now_title},
                                                   {"before", rows.before_title},
                                                   {"exact", basis.identity},
                                                   {"axes", axes},
                                                   {"points", points}},
                                    1)
                              .c_str());
      break;
    }
    case OutputFormat::kCsv: {
      std::printf("label");
      for (int k = 0; k < shown_dims; ++k) std::printf(",now_%d", k + 1);
      if (paired)
        for (int k = 0; k < shown_dims; ++k) std::printf(",before_%d", k + 1);
      std::printf("\n");
      for (size_t i = 0; i < now.size(); ++i) {
        std::printf("%s", csv_field(rows.labels[i]).c_str());
        for (double x : now[i]) std::printf(",%.9g", x);
        if (paired)
          for (double x : before[i]) std::printf(",%.9g", x);
        std::printf("\n");
      }
      break;
    }
  }
}

}  // namespace

void add_embeddings_command(CLI::App& app) {
  auto args = std::make_shared<EmbeddingsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "embeddings", "the token embedding table in 2-D/3-D, before and after training");
  cmd->footer(
      "Coordinates are the embedding vectors themselves when n_embd <= 3 (seed 003's plot) and\n"
      "principal components otherwise. With --compare (a step saved in the model directory, 0\n"
      "for the untrained weights, or another model directory with the same vocabulary) one PCA\n"
      "basis is fitted on both tables together, so each arrow shows how far training moved a\n"
      "token. --positions --text TEXT shows each token of the text before and after its\n"
      "position's encoding is added.");
  cmd->add_option("--model", args->model, "model directory")->required();
  cmd->add_option("--compare", args->compare, "a saved step (0: untrained) or another model dir");
  cmd->add_option("--dims", args->dims, "2 or 3 coordinates (default: 3 when n_embd <= 3, else 2)");
  cmd->add_flag("--positions", args->positions,
                "show the positional encoding's effect (needs --text)");
  cmd->add_option("--text", args->text, "the text for --positions");
  add_format_option(*cmd, args->format);
  cmd->add_option("--svg", args->svg, "also draw the scatter plot as an SVG in this file");
  cmd->callback([args] { run_embeddings(*args); });
}

}  // namespace dikkat
