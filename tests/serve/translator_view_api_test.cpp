// The web API on a transformer translator: its three kinds of attention for a source and the
// model's own translation, the trace through encoder and decoder, the next target token, and
// translate, each equal to the terminal command's numbers.
#include <gtest/gtest.h>

#include "cli/trained_translator_suite.h"
#include "serve/api_error.h"
#include "serve/float_base64.h"
#include "serve/view_api.h"

namespace dikkat {
namespace {

using testing::floats_from_base64;
using testing::run_dikkat;

class TranslatorViews : public testing::TrainedTranslatorSuite<TranslatorViews> {
 public:
  static constexpr const char* kPresetFlags = "--arch seq2seq --preset nmt-tiny";
};

TEST_F(TranslatorViews, EachKindOfAttentionIsTheAttentionCommandsTable) {
  ViewApi api({file("model")});
  const nlohmann::json about = api.models({})["models"][0];
  EXPECT_EQ(about["task"], "translation");
  EXPECT_EQ(about["attention_kinds"], nlohmann::json({"encoder", "decoder", "cross"}));
  for (const char* kind : {"encoder", "decoder", "cross"}) {
    const nlohmann::json a = api.attention(RequestParams(
        {{"model", "m0"}, {"text", "three one four"}, {"kind", kind}, {"layer", "1"}, {"head", "2"}}));
    const auto r = run_dikkat("attention --model " + model() +
                              " --text 'three one four' --layer 1 --head 2 --format json --kind " + kind);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json cli = nlohmann::json::parse(r.out);
    EXPECT_EQ(a["target"], cli["target"]) << kind;
    // The command lists one set of labels for a causal (square) table.
    EXPECT_EQ(a["row_labels"], cli.contains("labels") ? cli["labels"] : cli["row_labels"]) << kind;
    EXPECT_EQ(a["col_labels"], cli.contains("labels") ? cli["labels"] : cli["col_labels"]) << kind;
    const std::vector<float> w = floats_from_base64(a["weights"]);
    const int64_t cols = a["cols"];
    ASSERT_EQ(w.size(), size_t(a["rows"].get<int64_t>() * cols));
    for (size_t i = 0; i < w.size(); ++i)
      EXPECT_EQ(w[i], cli["tables"][0]["weights"][i / cols][i % cols].get<float>()) << kind << i;
  }
}

TEST_F(TranslatorViews, TranslateIsTheTranslateCommandsBeamSearch) {
  ViewApi api({file("model")});
  const nlohmann::json t = api.translate(
      RequestParams({{"model", "m0"}, {"text", "five two"}, {"beam", "4"}}));
  const auto r = run_dikkat("translate --model " + model() + " --text 'five two' --beam 4");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(t["translation"].get<std::string>() + "\n", r.out);
}

TEST_F(TranslatorViews, TheTraceWalksTheEncoderThenTheDecoder) {
  ViewApi api({file("model")});
  const nlohmann::json t =
      api.trace(RequestParams({{"model", "m0"}, {"text", "one"}, {"target", "bir"}}));
  EXPECT_TRUE(t["steps"].front()["name"].get<std::string>().starts_with("encoder."));
  EXPECT_TRUE(t["steps"].back()["name"].get<std::string>().starts_with("decoder.") ||
              t["steps"].back()["name"] == "logits");
  EXPECT_EQ(t["target_labels"].front(), "⟨start⟩");
  EXPECT_EQ(t["translated"], false);
}

TEST_F(TranslatorViews, LogitsAreTheProbsCommandsAfterATargetPrefix) {
  ViewApi api({file("model")});
  const nlohmann::json l = api.logits(
      RequestParams({{"model", "m0"}, {"text", "one two"}, {"target", "bir"}}));
  const std::vector<float> logits = floats_from_base64(l["logits"]);
  const auto r = run_dikkat("probs --model " + model() +
                            " --text 'one two' --target bir --top 1 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const int best = nlohmann::json::parse(r.out)["tokens"][0]["id"];
  EXPECT_EQ(std::max_element(logits.begin(), logits.end()) - logits.begin(), best);
}

TEST_F(TranslatorViews, ATranslatorRefusesSelfAttentionAndGeneration) {
  ViewApi api({file("model")});
  try {
    api.attention(RequestParams(
        {{"model", "m0"}, {"text", "one"}, {"kind", "self"}, {"layer", "1"}, {"head", "1"}}));
    ADD_FAILURE() << "kind self was answered";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.field(), "kind");
  }
  try {
    api.check_generation(RequestParams({{"model", "m0"}, {"prompt", "one"}}));
    ADD_FAILURE() << "a translator generated";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.field(), "model");
  }
}

}  // namespace
}  // namespace dikkat
