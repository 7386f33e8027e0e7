#include "test_support.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace dikkat::testing {

std::string shared_data_path(const std::string& name) {
  const std::string path = std::string(DIKKAT_SHARED_DATA_DIR) + "/" + name;
  return std::filesystem::exists(path) ? path : "";
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("dikkat-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

static std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

CommandResult run_dikkat(const std::string& args) {
  TempDir tmp;
  const std::string out = tmp.file("stdout"), err = tmp.file("stderr");
  const std::string cmd =
      std::string(DIKKAT_BINARY) + " " + args + " >" + out + " 2>" + err + " </dev/null";
  const int status = std::system(cmd.c_str());
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return {code, slurp(out), slurp(err)};
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

void expect_one_line_error(const CommandResult& r, const std::string& needle) {
  EXPECT_EQ(r.exit_code, 1) << "stderr: " << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << "stderr: " << r.err;
  std::string trimmed = r.err;
  while (!trimmed.empty() && trimmed.front() == '\n') trimmed.erase(0, 1);
  EXPECT_EQ(std::count(trimmed.begin(), trimmed.end(), '\n'), 1) << "stderr: " << r.err;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string number_pairs(int count, uint64_t seed) {
  const char* en[] = {"one", "two",   "three", "four", "five",
                      "six", "seven", "eight", "nine", "ten"};
  const char* tr[] = {"bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz", "on"};
  std::mt19937_64 rng(seed);
  std::ostringstream out;
  for (int i = 0; i < count; ++i) {
    const int words = 1 + int(rng() % 6);
    std::string source, target;
    for (int w = 0; w < words; ++w) {
      const int k = int(rng() % 10);
      if (w > 0) source += ' ', target += ' ';
      source += en[k];
      target += tr[k];
    }
    out << source << '\t' << target << '\n';
  }
  return out.str();
}

WholeAndKilled train_whole_and_killed(const TempDir& tmp, const std::string& flags,
                                      const std::string& resume_flags,
                                      const std::vector<int64_t>& kill_at) {
  WholeAndKilled r;
  const auto whole = run_dikkat("train --out " + tmp.file("whole") + " " + flags);
  EXPECT_EQ(whole.exit_code, 0) << whole.err;
  const std::string dir = tmp.file("killed");
  for (size_t round = 0; round < kill_at.size(); ++round) {
    const std::string args = round == 0 ? "train --out " + dir + " " + flags
                                        : "train --resume " + dir + " " + resume_flags;
    if (!run_and_kill_at_step(args, dir, kill_at[round])) break;
    ++r.kills;
  }
  const auto last = run_dikkat("train --resume " + dir + " " + resume_flags);
  EXPECT_EQ(last.exit_code, 0) << last.err;
  r.whole = read_metrics(tmp.file("whole"));
  r.killed = read_metrics(dir);
  return r;
}

std::vector<nlohmann::json> read_metrics(const std::string& run_dir) {
  std::ifstream in(run_dir + "/metrics.jsonl");
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

void expect_same_train_losses(const std::vector<nlohmann::json>& a,
                              const std::vector<nlohmann::json>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(a[i]["train_loss"].get<double>(), b[i]["train_loss"].get<double>()) << "line " << i;
}

int64_t last_logged_step(const std::string& run_dir) {
  std::ifstream in(run_dir + "/metrics.jsonl");
  int64_t step = -1;
  for (std::string line; std::getline(in, line);) {
    try {
      step = nlohmann::json::parse(line).value("step", step);
    } catch (const nlohmann::json::exception&) {
    }
  }
  return step;
}

bool run_and_kill_at_step(const std::string& args, const std::string& run_dir, int64_t step) {
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const std::string cmd = std::string("exec ") + DIKKAT_BINARY + " " + args + " >/dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (last_logged_step(run_dir) < step && std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return true;
}

}  // namespace dikkat::testing
