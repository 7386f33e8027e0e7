#include "run/snapshots.h"

#include <algorithm>
#include <filesystem>

#include "error.h"
#include "io/safetensors.h"
#include "run/checkpoint.h"

namespace dikkat {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSnapshotDir = "snapshots";

// The step a snapshot's file name gives ("step_500.safetensors"), or -1 for any other file.
int64_t step_of(const std::string& name) {
  const std::string prefix = "step_", suffix = ".safetensors";
  if (!name.starts_with(prefix) || !name.ends_with(suffix)) return -1;
  const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.empty() || digits.size() > 12 || digits.find_first_not_of("0123456789") != std::string::npos)
    return -1;
  return std::stoll(digits);
}

}  // namespace

std::string snapshot_file(int64_t step) {
  return std::string(kSnapshotDir) + "/step_" + std::to_string(step) + ".safetensors";
}

void save_snapshot(const std::string& dir, const Model& model, int64_t step) {
  fs::create_directories(join_path(dir, kSnapshotDir));
  save_weights(join_path(dir, snapshot_file(step)), model, step);
}

std::vector<Checkpoint> list_checkpoints(const std::string& dir) {
  std::vector<Checkpoint> out;
  if (fs::exists(join_path(dir, "model_step0.safetensors")))
    out.push_back({0, "model_step0.safetensors"});
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(join_path(dir, kSnapshotDir), ec)) {
    const int64_t step = step_of(entry.path().filename().string());
    if (step > 0 && entry.is_regular_file()) out.push_back({step, snapshot_file(step)});
  }
  const std::string latest = join_path(dir, "model.safetensors");
  if (fs::exists(latest)) {
    const auto metadata = SafetensorsReader::open(latest).metadata();
    const auto step = metadata.find("step");
    int64_t n = -1;
    try {
      if (step != metadata.end()) n = std::stoll(step->second);
    } catch (const std::exception&) {
      throw Error(latest + ": metadata step '" + step->second + "' is not a number");
    }
    out.push_back({n, "model.safetensors"});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Checkpoint& a, const Checkpoint& b) { return a.step < b.step; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Checkpoint& a, const Checkpoint& b) { return a.step == b.step; }),
            out.end());
  return out;
}

std::string checkpoint_at(const std::string& dir, int64_t step, const std::string& flag) {
  const std::vector<Checkpoint> all = list_checkpoints(dir);
  std::string steps;
  for (const Checkpoint& c : all) {
    if (c.step == step) return c.file;
    steps += (steps.empty() ? "" : ", ") + std::to_string(c.step);
  }
  throw Error(flag + " " + std::to_string(step) + ": " + dir + " has no weights of that step (" +
              (steps.empty() ? std::string("none at all") : "it has steps " + steps) +
              "; train --snapshot-every N keeps more)");
}

}  // namespace dikkat
