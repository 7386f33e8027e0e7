// dikkat plot: a run's loss curves from its metrics.jsonl: training and validation loss against
// the step, and the learning rate on a second axis.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output_format.h"
#include "draw/line_chart_svg.h"
#include "error.h"
#include "io/file_io.h"
#include "run/metrics_file.h"

namespace dikkat {

namespace {

struct PlotArgs {
  std::string metrics, svg;
  OutputFormat format = OutputFormat::kText;
};

// The training loss as one line of block characters, each the mean of its share of the steps.
std::string sparkline(const std::vector<MetricsRow>& rows, size_t width) {
  static const char* levels[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  std::vector<double> values;
  for (const auto& r : rows)
    if (r.step > 0 && std::isfinite(r.train_loss)) values.push_back(r.train_loss);
  if (values.empty()) return "";
  const size_t buckets = std::min(width, values.size());
  std::vector<double> means(buckets, 0.0);
  for (size_t b = 0; b < buckets; ++b) {
    const size_t from = b * values.size() / buckets, to = (b + 1) * values.size() / buckets;
    for (size_t i = from; i < to; ++i) means[b] += values[i] / double(to - from);
  }
  const auto [lo, hi] = std::minmax_element(means.begin(), means.end());
  std::string out;
  for (double m : means)
    out += levels[*hi > *lo ? std::min(7, int((m - *lo) / (*hi - *lo) * 8.0)) : 0];
  return out;
}

void print_text(const PlotArgs& a, const std::vector<MetricsRow>& rows) {
  std::printf("%s: %zu lines, steps %lld..%lld\n\n", a.metrics.c_str(), rows.size(),
              (long long)rows.front().step, (long long)rows.back().step);
  std::printf("train loss %s\n\n", sparkline(rows, 60).c_str());
  std::printf("%8s %12s %10s %10s\n", "step", "train (eval)", "val", "lr");
  for (const auto& r : rows) {
    if (std::isnan(r.val_loss)) continue;
    const double train = std::isnan(r.eval_train_loss) ? r.train_loss : r.eval_train_loss;
    std::printf("%8lld %12.4f %10.4f %10.3g\n", (long long)r.step, train, r.val_loss, r.lr);
  }
  if (!a.svg.empty()) std::printf("\nwrote %s\n", a.svg.c_str());
}

void write_svg(const PlotArgs& a, const std::vector<MetricsRow>& rows) {
  LineSeries train{.name = "train loss (batch)"}, val{.name = "validation loss", .markers = true},
      lr{.name = "learning rate"};
  for (const auto& r : rows) {
    // Step 0's line is an evaluation before training; its train_loss is the evaluated one.
    if (r.step > 0 && std::isfinite(r.train_loss))
      train.x.push_back(double(r.step)), train.y.push_back(r.train_loss);
    if (std::isfinite(r.val_loss)) val.x.push_back(double(r.step)), val.y.push_back(r.val_loss);
    if (std::isfinite(r.lr)) lr.x.push_back(double(r.step)), lr.y.push_back(r.lr);
  }
  LineChartStyle style;
  style.title = "Loss curves: " + a.metrics;
  style.x_label = "step";
  style.y_label = "loss (cross-entropy, nats)";
  style.right_y_label = "learning rate";
  write_file_atomic(a.svg, line_chart_svg({train, val}, {lr}, style));
}

void run_plot(const PlotArgs& a) {
  const std::vector<MetricsRow> rows = read_metrics(a.metrics);
  if (!a.svg.empty()) write_svg(a, rows);
  switch (a.format) {
    case OutputFormat::kText:
      print_text(a, rows);
      break;
    case OutputFormat::kJson: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& r : rows) {
        nlohmann::json j = {{"step", r.step}};
        if (std::isfinite(r.train_loss)) j["train_loss"] = r.train_loss;
        if (std::isfinite(r.val_loss)) j["val_loss"] = r.val_loss;
        if (std::isfinite(r.lr)) j["lr"] = r.lr;
        out.push_back(j);
      }
      std::printf("%s\n", out.dump().c_str());
      break;
    }
    case OutputFormat::kCsv: {
      std::printf("step,train_loss,val_loss,lr\n");
      // %.9g keeps small learning rates (std::to_string would print 1e-8 as 0.000000).
      auto field = [](double v) {
        char buf[32] = "";
        if (std::isfinite(v)) std::snprintf(buf, sizeof buf, "%.9g", v);
        return std::string(buf);
      };
      for (const auto& r : rows)
        std::printf("%lld,%s,%s,%s\n", (long long)r.step, field(r.train_loss).c_str(),
                    field(r.val_loss).c_str(), field(r.lr).c_str());
      break;
    }
  }
}

}  // namespace

void add_plot_command(CLI::App& app) {
  auto args = std::make_shared<PlotArgs>();
  CLI::App* cmd = app.add_subcommand("plot", "loss curves of a training run");
  cmd->footer(
      "Reads the metrics.jsonl that dikkat train writes. A malformed line is an error naming its\n"
      "line number.");
  cmd->add_option("--metrics", args->metrics, "a run's metrics.jsonl")->required();
  cmd->add_option("--svg", args->svg, "draw the curves as an SVG in this file");
  add_format_option(*cmd, args->format);
  cmd->callback([args] { run_plot(*args); });
}

}  // namespace dikkat
