#include "serve/served_model.h"

#include "inspect/model_text.h"
#include "nn/enum_names.h"
#include "serve/api_error.h"

namespace dikkat {

namespace fs = std::filesystem;

namespace {

constexpr const char* kLatest = "model.safetensors";
constexpr const char* kStepZero = "model_step0.safetensors";

}  // namespace

namespace {

// The layers and heads of a model's attention tables: a recurrent translator's alignment is one
// table; a model without attention has none.
std::pair<int64_t, int64_t> attention_tables(const ModelConfig& c) {
  if (c.arch == Arch::kGpt || c.arch == Arch::kSeq2seq) return {c.n_layer, c.n_head};
  if (c.arch == Arch::kRnn && c.attention != RecurrentAttention::kNone) return {1, 1};
  return {0, 0};
}

}  // namespace

nlohmann::json attention_kinds(const ModelConfig& c) {
  if (c.arch == Arch::kGpt) return {"self"};
  if (c.arch == Arch::kSeq2seq) return {"encoder", "decoder", "cross"};
  if (c.arch == Arch::kRnn && c.attention != RecurrentAttention::kNone) return {"cross"};
  return nlohmann::json::array();
}

ServedModel::ServedModel(std::string id, std::string dir) : id_(std::move(id)), dir_(std::move(dir)) {}

bool ServedModel::ready() const {
  return fs::exists(join_path(dir_, "config.json")) &&
         fs::exists(join_path(dir_, "tokenizer.json")) && fs::exists(join_path(dir_, kLatest));
}

std::string ServedModel::metrics_path() const { return join_path(dir_, "metrics.jsonl"); }

std::shared_ptr<const LoadedModel> ServedModel::load(const std::string& file) {
  const std::string path = join_path(dir_, file);
  std::error_code ec;
  const auto mtime = fs::last_write_time(path, ec);
  const uintmax_t size = ec ? 0 : fs::file_size(path, ec);
  if (ec) throw ApiError(409, "model", id_ + " (" + dir_ + ") has no " + file + " yet");
  std::lock_guard lock(mutex_);
  Loaded& slot = loaded_[file];
  if (!slot.model || slot.mtime != mtime || slot.size != size) {
    slot.model = std::make_shared<const LoadedModel>(load_model_dir(dir_, file));
    slot.mtime = mtime, slot.size = size;
  }
  return slot.model;
}

std::shared_ptr<const LoadedModel> ServedModel::latest() { return load(kLatest); }

std::shared_ptr<const LoadedModel> ServedModel::checkpoint(const std::string& file,
                                                          const std::string& field) {
  if (file != kLatest && file != kStepZero)
    throw ApiError(400, field, field + ": '" + file.substr(0, 60) + "' is not a checkpoint (" +
                                   kLatest + " or " + kStepZero + ")");
  if (!fs::exists(join_path(dir_, file)))
    throw ApiError(400, field, field + ": " + id_ + " has no " + file);
  return load(file);
}

nlohmann::json ServedModel::describe() {
  nlohmann::json out = {{"id", id_},
                        {"name", fs::path(dir_).filename().string()},
                        {"dir", dir_},
                        {"ready", ready()},
                        {"has_metrics", fs::exists(metrics_path())}};
  if (out["name"] == "") out["name"] = fs::path(dir_).parent_path().filename().string();
  if (!out["ready"]) return out;
  const std::shared_ptr<const LoadedModel> m = latest();
  const ModelConfig& c = m->config.model;
  const bool translator = translates(*m);
  out.update({{"arch", enum_to_name(kArchNames, c.arch)},
              {"task", translator ? "translation" : "language_model"},
              {"step", m->step},
              {"vocab_size", c.vocab_size},
              {"context", c.context},
              {"n_embd", c.n_embd},
              {"layers", attention_tables(c).first},
              {"heads", attention_tables(c).second},
              {"encoder_layers", c.arch == Arch::kSeq2seq ? c.n_encoder_layer : 0},
              {"attention_kinds", attention_kinds(c)},
              {"config", nlohmann::json(c)}});
  nlohmann::json checkpoints = nlohmann::json::array();
  if (fs::exists(join_path(dir_, kStepZero)))
    checkpoints.push_back({{"name", "step 0"}, {"file", kStepZero}, {"step", 0}});
  checkpoints.push_back({{"name", "latest"}, {"file", kLatest}, {"step", m->step}});
  out["checkpoints"] = checkpoints;
  return out;
}

}  // namespace dikkat
