// Training is repeatable, and a run killed with SIGKILL and resumed ends exactly where an
// uninterrupted run with the same seed ends.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "run/checkpoint.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::read_metrics;
using testing::run_dikkat;

const std::string kCorpus = std::string(DIKKAT_SOURCE_DIR) + "/data/demo/turkce.txt";
const std::string kRun = " --data " + testing::shell_quote(kCorpus) +
                         " --n-layer 2 --n-head 2 --n-embd 32 --context 32 --batch-size 8"
                         " --steps 300 --eval-every 100 --save-every 20 --eval-batches 4"
                         " --sample-tokens 0 --dropout 0.1 --seed 5 --threads 1 --quiet";

void expect_same_losses(const nlohmann::json& a, const nlohmann::json& b) {
  EXPECT_EQ(a["step"], b["step"]);
  EXPECT_EQ(a["train_loss"].get<double>(), b["train_loss"].get<double>());
  EXPECT_EQ(a["val_loss"].get<double>(), b["val_loss"].get<double>());
}

TEST(Training, SameSeedAndThreadsGiveIdenticalLosses) {
  testing::TempDir tmp;
  for (const char* name : {"a", "b"}) {
    const auto r = run_dikkat("train --out " + tmp.file(name) + kRun + " --steps 40");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto a = read_metrics(tmp.file("a")), b = read_metrics(tmp.file("b"));
  ASSERT_NO_FATAL_FAILURE(testing::expect_same_train_losses(a, b));
}

TEST(Training, KilledWithSigkillAndResumedEndsLikeAnUninterruptedRun) {
  testing::TempDir tmp;
  const auto whole = run_dikkat("train --out " + tmp.file("whole") + kRun);
  ASSERT_EQ(whole.exit_code, 0) << whole.err;

  const std::string dir = tmp.file("killed");
  int kills = 0;
  // Kill at a different point each time (mid-step, mid-checkpoint, just after start), resuming
  // in between, until the run gets to finish.
  for (int round = 0; round < 6; ++round) {
    const std::string args =
        round == 0 ? "train --out " + dir + kRun : "train --resume " + dir + " --threads 1 --quiet";
    const int64_t target = 40 + 45 * round + (round % 2) * 7;
    if (!testing::run_and_kill_at_step(args, dir, target)) break;
    ++kills;
    // The directory must always load after a kill.
    EXPECT_NO_THROW(load_model_dir(dir, "model_step0.safetensors"));
  }
  ASSERT_GE(kills, 3);
  const auto final_run = run_dikkat("train --resume " + dir + " --threads 1 --quiet");
  ASSERT_EQ(final_run.exit_code, 0) << final_run.err;
  const auto a = read_metrics(tmp.file("whole")), b = read_metrics(dir);
  ASSERT_NO_FATAL_FAILURE(testing::expect_same_train_losses(a, b));
  expect_same_losses(a.back(), b.back());
  EXPECT_NO_THROW(load_model_dir(dir));
}

}  // namespace
}  // namespace dikkat
