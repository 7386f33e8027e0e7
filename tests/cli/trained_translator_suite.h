#pragma once
// A test suite whose tests share one translator, trained once per test process (ctest runs each
// test in a process of its own) on number pairs from test_support: train.tsv (400 pairs) and
// dev.tsv (40), with the flags `Suite::kPresetFlags` names (e.g. "--arch rnn --preset rnn-tiny").
// Training takes about a second.
#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace dikkat::testing {

template <typename Suite>
class TrainedTranslatorSuite : public ::testing::Test {
 public:
  static std::string file(const std::string& name) { return dir_->file(name); }
  static std::string model() { return shell_quote(file("model")); }

 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    write_text(file("train.tsv"), number_pairs(400, 1));
    write_text(file("dev.tsv"), number_pairs(40, 2));
    const auto r = run_dikkat(std::string("train ") + Suite::kPresetFlags + " --data " +
                              file("train.tsv") + " --valid " + file("dev.tsv") + " --out " +
                              file("model") + " --steps 150 --eval-every 50 --threads 2 --quiet");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }

 private:
  static inline TempDir* dir_ = nullptr;
};

}  // namespace dikkat::testing
