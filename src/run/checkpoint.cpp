#include "run/checkpoint.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "error.h"
#include "io/file_io.h"
#include "io/safetensors.h"
#include "nn/architectures.h"

namespace dikkat {

namespace {

nlohmann::json parse_json_file(const std::string& path) {
  const std::string text = read_file(path);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": not valid JSON (" + e.what() + ")");
  }
}

}  // namespace

std::string join_path(const std::string& dir, const std::string& file) {
  return (std::filesystem::path(dir) / file).string();
}

void write_run_config(const std::string& dir, const RunConfig& config) {
  nlohmann::json j = {
      {"format", "dikkat"}, {"version", 1}, {"model", config.model}, {"train", config.train}};
  write_file_atomic(join_path(dir, "config.json"), j.dump(2) + "\n");
}

RunConfig read_run_config(const std::string& dir) {
  const std::string path = join_path(dir, "config.json");
  if (!std::filesystem::exists(path))
    throw FileError(dir + ": not a dikkat model directory (no config.json)");
  return parse_run_config(parse_json_file(path), path);
}

RunConfig parse_run_config(const nlohmann::json& j, const std::string& path) {
  const bool is_dikkat = j.is_object() && j.contains("format") && j["format"].is_string() &&
                         j["format"] == "dikkat" && j.contains("model");
  if (!is_dikkat)
    throw Error(path + ": not a dikkat config (expected \"format\": \"dikkat\" and \"model\")");
  RunConfig c;
  try {
    from_json(j["model"], c.model);
    if (j.contains("train")) from_json(j["train"], c.train);
    c.model.validate();
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  } catch (const nlohmann::json::exception& e) {
    // A field of the wrong JSON type that a converter did not check (found by fuzzing).
    throw Error(path + ": " + e.what());
  }
  return c;
}

void write_tokenizer(const std::string& dir, const Tokenizer& tokenizer) {
  write_file_atomic(join_path(dir, "tokenizer.json"), tokenizer.to_json().dump(1) + "\n");
}

Tokenizer read_tokenizer(const std::string& dir) {
  return read_tokenizer_file(join_path(dir, "tokenizer.json"));
}

Tokenizer read_tokenizer_file(const std::string& path) {
  if (path.ends_with(".json")) return Tokenizer::from_json(parse_json_file(path), path);
  return Tokenizer(BpeTokenizer::load(path));
}

void save_weights(const std::string& path, const Model& model, int64_t step) {
  SafetensorsWriter w;
  for (const auto& p : model.parameters()) w.add(p.name, p.var->value);
  w.set_metadata("format", "dikkat");
  w.set_metadata("step", std::to_string(step));
  w.set_metadata("config", nlohmann::json(model.config()).dump());
  w.write(path);
}

int64_t load_weights(const std::string& path, Model& model) {
  const SafetensorsReader r = SafetensorsReader::open(path);
  for (const auto& p : model.parameters()) p.var->value = r.f32(p.name, p.var->value.shape);
  for (const auto& [name, entry] : r.entries())
    if (!model.find(name))
      throw Error(path + ": unexpected tensor '" + name + "' for this model config");
  const auto step = r.metadata().find("step");
  if (step == r.metadata().end()) return 0;
  try {
    return std::stoll(step->second);
  } catch (const std::exception&) {
    throw Error(path + ": metadata step '" + step->second + "' is not a number");
  }
}

LoadedModel load_model_dir(const std::string& dir, const std::string& weights_file) {
  LoadedModel m{read_run_config(dir), read_tokenizer(dir), nullptr, 0};
  if (m.tokenizer.vocab_size() != m.config.model.vocab_size)
    throw Error(join_path(dir, "tokenizer.json") + ": " + std::to_string(m.tokenizer.vocab_size()) +
                " symbols but config.json says " + "vocab_size " +
                std::to_string(m.config.model.vocab_size));
  m.model = make_model(m.config.model);
  m.step = load_weights(join_path(dir, weights_file), *m.model);
  return m;
}

}  // namespace dikkat
