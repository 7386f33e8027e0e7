// dikkat info: a model's configuration and a per-tensor parameter table.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "error.h"
#include "io/checkpoint.h"
#include "nn/architectures.h"
#include "train/presets.h"

namespace dikkat {

namespace {

struct InfoArgs {
  std::string model, preset;
  bool json = false;
};

// For scripts (the benchmarks build the same model in PyTorch from this).
void print_json(const RunConfig& c, const Model& model) {
  std::printf("%s\n",
              nlohmann::json{
                  {"model", c.model}, {"train", c.train}, {"parameters", model.parameter_count()}}
                  .dump()
                  .c_str());
}

void print_info(const RunConfig& c, const Model& model, const std::string& title) {
  std::printf("%s\n\nmodel\n", title.c_str());
  const nlohmann::json model_json = c.model, train_json = c.train;
  for (const auto& [key, value] : model_json.items())
    std::printf("  %-12s %s\n", key.c_str(), value.dump().c_str());
  std::printf("\ntraining\n");
  for (const auto& [key, value] : train_json.items())
    std::printf("  %-14s %s\n", key.c_str(), value.dump().c_str());
  std::printf("\n%-40s %-14s %12s\n", "parameter", "shape", "count");
  for (const auto& p : model.parameters())
    std::printf("%-40s %-14s %12lld\n", p.name.c_str(), shape_to_string(p.var->value.shape).c_str(),
                (long long)p.var->value.numel());
  if (c.model.positions == Positions::kSinusoidal)
    std::printf("%-40s %-14s %12s\n", "(sinusoidal positions)",
                shape_to_string(model.position_table()->value.shape).c_str(), "fixed");
  if (c.model.tie_head) std::printf("%-40s %-14s %12s\n", "(lm_head.weight)", "", "tied to wte");
  std::printf("%-40s %-14s %12lld\n", "total", "", (long long)model.parameter_count());
}

void run_info(const InfoArgs& a) {
  if (a.model.empty() == a.preset.empty())
    throw Error("give exactly one of --model DIR or --preset NAME");
  if (!a.preset.empty()) {
    const Preset& p = find_preset(a.preset);
    const auto model = make_model(p.model);
    if (a.json) return print_json({p.model, p.train}, *model);
    print_info({p.model, p.train}, *model, "preset " + p.name + ": " + p.description);
    return;
  }
  LoadedModel m = load_model_dir(a.model);
  if (a.json) return print_json(m.config, *m.model);
  print_info(m.config, *m.model, a.model + " (step " + std::to_string(m.step) + ")");
}

}  // namespace

void add_info_command(CLI::App& app) {
  auto args = std::make_shared<InfoArgs>();
  CLI::App* cmd = app.add_subcommand("info", "configuration and parameter table of a model");
  cmd->add_option("--model", args->model, "model directory");
  cmd->add_option("--preset", args->preset, "a preset instead of a saved model");
  cmd->add_flag("--json", args->json, "the configuration and parameter count as one JSON line");
  cmd->callback([args] { run_info(*args); });
}

}  // namespace dikkat
