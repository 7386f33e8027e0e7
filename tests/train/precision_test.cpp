// `train --precision bf16`: mixed precision trains to the same place as fp32, is recorded in the
// run's config, and falls back to fp32 with a one-line notice where the CPU has no bf16.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tensor/bf16_matmul.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::read_metrics;
using testing::run_dikkat;

const std::string kRun =
    " --data " + testing::shell_quote(std::string(DIKKAT_SOURCE_DIR) + "/data/demo/turkce.txt") +
    " --n-layer 2 --n-head 2 --n-embd 64 --context 32 --batch-size 16"
    " --steps 150 --eval-every 0 --eval-batches 8 --sample-tokens 0"
    " --seed 9 --threads 2 --quiet";
const std::string kNotice = "notice: --precision bf16: this CPU has no bf16 instructions";

TEST(Precision, Bf16TrainsToTheSameLossAsFp32) {
  if (!bf16_matmul_supported()) GTEST_SKIP() << "this CPU has no AVX512-BF16 or AMX";
  testing::TempDir tmp;
  const auto fp32 = run_dikkat("train --out " + tmp.file("fp32") + kRun);
  const auto bf16 = run_dikkat("train --out " + tmp.file("bf16") + kRun + " --precision bf16");
  ASSERT_EQ(fp32.exit_code, 0) << fp32.err;
  ASSERT_EQ(bf16.exit_code, 0) << bf16.err;
  EXPECT_EQ(bf16.err, "");
  std::ifstream config(tmp.file("bf16") + "/config.json");
  EXPECT_EQ(nlohmann::json::parse(config)["train"]["precision"], "bf16");
  const auto a = read_metrics(tmp.file("fp32")), b = read_metrics(tmp.file("bf16"));
  ASSERT_EQ(a.size(), b.size());
  // bf16 really ran: the first step's loss already differs in its low bits ...
  EXPECT_NE(a[0]["train_loss"].get<double>(), b[0]["train_loss"].get<double>());
  // ... and the run ends where fp32 ends (the loss falls from ~4.3 to ~2.5 here).
  EXPECT_NEAR(a.back()["val_loss"].get<double>(), b.back()["val_loss"].get<double>(), 0.03);
  EXPECT_LT(b.back()["val_loss"].get<double>(), 3.0);
}

// The precision is part of the run's config: a resumed bf16 run goes on in bf16 and ends exactly
// where an uninterrupted one ends.
TEST(Precision, Bf16RunResumesExactly) {
  if (!bf16_matmul_supported()) GTEST_SKIP() << "this CPU has no AVX512-BF16 or AMX";
  testing::TempDir tmp;
  const std::string run = kRun + " --precision bf16 --dropout 0.1 --eval-every 20";
  const auto whole = run_dikkat("train --out " + tmp.file("whole") + run + " --steps 40");
  const auto half = run_dikkat("train --out " + tmp.file("half") + run + " --steps 20");
  const auto rest =
      run_dikkat("train --resume " + tmp.file("half") + " --steps 40 --threads 2 --quiet");
  for (const auto* r : {&whole, &half, &rest}) ASSERT_EQ(r->exit_code, 0) << r->err;
  const auto a = read_metrics(tmp.file("whole")), b = read_metrics(tmp.file("half"));
  ASSERT_NO_FATAL_FAILURE(testing::expect_same_train_losses(a, b));
  EXPECT_EQ(a.back()["val_loss"].get<double>(), b.back()["val_loss"].get<double>());
}

TEST(Precision, WithoutBf16InstructionsFallsBackToFp32WithANotice) {
  testing::TempDir tmp;
  const auto fp32 = run_dikkat("train --out " + tmp.file("fp32") + kRun + " --steps 20");
  // oneDNN's own switch hides every instruction set above AVX2 from it, as on an older CPU.
  setenv("DNNL_MAX_CPU_ISA", "AVX2", 1);
  const auto fallback =
      run_dikkat("train --out " + tmp.file("fallback") + kRun + " --steps 20 --precision bf16");
  unsetenv("DNNL_MAX_CPU_ISA");
  ASSERT_EQ(fp32.exit_code, 0) << fp32.err;
  ASSERT_EQ(fallback.exit_code, 0) << fallback.err;
  EXPECT_EQ(fallback.err.find(kNotice), 0u) << fallback.err;
  EXPECT_EQ(std::count(fallback.err.begin(), fallback.err.end(), '\n'), 1) << fallback.err;
  const auto a = read_metrics(tmp.file("fp32")), b = read_metrics(tmp.file("fallback"));
  ASSERT_NO_FATAL_FAILURE(testing::expect_same_train_losses(a, b));
}

TEST(Precision, UnknownPrecisionIsRefused) {
  testing::TempDir tmp;
  testing::expect_one_line_error(
      run_dikkat("train --out " + tmp.file("run") + kRun + " --precision fp16"),
      "precision must be fp32 or bf16, got 'fp16'");
}

}  // namespace
}  // namespace dikkat
