// Data-parallel training: each rank's rows of a batch, and (when Open MPI's mpirun is installed)
// `mpirun -np 2 dikkat train` against one process on the same configuration and seed: the same
// losses within float summation order, bit-identical when repeated, and one clear error when the
// ranks' data differ.
#include "train/data_parallel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "io/file_io.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::read_metrics;
using testing::run_dikkat;

TEST(DataParallel, RanksTakeConsecutiveRowsCoveringTheBatchOnce) {
  for (int64_t rows : {1, 7, 8, 13}) {
    for (int ranks : {1, 2, 3}) {
      int64_t next = 0;
      for (int r = 0; r < ranks; ++r) {
        const RowRange range = rank_rows(rows, r, ranks);
        EXPECT_EQ(range.first, next);
        EXPECT_LE(range.count, rows / ranks + 1);
        EXPECT_GE(range.count, rows / ranks);
        next += range.count;
      }
      EXPECT_EQ(next, rows);
    }
  }
}

TEST(DataParallel, ASliceHoldsThoseRowsOfEveryField) {
  Batch b;
  b.rows = 3, b.time = 2, b.source_time = 1;
  b.inputs = {1, 2, 3, 4, 5, 6};
  b.targets = {7, 8, 9, 10, 11, 12};
  b.source = {13, 14, 15};
  b.source_lengths = {1, 1, 1};
  const Batch s = slice_rows(b, {1, 2});
  EXPECT_EQ(s.rows, 2);
  EXPECT_EQ(s.inputs, (std::vector<int32_t>{3, 4, 5, 6}));
  EXPECT_EQ(s.targets, (std::vector<int32_t>{9, 10, 11, 12}));
  EXPECT_EQ(s.source, (std::vector<int32_t>{14, 15}));
  EXPECT_EQ(s.source_lengths, (std::vector<int32_t>{1, 1}));
}

// `mpirun` as the tests need it: as root, more ranks than cores allowed, bounded in time.
std::string mpirun(int ranks) {
  return "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout 300 mpirun "
         "--oversubscribe --bind-to none -np " +
         std::to_string(ranks) + " ";
}

bool have_mpirun() { return std::system("command -v mpirun >/dev/null 2>&1") == 0; }

struct ShellResult {
  int exit_code;
  std::string err;
};

ShellResult run_shell(const std::string& command) {
  const std::string err = ::testing::TempDir() + "/mpi-stderr-" + std::to_string(getpid());
  const int status = std::system((command + " >/dev/null 2>" + err).c_str());
  std::ifstream in(err);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return {WEXITSTATUS(status), text};
}

// A text of a few thousand characters, enough for the small GPT below.
void write_training_text(const std::string& path) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "the cat sat on the mat and the dog ate the hat. ";
  testing::write_text(path, text);
}

// A small GPT with dropout on, so the test also proves that masks follow the sample, not the
// rank.
const char* kGptFlags =
    " --preset shakespeare-cpu --n-layer 2 --n-head 2 --n-embd 32 --context 32 --batch-size 8 "
    "--steps 12 --eval-every 6 --eval-batches 2 --dropout 0.1 --threads 1 --quiet --seed 7";

// Relative difference allowed between a step's loss on N ranks and on one process: only the
// order of float sums differs (the loss and gradients are averaged over ranks instead of over
// rows in one sum), and Adam carries that rounding into the next steps.
constexpr double kLossTolerance = 1e-4;

void expect_close_losses(const std::vector<nlohmann::json>& one,
                         const std::vector<nlohmann::json>& many) {
  ASSERT_EQ(one.size(), many.size());
  for (size_t i = 0; i < one.size(); ++i) {
    const double a = one[i]["train_loss"], b = many[i]["train_loss"];
    EXPECT_LE(std::abs(a - b), kLossTolerance * std::max(1.0, std::abs(a))) << "line " << i;
  }
}

TEST(DataParallelTraining, TwoRanksGiveOneProcesssLossesAndRepeatBitForBit) {
  if (!have_mpirun()) GTEST_SKIP() << "mpirun not installed (openmpi-bin)";
  testing::TempDir tmp;
  write_training_text(tmp.file("text.txt"));
  const std::string data = " --data " + tmp.file("text.txt");
  ASSERT_EQ(run_dikkat("train" + data + kGptFlags + " --out " + tmp.file("one")).exit_code, 0);
  for (const char* out : {"two", "two-again"}) {
    const ShellResult r = run_shell(mpirun(2) + DIKKAT_BINARY + " train" + data + kGptFlags + " --out " +
                            tmp.file(out));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto one = read_metrics(tmp.file("one"));
  const auto two = read_metrics(tmp.file("two"));
  ASSERT_NO_FATAL_FAILURE(expect_close_losses(one, two));
  testing::expect_same_train_losses(two, read_metrics(tmp.file("two-again")));
  // Rank 0 alone wrote the run, in the one-process layout.
  for (const char* file : {"config.json", "model.safetensors", "train_state.safetensors"})
    EXPECT_TRUE(std::filesystem::exists(tmp.file(std::string("two/") + file))) << file;
}

TEST(DataParallelTraining, ShardedOptimizerStateGivesTheSameRunAndTheSameCheckpoint) {
  if (!have_mpirun()) GTEST_SKIP() << "mpirun not installed (openmpi-bin)";
  testing::TempDir tmp;
  write_training_text(tmp.file("text.txt"));
  const std::string flags = " train --data " + tmp.file("text.txt") + kGptFlags + " --profile";
  const ShellResult plain = run_shell(mpirun(2) + DIKKAT_BINARY + flags + " --out " + tmp.file("plain"));
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const std::string sharded_out = tmp.file("sharded.out");
  const ShellResult sharded = run_shell(mpirun(2) + DIKKAT_BINARY + flags +
                                        " --shard-optimizer --out " + tmp.file("sharded"));
  ASSERT_EQ(sharded.exit_code, 0) << sharded.err;
  // Each tensor's update is the unsharded one, computed by its owner: bit for bit the same.
  testing::expect_same_train_losses(read_metrics(tmp.file("plain")),
                                    read_metrics(tmp.file("sharded")));
  EXPECT_EQ(read_file(tmp.file("plain/train_state.safetensors")),
            read_file(tmp.file("sharded/train_state.safetensors")));
  // The sharded checkpoint resumes on one process like any other.
  ASSERT_EQ(run_dikkat("train --resume " + tmp.file("sharded") + " --steps 14 --threads 1 --quiet")
                .exit_code,
            0);
}

TEST(DataParallelTraining, ShardingTheOptimizerOnOneProcessIsOneClearError) {
  testing::TempDir tmp;
  testing::write_text(tmp.file("text.txt"), std::string(3000, 'a') + "bc\n");
  testing::expect_one_line_error(
      run_dikkat("train --data " + tmp.file("text.txt") + kGptFlags + " --shard-optimizer --out " +
                 tmp.file("run")),
      "--shard-optimizer");
  EXPECT_FALSE(std::filesystem::exists(tmp.file("run")));
  if (!have_mpirun()) return;
  const ShellResult one = run_shell(mpirun(1) + DIKKAT_BINARY + " train --data " +
                                    tmp.file("text.txt") + kGptFlags + " --shard-optimizer --out " +
                                    tmp.file("run"));
  EXPECT_EQ(one.exit_code, 1);
  EXPECT_NE(one.err.find("--shard-optimizer"), std::string::npos) << one.err;
}

TEST(DataParallelTraining, AnEncoderDecoderOnTwoRanksGivesOneProcesssLosses) {
  if (!have_mpirun()) GTEST_SKIP() << "mpirun not installed (openmpi-bin)";
  testing::TempDir tmp;
  testing::write_text(tmp.file("pairs.tsv"), testing::number_pairs(300, 3));
  const std::string flags = " --arch seq2seq --preset nmt-tiny --data " + tmp.file("pairs.tsv") +
                            " --steps 10 --eval-every 5 --dropout 0.1 --threads 1 --quiet";
  ASSERT_EQ(run_dikkat("train" + flags + " --out " + tmp.file("one")).exit_code, 0);
  const ShellResult r = run_shell(mpirun(2) + DIKKAT_BINARY + " train" + flags + " --out " + tmp.file("two"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_close_losses(read_metrics(tmp.file("one")), read_metrics(tmp.file("two")));
}

TEST(DataParallelTraining, RanksWithDifferentDataEndWithOneClearError) {
  if (!have_mpirun()) GTEST_SKIP() << "mpirun not installed (openmpi-bin)";
  testing::TempDir tmp;
  testing::write_text(tmp.file("a.txt"), std::string(2000, 'a') + "bc\n");
  testing::write_text(tmp.file("b.txt"), std::string(2000, 'a') + "cb\n");
  const std::string flags = std::string(kGptFlags) + " --out " + tmp.file("run");
  // Open MPI's MPMD form: rank 0 reads a.txt, rank 1 b.txt.
  const ShellResult r = run_shell(mpirun(1) + DIKKAT_BINARY + " train --data " + tmp.file("a.txt") + flags +
                          " : -np 1 " + DIKKAT_BINARY + " train --data " + tmp.file("b.txt") +
                          flags);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("differs between ranks: rank(s) 1"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(tmp.file("run/config.json")));
}

TEST(DataParallelTraining, RanksOnSeparateNetworkHostsGiveOneProcesssLosses) {
  if (!have_mpirun()) GTEST_SKIP() << "mpirun not installed (openmpi-bin)";
  if (geteuid() != 0 || std::system("command -v ip >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "network namespaces need root and iproute2";
  testing::TempDir tmp;
  write_training_text(tmp.file("text.txt"));
  const std::string flags = " --data " + tmp.file("text.txt") + kGptFlags;
  ASSERT_EQ(run_dikkat("train" + flags + " --out " + tmp.file("one")).exit_code, 0);
  const ShellResult r = run_shell("timeout 300 " + std::string(DIKKAT_SOURCE_DIR) +
                                  "/tests/train/mpi_hosts.sh 2 " + DIKKAT_BINARY + " train" +
                                  flags + " --out " + tmp.file("hosts"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_close_losses(read_metrics(tmp.file("one")), read_metrics(tmp.file("hosts")));
}

// The pid of rank `rank` of a running `dikkat train` whose command line names `run_dir` (read
// from /proc: the launcher puts OMPI_COMM_WORLD_RANK in each rank's environment); 0 if none.
pid_t rank_pid(const std::string& run_dir, int rank) {
  const std::string want = "OMPI_COMM_WORLD_RANK=" + std::to_string(rank);
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream cmd(entry.path() / "cmdline"), env(entry.path() / "environ");
    const std::string c((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
    const std::string e((std::istreambuf_iterator<char>(env)), std::istreambuf_iterator<char>());
    if (c.find(run_dir) != std::string::npos && c.find("mpirun") == std::string::npos &&
        e.find(std::string("\0") + want + '\0') != std::string::npos)
      return pid_t(std::stoi(name));
  }
  return 0;
}

TEST(DataParallelTraining, AKilledRankEndsTheJobAndTheRunResumesOnAnyNumberOfRanks) {
  if (!have_mpirun()) GTEST_SKIP() << "mpirun not installed (openmpi-bin)";
  testing::TempDir tmp;
  write_training_text(tmp.file("text.txt"));
  const std::string flags = " --data " + tmp.file("text.txt") + kGptFlags + " --save-every 4";
  const ShellResult whole =
      run_shell(mpirun(2) + DIKKAT_BINARY + " train" + flags + " --out " + tmp.file("whole"));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const auto expected = read_metrics(tmp.file("whole"));

  // Rank 1 killed once rank 0 has logged step 6 (the last checkpoint is step 4); mpirun ends
  // the job and says which rank died.
  const std::string run = tmp.file("killed");
  std::thread killer([&] {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (testing::last_logged_step(run) < 6 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (const pid_t pid = rank_pid(run, 1)) kill(pid, SIGKILL);
  });
  const ShellResult killed =
      run_shell(mpirun(2) + std::string(DIKKAT_BINARY) + " train" + flags +
                " --out " + run);
  killer.join();
  if (killed.exit_code == 0) GTEST_SKIP() << "the run finished before the kill";
  EXPECT_NE(killed.err.find("signal 9"), std::string::npos) << killed.err;

  // Resumed on one process, then the same kill-free run resumed on two ranks from a copy.
  std::filesystem::copy(run, tmp.file("killed-copy"), std::filesystem::copy_options::recursive);
  ASSERT_EQ(run_dikkat("train --resume " + run + " --threads 1 --quiet").exit_code, 0);
  expect_close_losses(expected, read_metrics(run));
  const ShellResult two = run_shell(mpirun(2) + DIKKAT_BINARY + " train --resume " +
                                    tmp.file("killed-copy") + " --threads 1 --quiet");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  expect_close_losses(expected, read_metrics(tmp.file("killed-copy")));

  // And a one-process run killed at step 6 continues on two ranks.
  const std::string single = tmp.file("single");
  ASSERT_TRUE(testing::run_and_kill_at_step("train" + flags + " --out " + single, single, 6));
  const ShellResult on_two = run_shell(mpirun(2) + DIKKAT_BINARY + " train --resume " + single +
                                       " --threads 1 --quiet");
  ASSERT_EQ(on_two.exit_code, 0) << on_two.err;
  expect_close_losses(expected, read_metrics(single));
}

}  // namespace
}  // namespace dikkat
