// The web API's answers are the numbers the terminal commands print for the same model and text,
// and every request it cannot answer is refused with the right status and field.
#include "serve/view_api.h"

#include <gtest/gtest.h>

#include <cmath>

#include "serve/api_error.h"
#include "serve/float_base64.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::fixture_path;
using testing::floats_from_base64;
using testing::run_dikkat;
using testing::shell_quote;

const std::string kShakespeare = fixture_path("models/shakespeare-cpu");
const std::string kSeed248 = fixture_path("models/seed248");

nlohmann::json cli_json(const std::string& args) {
  const auto r = run_dikkat(args + " --format json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(ViewApi, ListsEachModelWithWhatTheViewsNeed) {
  ViewApi api({kShakespeare, kSeed248});
  const nlohmann::json models = api.models({})["models"];
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[0]["id"], "m0");
  EXPECT_EQ(models[0]["arch"], "gpt");
  EXPECT_EQ(models[0]["task"], "language_model");
  EXPECT_EQ(models[0]["attention_kinds"], nlohmann::json({"self"}));
  EXPECT_EQ(models[0]["layers"], 4);
  EXPECT_EQ(models[1]["checkpoints"][0]["file"], "model_step0.safetensors");
  EXPECT_TRUE(models[1]["ready"]);
}

TEST(ViewApi, AnAttentionTableIsTheAttentionCommandsTable) {
  ViewApi api({kShakespeare});
  const std::string text = "To be, or not";
  const nlohmann::json a = api.attention(RequestParams(
      {{"model", "m0"}, {"text", text}, {"kind", "self"}, {"layer", "2"}, {"head", "3"}}));
  const nlohmann::json cli = cli_json("attention --model " + kShakespeare + " --text " +
                                      shell_quote(text) + " --layer 2 --head 3");
  const std::vector<float> w = floats_from_base64(a["weights"]);
  const int64_t n = a["rows"];
  ASSERT_EQ(n, int64_t(text.size()));
  ASSERT_EQ(w.size(), size_t(n * n));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j)
      EXPECT_EQ(w[i * n + j], cli["tables"][0]["weights"][i][j].get<float>()) << i << "," << j;
  EXPECT_EQ(a["row_labels"], cli["labels"]);
  EXPECT_TRUE(a["causal"]);
}

TEST(ViewApi, EachOverviewCellIsTheLargestWeightOfItsBlock) {
  ViewApi api({kShakespeare});
  const std::string text(50, 'a');
  const RequestParams base({{"model", "m0"}, {"text", text}, {"kind", "self"}, {"size", "8"}});
  const nlohmann::json o = api.attention_overview(base);
  ASSERT_EQ(o["thumb_rows"], 8);
  ASSERT_EQ(o["thumbs"].size(), size_t(4 * 4));
  const nlohmann::json a = api.attention(
      RequestParams({{"model", "m0"}, {"text", text}, {"kind", "self"}, {"layer", "3"}, {"head", "2"}}));
  const std::vector<float> table = floats_from_base64(a["weights"]);
  const std::vector<float> thumb = floats_from_base64(o["thumbs"][2 * 4 + 1]);
  std::vector<float> expected(64, 0.0f);
  for (int i = 0; i < 50; ++i)
    for (int j = 0; j < 50; ++j) {
      float& cell = expected[(i * 8 / 50) * 8 + j * 8 / 50];
      cell = std::max(cell, table[i * 50 + j]);
    }
  EXPECT_EQ(thumb, expected);
}

TEST(ViewApi, TheTraceHasTheTraceCommandsStepsAndNumbers) {
  ViewApi api({kShakespeare});
  const std::string text = "Thou";
  const nlohmann::json t = api.trace(RequestParams({{"model", "m0"}, {"text", text}}));
  const nlohmann::json cli = cli_json("trace --model " + kShakespeare + " --text " + text);
  ASSERT_EQ(t["steps"].size(), cli["steps"].size());
  for (size_t i = 0; i < t["steps"].size(); ++i)
    EXPECT_EQ(t["steps"][i]["name"], cli["steps"][i]["name"]);
  const nlohmann::json step = api.trace_step(
      RequestParams({{"model", "m0"}, {"text", text}, {"name", "h.1.attn.q"}}));
  const std::vector<float> q = floats_from_base64(step["values"]);
  ASSERT_EQ(step["shape"], nlohmann::json({4, 4, 32}));  // (heads, tokens, head size)
  for (const auto& s : cli["steps"])
    if (s["name"] == "h.1.attn.q") {
      EXPECT_EQ(q[1 * 4 * 32 + 2 * 32 + 5], s["values"][1][2][5].get<float>());
    }
  EXPECT_EQ(t["next"][0]["id"], cli["next"][0]["id"]);
}

TEST(ViewApi, LogitsGiveTheProbsCommandsDistribution) {
  ViewApi api({kShakespeare});
  const nlohmann::json l = api.logits(RequestParams({{"model", "m0"}, {"text", "To be"}}));
  const std::vector<float> logits = floats_from_base64(l["logits"]);
  ASSERT_EQ(logits.size(), 65u);
  const double t = 0.7f;  // as the command parses it
  double top = -INFINITY, sum = 0;
  for (float x : logits) top = std::max(top, double(x));
  for (float x : logits) sum += std::exp((x - top) / t);
  const nlohmann::json cli =
      cli_json("probs --model " + kShakespeare + " --text 'To be' --temperature 0.7 --top 5");
  for (const auto& row : cli["tokens"]) {
    const double p = std::exp((logits[row["id"].get<int>()] - top) / t) / sum;
    EXPECT_NEAR(p, row["probabilities"][0].get<double>(), 1e-6) << row["label"];
  }
}

TEST(ViewApi, LogitsKeepTheLastContextTokensOfALongText) {
  ViewApi api({kShakespeare});
  const nlohmann::json l =
      api.logits(RequestParams({{"model", "m0"}, {"text", std::string(100, 'e')}}));
  EXPECT_EQ(l["dropped"], 100 - 64);
  EXPECT_EQ(l["tokens"].size(), 64u);
}

TEST(ViewApi, EmbeddingsBeforeAndAfterAreTheEmbeddingsCommands) {
  ViewApi api({kSeed248});
  const nlohmann::json e = api.embeddings(RequestParams(
      {{"model", "m0"}, {"dims", "3"}, {"compare", "model_step0.safetensors"}}));
  const nlohmann::json cli = cli_json("embeddings --model " + kSeed248 + " --compare 0 --dims 3");
  ASSERT_EQ(e["now"].size(), cli["points"].size());
  EXPECT_TRUE(e["exact"]);
  EXPECT_EQ(e["before_step"], 0);
  for (size_t i = 0; i < e["now"].size(); ++i)
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR(e["now"][i][k].get<double>(), cli["points"][i]["now"][k].get<double>(), 1e-12);
      EXPECT_NEAR(e["before"][i][k].get<double>(), cli["points"][i]["before"][k].get<double>(),
                  1e-12);
    }
}

TEST(ViewApi, AStreamedGenerationIsTheGenerateCommandsText) {
  ViewApi api({kShakespeare});
  const auto g = api.check_generation(RequestParams(
      {{"model", "m0"}, {"prompt", "ROMEO:"}, {"tokens", "40"}, {"seed", "7"}, {"temperature", "0.8"}}));
  std::string streamed;
  const std::string text = api.generate(g, [&](int32_t, const std::string& piece) {
    streamed += piece;
    return true;
  });
  const auto r = run_dikkat("generate --model " + kShakespeare +
                            " --prompt ROMEO: --tokens 40 --seed 7 --temperature 0.8");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ROMEO:" + text + "\n");
  EXPECT_EQ(streamed, text);
}

TEST(ViewApi, AGenerationStopsWhenTheClientGoesAway) {
  ViewApi api({kShakespeare});
  const auto g = api.check_generation(
      RequestParams({{"model", "m0"}, {"prompt", "A"}, {"tokens", "100"}}));
  int calls = 0;
  api.generate(g, [&](int32_t, const std::string&) { return ++calls < 3; });
  EXPECT_EQ(calls, 3);
}

TEST(ViewApi, ABigramTableIsTheBigramCommandsTable) {
  testing::TempDir tmp;
  std::string text;
  for (int i = 0; i < 20; ++i) text += "hello world, hello bigram\n";
  testing::write_text(tmp.file("text.txt"), text);
  const auto trained = run_dikkat("train --arch bigram --data " + tmp.file("text.txt") +
                                  " --steps 30 --out " + tmp.file("bigram") + " --quiet");
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  ViewApi api({tmp.file("bigram"), kShakespeare});
  const nlohmann::json b = api.bigram(RequestParams({{"model", "m0"}, {"text", "hello"}}));
  const nlohmann::json cli = cli_json("bigram --model " + tmp.file("bigram") + " --text hello");
  EXPECT_EQ(b["labels"], cli["labels"]);
  const std::vector<float> p = floats_from_base64(b["probabilities"]);
  const size_t n = b["size"];
  ASSERT_EQ(p.size(), n * n);
  for (size_t i = 0; i < p.size(); ++i)
    EXPECT_EQ(p[i], cli["probabilities"][i / n][i % n].get<float>()) << i;
  try {
    api.bigram(RequestParams(std::map<std::string, std::string>{{"model", "m1"}}));
    ADD_FAILURE() << "a GPT answered as a bigram model";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.field(), "model");
  }
}

struct Refused {
  std::string route;
  std::map<std::string, std::string> params;
  int status;
  std::string field;
};

TEST(ViewApi, RequestsItCannotAnswerAreRefusedNamingTheField) {
  ViewApi api({kShakespeare});
  const std::string ok = "To be";
  const std::vector<Refused> cases = {
      {"/attention", {{"model", "m9"}, {"text", ok}}, 404, "model"},
      {"/attention", {{"text", ok}}, 400, "model"},
      {"/attention", {{"model", "m0"}, {"text", ok}, {"kind", "self"}, {"layer", "5"}, {"head", "1"}}, 400, "layer"},
      {"/attention", {{"model", "m0"}, {"text", ok}, {"kind", "self"}, {"layer", "1"}, {"head", "0"}}, 400, "head"},
      {"/attention", {{"model", "m0"}, {"text", ok}, {"kind", "cross"}, {"layer", "1"}, {"head", "1"}}, 400, "kind"},
      {"/attention", {{"model", "m0"}, {"text", ok}, {"kind", "up"}, {"layer", "1"}, {"head", "1"}}, 400, "kind"},
      {"/attention", {{"model", "m0"}, {"text", "çok"}, {"kind", "self"}, {"layer", "1"}, {"head", "1"}}, 400, "text"},
      {"/attention", {{"model", "m0"}, {"text", std::string(65, 'a')}, {"kind", "self"}, {"layer", "1"}, {"head", "1"}}, 400, "text"},
      {"/attention", {{"model", "m0"}, {"text", ""}, {"kind", "self"}}, 400, "text"},
      {"/attention", {{"model", "m0"}, {"text", ok}, {"target", "x"}, {"kind", "self"}}, 400, "target"},
      {"/attention", {{"model", "m0"}, {"text", std::string(100000, 'a')}, {"kind", "self"}}, 413, "text"},
      {"/tokenize", {{"model", "m0"}, {"text", "\xff"}}, 400, "text"},
      {"/trace/step", {{"model", "m0"}, {"text", ok}, {"name", "h.9.nothing"}}, 400, "name"},
      {"/embeddings", {{"model", "m0"}, {"dims", "4"}}, 400, "dims"},
      {"/embeddings", {{"model", "m0"}, {"compare", "../../etc/passwd"}}, 400, "compare"},
      {"/embeddings", {{"model", "m0"}, {"compare", "model_step0.safetensors"}}, 400, "compare"},
      {"/attention/overview", {{"model", "m0"}, {"text", ok}, {"kind", "self"}, {"size", "0"}}, 400, "size"},
  };
  for (const Refused& c : cases) {
    ViewApi::Handler handler = nullptr;
    for (const auto& [route, h] : ViewApi::get_routes())
      if (route == c.route) handler = h;
    ASSERT_NE(handler, nullptr) << c.route;
    try {
      (api.*handler)(RequestParams(c.params));
      ADD_FAILURE() << c.route << " " << nlohmann::json(c.params).dump().substr(0, 200)
                    << " was answered";
    } catch (const ApiError& e) {
      EXPECT_EQ(e.status(), c.status) << e.what();
      EXPECT_EQ(e.field(), c.field) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.field), std::string::npos) << e.what();
    }
  }
}

TEST(ViewApi, GenerationParametersAreCheckedBeforeTheStreamStarts) {
  ViewApi api({kShakespeare});
  const std::vector<std::pair<std::map<std::string, std::string>, std::string>> cases = {
      {{{"model", "m0"}}, "prompt"},
      {{{"model", "m0"}, {"prompt", "ş"}}, "prompt"},
      {{{"model", "m0"}, {"prompt", "a"}, {"tokens", "0"}}, "tokens"},
      {{{"model", "m0"}, {"prompt", "a"}, {"temperature", "-1"}}, "temperature"},
      {{{"model", "m0"}, {"prompt", "a"}, {"top_p", "0"}}, "top_p"},
      {{{"model", "m0"}, {"prompt", "a"}, {"top_k", "66"}}, "top_k"},
  };
  for (const auto& [params, field] : cases) {
    try {
      api.check_generation(RequestParams(params));
      ADD_FAILURE() << field << " was accepted";
    } catch (const ApiError& e) {
      EXPECT_EQ(e.status(), 400);
      EXPECT_EQ(e.field(), field) << e.what();
    }
  }
}

}  // namespace
}  // namespace dikkat
