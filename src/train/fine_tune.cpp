#include "train/fine_tune.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "error.h"

namespace dikkat {

namespace {

// Model fields a fine-tuning run may set: regularisation while training, and the window length
// (a learned position table fixes it, and the parameter check below then refuses a change).
// Any other field either reshapes a weight or changes what the weights compute (n_head splits
// the same matrices into other heads, activation and norm placement change every block).
bool may_differ(const std::string& key) {
  return key == "dropout" || key == "label_smoothing" || key == "context";
}

std::string flag_of(std::string key) {
  std::replace(key.begin(), key.end(), '_', '-');
  return "--" + key;
}

std::string value_text(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// Prefixes an Error from reading the source directory with the flag that named it.
template <typename F>
auto naming_init_from(F&& read) {
  try {
    return read();
  } catch (const Error& e) {
    throw Error(std::string("--init-from ") + e.what());
  }
}

}  // namespace

RunConfig fine_tune_base(const std::string& source_dir) {
  if (!std::filesystem::is_directory(source_dir))
    throw Error("--init-from " + source_dir + ": no such directory");
  RunConfig c = naming_init_from([&] { return read_run_config(source_dir); });
  c.train.data.clear();
  c.train.valid.clear();
  c.train.freeze.clear();
  c.train.init_from = source_dir;
  c.train.init_from_step = 0;  // set when the weights are read
  c.train.tokenizer = join_path(source_dir, "tokenizer.json");
  return c;
}

LoadedModel load_fine_tune_source(const std::string& source_dir) {
  if (!std::filesystem::is_directory(source_dir))
    throw Error("--init-from " + source_dir + ": no such directory");
  return naming_init_from([&] { return load_model_dir(source_dir); });
}

void check_keeps_source_config(const std::string& source_dir, const ModelConfig& source,
                               const ModelConfig& model) {
  const nlohmann::json was = source, now = model;
  for (const ModelConfigField& field : model_config_fields()) {
    if (was[field.key] == now[field.key] || may_differ(field.key)) continue;
    throw Error(flag_of(field.key) + " " + value_text(now[field.key]) +
                ": a fine-tuning run keeps the model of --init-from " + source_dir + " (" +
                field.key + " " + value_text(was[field.key]) +
                "); only --dropout, --label-smoothing and --context may differ");
  }
}

void check_keeps_source_parameters(const std::string& source_dir, const LoadedModel& source,
                                   const Model& model) {
  const nlohmann::json was = source.config.model, now = model.config();
  std::string changed;  // the flags that differ from the source, for the message
  for (const ModelConfigField& field : model_config_fields())
    if (was[field.key] != now[field.key])
      changed +=
          (changed.empty() ? "" : ", ") + flag_of(field.key) + " " + value_text(now[field.key]);
  auto refuse = [&](const std::string& what) {
    throw Error((changed.empty() ? "--init-from " + source_dir : changed) + ": " + what);
  };
  for (const Parameter& p : model.parameters()) {
    const Var* from = source.model->find(p.name);
    if (!from)
      refuse("the model would have " + p.name + ", which --init-from " + source_dir + " lacks");
    if ((*from)->value.shape != p.var->value.shape)
      refuse("the model's " + p.name + " would be " + shape_to_string(p.var->value.shape) +
             " but --init-from " + source_dir + " has " + shape_to_string((*from)->value.shape));
  }
  if (source.model->parameters().size() != model.parameters().size())
    refuse("the model would lack tensors that --init-from " + source_dir + " has");
}

void copy_weights(const Model& source, const Model& model) {
  for (const Parameter& p : model.parameters()) p.var->value = (*source.find(p.name))->value;
}

}  // namespace dikkat
