// Nothing is lost on a kill, a failing disk or a numerical blow-up: after each of 20 SIGKILLs at
// random moments (checkpoints are written every step, so many land mid-write) the directory
// loads and the run resumes; the finished model equals an uninterrupted run's, bit for bit.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "io/file_io.h"
#include "io/safetensors.h"
#include "run/checkpoint.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::run_dikkat;
using testing::shell_quote;

const std::string kRun = " --data " +
                         shell_quote(std::string(DIKKAT_SOURCE_DIR) + "/data/demo/turkce.txt") +
                         " --n-layer 1 --n-head 2 --n-embd 16 --context 16 --batch-size 4"
                         " --steps 1000 --eval-every 250 --save-every 1 --eval-batches 2"
                         " --sample-tokens 0 --dropout 0.1 --seed 7 --threads 1 --quiet";

pid_t start_dikkat(const std::string& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string cmd = std::string("exec ") + DIKKAT_BINARY + " " + args + " >/dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
    _exit(127);
  }
  return pid;
}

std::vector<double> train_losses(const std::string& dir) {
  std::ifstream in(dir + "/metrics.jsonl");
  std::vector<double> losses;
  for (std::string line; std::getline(in, line);)
    losses.push_back(nlohmann::json::parse(line)["train_loss"].get<double>());
  return losses;
}

void expect_same_weights(const std::string& a, const std::string& b) {
  const SafetensorsReader x = SafetensorsReader::open(a), y = SafetensorsReader::open(b);
  ASSERT_EQ(x.entries().size(), y.entries().size());
  for (const auto& [name, entry] : x.entries())
    EXPECT_EQ(x.f32(name).data, y.f32(name).data) << name;
}

TEST(CrashConsistency, TwentyKillsAtRandomMomentsLoseNothing) {
  testing::TempDir tmp;
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(run_dikkat("train --out " + tmp.file("whole") + kRun).exit_code, 0);
  // Kill moments scale with this machine's (or this sanitizer build's) speed: each between
  // 0.5% and 4% of a whole run (about 2% of progress each, so twenty kills cannot reach the end
  // and land everywhere from setup to mid-run).
  const auto whole_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  const std::string dir = tmp.file("killed");
  std::mt19937 rng(2026);
  int kills = 0;
  bool finished = false;
  while (!finished && kills < 20) {
    // Killed during setup, the run directory does not exist yet: start it again.
    const bool started = std::filesystem::exists(dir + "/config.json");
    const pid_t pid = start_dikkat(started ? "train --resume " + dir + " --threads 1 --quiet"
                                           : "train --out " + dir + kRun);
    ASSERT_GT(pid, 0);
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::microseconds(std::uniform_int_distribution<int64_t>(
                              whole_us / 200, whole_us * 4 / 100)(rng));
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid, &status, WNOHANG) == pid) {
        finished = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    if (finished) break;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    ++kills;
    // Whatever the moment, what is on disk loads: no run directory at all (killed during setup),
    // or one whose untrained weights load, and its latest weights and training state once the
    // first checkpoint exists.
    if (!std::filesystem::exists(dir)) continue;
    ASSERT_NO_THROW(load_model_dir(dir, "model_step0.safetensors")) << "after kill " << kills;
    if (std::filesystem::exists(dir + "/model.safetensors")) {
      ASSERT_NO_THROW(load_model_dir(dir)) << "after kill " << kills;
    }
    if (std::filesystem::exists(dir + "/train_state.safetensors")) {
      ASSERT_NO_THROW(SafetensorsReader::open(dir + "/train_state.safetensors"));
    }
  }
  EXPECT_GE(kills, 20) << "the run finished after " << kills << " kills";
  const bool started = std::filesystem::exists(dir + "/config.json");
  ASSERT_EQ(run_dikkat(started ? "train --resume " + dir + " --threads 1 --quiet"
                               : "train --out " + dir + kRun)
                .exit_code,
            0);
  expect_same_weights(tmp.file("whole") + "/model.safetensors", dir + "/model.safetensors");
  EXPECT_EQ(train_losses(tmp.file("whole")), train_losses(dir));
}

TEST(CrashConsistency, AnUnwritableCheckpointIsAClearErrorAndTheOldOneSurvives) {
  testing::TempDir tmp;
  const std::string dir = tmp.file("run");
  ASSERT_EQ(run_dikkat("train --out " + dir + kRun + " --steps 10").exit_code, 0);
  const std::string before = read_file(dir + "/train_state.safetensors");
  // The temporary name a save writes first is taken by a directory: the write fails as it would
  // on a full or read-only disk (as root, permissions alone would not stop it).
  std::filesystem::create_directory(dir + "/train_state.safetensors.tmp");
  const auto r = run_dikkat("train --resume " + dir + " --steps 20 --threads 1 --quiet");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("train_state.safetensors"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(dir + "/train_state.safetensors"), before);
  EXPECT_NO_THROW(load_model_dir(dir));
}

TEST(NumericalFaults, ANonFiniteLossStopsBeforeTheWeightsOrSkipsTheBatch) {
  testing::TempDir tmp;
  const std::string blowup = " --lr 1e6 --grad-clip 0 --steps 30 --save-every 1";
  const auto stop = run_dikkat("train --out " + tmp.file("stop") + kRun + blowup);
  EXPECT_EQ(stop.exit_code, 1);
  EXPECT_NE(stop.err.find("is not finite"), std::string::npos) << stop.err;
  EXPECT_NE(stop.err.find("the last checkpoint is intact"), std::string::npos) << stop.err;
  EXPECT_NO_THROW(load_model_dir(tmp.file("stop")));

  const auto skip =
      run_dikkat("train --out " + tmp.file("skip") + kRun + blowup + " --on-nan skip");
  EXPECT_EQ(skip.exit_code, 0) << skip.err;
  std::ifstream in(tmp.file("skip") + "/metrics.jsonl");
  int skipped = 0;
  for (std::string line; std::getline(in, line);)
    skipped += nlohmann::json::parse(line).contains("skipped");
  EXPECT_GT(skipped, 0);
}

}  // namespace
}  // namespace dikkat
