// dikkat info: a model's configuration and a per-tensor parameter table.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "error.h"
#include "nn/architectures.h"
#include "run/checkpoint.h"
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
  std::printf("%s\n", title.c_str());
  auto print_fields = [](const char* heading, const nlohmann::json& fields) {
    int width = 0;
    for (const auto& [key, value] : fields.items()) width = std::max(width, int(key.size()));
    std::printf("\n%s\n", heading);
    for (const auto& [key, value] : fields.items())
      std::printf("  %-*s %s\n", width, key.c_str(), value.dump().c_str());
  };
  print_fields("model", c.model);
  print_fields("training", c.train);
  int w = 40;
  for (const auto& p : model.parameters()) w = std::max(w, int(p.name.size()) + 1);
  std::printf("\n%-*s %-14s %12s\n", w, "parameter", "shape", "count");
  for (const auto& p : model.parameters())
    std::printf("%-*s %-14s %12lld\n", w, p.name.c_str(),
                shape_to_string(p.var->value.shape).c_str(), (long long)p.var->value.numel());
  if (const Var positions = model.position_table();
      positions && c.model.positions == Positions::kSinusoidal)
    std::printf("%-*s %-14s %12s\n", w, "(sinusoidal positions)",
                shape_to_string(positions->value.shape).c_str(), "fixed");
  if (model.output_tied_to_embedding())
    std::printf("%-*s %s\n", w, "(output projection)", "tied to the token embedding");
  std::printf("%-*s %-14s %12lld\n", w, "total", "", (long long)model.parameter_count());
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
