#pragma once
// What several test files need: where fixtures and shared data live, temporary directories, and
// running the dikkat binary as a user would.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "nn/model_config.h"

namespace dikkat::testing {

inline std::string fixture_path(const std::string& name) {
  return std::string(DIKKAT_FIXTURE_DIR) + "/" + name;
}

// ../shared/data/<name>, or "" when the shared data is not checked out beside the repo.
std::string shared_data_path(const std::string& name);

// A fresh, empty directory removed when the object goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code;
  std::string out, err;
};
// Runs `dikkat <args>` (args already shell-quoted where needed) and captures both streams.
CommandResult run_dikkat(const std::string& args);
std::string shell_quote(const std::string& s);
// Bad input's contract: exit code 1 and exactly one line on stderr that contains `needle`.
void expect_one_line_error(const CommandResult& r, const std::string& needle);
void write_text(const std::string& path, const std::string& text);

// Sentence pairs made here, so translation tests need no shared data: English number words and
// their Turkish translations, "three one four<TAB>üç bir dört", 1 to 6 words a side, one per line.
std::string number_pairs(int count, uint64_t seed);

// The objects of a run directory's metrics.jsonl, one per line.
std::vector<nlohmann::json> read_metrics(const std::string& run_dir);
// Both runs logged the same number of lines with bit-identical train losses. A fatal failure on
// differing lengths: call through ASSERT_NO_FATAL_FAILURE to stop the test there.
void expect_same_train_losses(const std::vector<nlohmann::json>& a,
                              const std::vector<nlohmann::json>& b);

// Starts `dikkat <args>` (a run writing to `run_dir`) and kills it with SIGKILL once its
// metrics.jsonl reaches `step` (or after 60 s). Returns false when it finished first.
bool run_and_kill_at_step(const std::string& args, const std::string& run_dir, int64_t step);
// The SIGKILL test every architecture gets: `dikkat train --out <whole> <flags>` runs
// uninterrupted; then into <killed> it is killed at each step of `kill_at` in turn (the first
// start with `flags`, each later one `train --resume <killed> <resume_flags>`) and finally resumed
// to the end. Returns both runs' metrics and how many kills landed before the run finished.
struct WholeAndKilled {
  std::vector<nlohmann::json> whole, killed;
  int kills = 0;
};
WholeAndKilled train_whole_and_killed(const TempDir& tmp, const std::string& flags,
                                      const std::string& resume_flags,
                                      const std::vector<int64_t>& kill_at);

// The last step logged in a run's metrics.jsonl (-1 when none), ignoring a line cut by a kill.
int64_t last_logged_step(const std::string& run_dir);

// The model a fixture's "config" metadata describes, holding the fixture's param/<name> tensors
// (the files tests/reference/ writes).
template <typename M>
std::unique_ptr<M> fixture_model(const SafetensorsReader& file) {
  ModelConfig config;
  from_json(nlohmann::json::parse(file.metadata_value("config")), config);
  auto model = std::make_unique<M>(config);
  for (const auto& p : model->parameters())
    p.var->value = file.f32("param/" + p.name, p.var->value.shape);
  return model;
}
// The same for tests/fixtures/<name>.
template <typename M>
std::unique_ptr<M> fixture_model(const std::string& name) {
  return fixture_model<M>(SafetensorsReader::open(fixture_path(name)));
}

}  // namespace dikkat::testing
