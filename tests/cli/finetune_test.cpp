// Pre-train, then fine-tune, as a user runs it: `train --init-from DIR` starts from the source's
// weights exactly, --freeze keeps the named parameters bit-identical, bad combinations are one
// line on stderr, and a fine-tuning run killed with SIGKILL resumes to the uninterrupted result
// without reading the source again.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "io/file_io.h"
#include "io/safetensors.h"
#include "test_support.h"

namespace dikkat {
namespace {

namespace fs = std::filesystem;
using testing::expect_one_line_error;
using testing::run_dikkat;
using testing::shell_quote;

const std::string kCorpus = std::string(DIKKAT_SOURCE_DIR) + "/data/demo/turkce.txt";
const std::string kQuiet = " --threads 1 --quiet";
const std::string kPretrain =
    " --n-layer 2 --n-head 2 --n-embd 16 --context 16 --batch-size 4"
    " --steps 20 --eval-every 0 --eval-batches 2 --sample-tokens 0"
    " --lr 3e-3 --warmup-steps 0 --seed 3" +
    kQuiet;

// The tensors of a safetensors file by name.
std::map<std::string, Tensor> tensors(const std::string& path) {
  const SafetensorsReader r = SafetensorsReader::open(path);
  std::map<std::string, Tensor> out;
  for (const auto& [name, entry] : r.entries()) out.emplace(name, r.f32(name, entry.shape));
  return out;
}

class FineTune : public ::testing::Test {
 protected:
  // A small pre-trained model, and a fine-tuning text: a later part of the same corpus, so that
  // the source's character vocabulary covers it.
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const auto r = run_dikkat("train --data " + shell_quote(kCorpus) + " --out " +
                              shell_quote(source()) + kPretrain);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    testing::write_text(new_text(), read_file(kCorpus).substr(40000, 6000));
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string source() { return dir_->file("source"); }
  static std::string new_text() { return dir_->file("new.txt"); }
  static std::string fine_tune(const std::string& out) {
    return "train --init-from " + shell_quote(source()) + " --data " + shell_quote(new_text()) +
           " --out " + shell_quote(out) + " --steps 10";
  }
  static testing::TempDir* dir_;
};
testing::TempDir* FineTune::dir_ = nullptr;

TEST_F(FineTune, StartsFromTheSourceWeightsExactlyAndChangesThem) {
  const std::string out = dir_->file("tuned");
  const auto r = run_dikkat(fine_tune(out) + " --dropout 0.1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto original = tensors(source() + "/model.safetensors");
  const auto step0 = tensors(out + "/model_step0.safetensors");
  const auto tuned = tensors(out + "/model.safetensors");
  ASSERT_EQ(step0.size(), original.size());
  for (const auto& [name, t] : original) {
    EXPECT_EQ(step0.at(name).data, t.data) << name;
    EXPECT_NE(tuned.at(name).data, t.data) << name;
  }
  EXPECT_EQ(read_file(out + "/tokenizer.json"), read_file(source() + "/tokenizer.json"));
  auto config = nlohmann::json::parse(read_file(out + "/config.json"));
  const auto source_config = nlohmann::json::parse(read_file(source() + "/config.json"));
  EXPECT_EQ(config["train"]["init_from"], source());
  EXPECT_EQ(config["train"]["init_from_step"], 20);
  EXPECT_EQ(config["train"]["data"], new_text());
  EXPECT_EQ(config["train"]["steps"], 10);
  EXPECT_EQ(config["train"]["lr"], source_config["train"]["lr"]);  // training fields carry over
  EXPECT_EQ(config["model"]["dropout"], 0.1);
  config["model"]["dropout"] = source_config["model"]["dropout"];
  EXPECT_EQ(config["model"], source_config["model"]);
  // A fresh schedule: the first step runs at the source's first learning rate.
  const auto metrics = testing::read_metrics(out);
  ASSERT_FALSE(metrics.empty());
  EXPECT_EQ(metrics.front()["step"], 1);
  EXPECT_EQ(metrics.back()["step"], 10);
  EXPECT_EQ(metrics.front()["lr"], testing::read_metrics(source()).front()["lr"]);
}

TEST_F(FineTune, FrozenGroupsStayBitIdenticalAndTheRestTrains) {
  const std::string out = dir_->file("frozen");
  const auto r = run_dikkat("train --init-from " + shell_quote(source()) + " --data " +
                            shell_quote(new_text()) + " --out " + shell_quote(out) +
                            " --steps 10 --freeze embeddings,blocks:1 --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(" frozen: embeddings,blocks:1)"), std::string::npos) << r.out;
  const auto original = tensors(source() + "/model.safetensors");
  const auto tuned = tensors(out + "/model.safetensors");
  for (const auto& [name, t] : original) {
    const bool frozen = name.starts_with("transformer.wte.") ||
                        name.starts_with("transformer.wpe.") ||
                        name.starts_with("transformer.h.0.");
    if (frozen)
      EXPECT_EQ(tuned.at(name).data, t.data) << name;
    else
      EXPECT_NE(tuned.at(name).data, t.data) << name;
  }
  const auto config = nlohmann::json::parse(read_file(out + "/config.json"));
  EXPECT_EQ(config["train"]["freeze"], "embeddings,blocks:1");
}

TEST_F(FineTune, AShapeChangingFlagIsOneLineNamingIt) {
  expect_one_line_error(run_dikkat(fine_tune(dir_->file("e1")) + " --n-embd 32" + kQuiet),
                        "--n-embd 32: a fine-tuning run keeps the model of --init-from");
  expect_one_line_error(run_dikkat(fine_tune(dir_->file("e2")) + " --n-head 4" + kQuiet),
                        "--n-head 4: a fine-tuning run keeps the model");
  // Learned positions make the context part of the weights.
  expect_one_line_error(run_dikkat(fine_tune(dir_->file("e3")) + " --context 32" + kQuiet),
                        "--context 32: the model's transformer.wpe.weight would be [32, 16]");
  expect_one_line_error(run_dikkat(fine_tune(dir_->file("e4")) + " --tokenizer bpe:300" + kQuiet),
                        "--tokenizer: a fine-tuning run keeps the tokenizer of --init-from");
  EXPECT_FALSE(fs::exists(dir_->file("e1")));
}

TEST_F(FineTune, AMissingSourceIsOneLineNamingThePath) {
  expect_one_line_error(run_dikkat("train --init-from /nonexistent/run --data " +
                                   shell_quote(new_text()) + " --out " + dir_->file("m1") + kQuiet),
                        "--init-from /nonexistent/run: no such directory");
  const std::string no_weights = dir_->file("no-weights");
  fs::copy(source(), no_weights);
  fs::remove(no_weights + "/model.safetensors");
  expect_one_line_error(run_dikkat("train --init-from " + no_weights + " --data " +
                                   shell_quote(new_text()) + " --out " + dir_->file("m2") + kQuiet),
                        no_weights + "/model.safetensors: cannot open");
}

TEST_F(FineTune, AnUnknownFreezeGroupIsOneLine) {
  expect_one_line_error(run_dikkat(fine_tune(dir_->file("f1")) + " --freeze embedings" + kQuiet),
                        "--freeze embedings: unknown group 'embedings'");
  expect_one_line_error(run_dikkat(fine_tune(dir_->file("f2")) + " --freeze blocks:3" + kQuiet),
                        "--freeze blocks:3: the model has 2 blocks");
}

TEST_F(FineTune, TextTheSourceVocabularyCannotEncodeNamesTheFile) {
  const std::string text = dir_->file("unseen.txt");
  testing::write_text(text, read_file(new_text()) + "漢");
  expect_one_line_error(run_dikkat("train --init-from " + shell_quote(source()) + " --data " +
                                   text + " --out " + dir_->file("u") + kQuiet),
                        text + ": character '漢' (U+6F22)");
}

TEST_F(FineTune, KilledWithSigkillAndResumedEndsLikeAnUninterruptedRun) {
  // The run's own copy of the source, deleted before the resumes: they must not need it.
  const std::string copy = dir_->file("source-copy");
  fs::copy(source(), copy);
  const std::string args =
      " --init-from " + copy + " --data " + shell_quote(new_text()) +
      " --steps 200 --batch-size 32 --save-every 10 --eval-every 50 --freeze blocks:1"
      " --dropout 0.1" +
      kQuiet;
  const auto whole = run_dikkat("train --out " + dir_->file("whole") + args);
  ASSERT_EQ(whole.exit_code, 0) << whole.err;

  const std::string dir = dir_->file("killed");
  // The first kill comes before the first checkpoint (step 10): that resume starts from
  // model_step0.safetensors, the source's weights copied when the run began.
  ASSERT_TRUE(testing::run_and_kill_at_step("train --out " + dir + args, dir, 5));
  fs::remove_all(copy);
  int kills = 1;
  for (int64_t target : {40, 90, 145}) {
    if (!testing::run_and_kill_at_step("train --resume " + dir + kQuiet, dir, target)) break;
    ++kills;
  }
  ASSERT_GE(kills, 3);
  const auto final_run = run_dikkat("train --resume " + dir + kQuiet);
  ASSERT_EQ(final_run.exit_code, 0) << final_run.err;
  const auto a = testing::read_metrics(dir_->file("whole")), b = testing::read_metrics(dir);
  ASSERT_NO_FATAL_FAILURE(testing::expect_same_train_losses(a, b));
  EXPECT_EQ(a.back()["val_loss"].get<double>(), b.back()["val_loss"].get<double>());
  const auto resumed = tensors(dir + "/model.safetensors");
  for (const auto& [name, t] : tensors(dir_->file("whole") + "/model.safetensors"))
    EXPECT_EQ(resumed.at(name).data, t.data) << name;
}

}  // namespace
}  // namespace dikkat
