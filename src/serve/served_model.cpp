#include "serve/served_model.h"

#include "inspect/model_text.h"
#include "nn/enum_names.h"
#include "run/snapshots.h"
#include "serve/api_error.h"

namespace dikkat {

namespace fs = std::filesystem;

namespace {

constexpr const char* kLatest = "model.safetensors";

}  // namespace

nlohmann::json attention_kind_names(const Model& model) {
  nlohmann::json names = nlohmann::json::array();
  for (const AttentionKind& k : model.attention_kinds()) names.push_back(k.name);
  return names;
}

namespace {

const char* sequence_name(Sequence s) { return s == Sequence::kInput ? "input" : "target"; }

// Each kind with its tables' shape, and the largest layer and head counts over all of them.
struct KindsSummary {
  nlohmann::json kinds = nlohmann::json::array();
  int64_t layers = 0, heads = 0, encoder_layers = 0;
};
KindsSummary summarize_kinds(const Model& model) {
  KindsSummary out;
  for (const AttentionKind& k : model.attention_kinds()) {
    out.kinds.push_back({{"kind", k.name},
                         {"title", k.title.en},
                         {"title_tr", k.title.tr},
                         {"layers", k.layers()},
                         {"heads", k.heads},
                         {"causal", k.causal()},
                         {"queries", sequence_name(k.queries)},
                         {"keys", sequence_name(k.keys)}});
    out.layers = std::max(out.layers, k.layers());
    out.heads = std::max(out.heads, k.heads);
    if (k.name == "encoder") out.encoder_layers = k.layers();
  }
  return out;
}

}  // namespace

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
  for (const Checkpoint& c : list_checkpoints(dir_))
    if (c.file == file) return load(file);
  throw ApiError(400, field,
                 field + ": " + id_ + " has no checkpoint '" + file.substr(0, 60) +
                     "' (see the checkpoints of /api/models)");
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
  const KindsSummary kinds = summarize_kinds(*m->model);
  out.update({{"arch", enum_to_name(kArchNames, c.arch)},
              {"task", enum_to_name(kTaskNames, m->model->task())},
              {"summary", m->model->summary()},
              {"step", m->step},
              {"vocab_size", c.vocab_size},
              {"context", c.context},
              {"n_embd", c.n_embd},
              {"layers", kinds.layers},
              {"heads", kinds.heads},
              {"encoder_layers", kinds.encoder_layers},
              {"attention_kinds", attention_kind_names(*m->model)},
              {"attention", kinds.kinds},
              {"next_token_table", m->model->next_token_table() != nullptr},
              {"config", nlohmann::json(c)}});
  nlohmann::json checkpoints = nlohmann::json::array();
  for (const Checkpoint& c : list_checkpoints(dir_))
    checkpoints.push_back({{"name", c.file == kLatest ? "latest" : "step " + std::to_string(c.step)},
                           {"file", c.file},
                           {"step", c.step}});
  out["checkpoints"] = checkpoints;
  return out;
}

}  // namespace dikkat
