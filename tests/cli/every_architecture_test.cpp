// Every look-inside command and every API route on every architecture. Each row trains a tiny
// model of one architecture, then runs attention (each kind the model declares), trace, probs,
// embeddings, eval, bigram, info and export-html as a user would, and every GET route of the web
// API. What a model has (its attention kinds, a position table, a next-token table) comes from
// the model itself; a command for something it lacks must end in one clear line. An architecture
// without a row here fails the first test, so a new one cannot skip the views.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "io/file_io.h"
#include "nn/model_config.h"
#include "nn/model_task.h"
#include "run/checkpoint.h"
#include "serve/api_error.h"
#include "serve/view_api.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::expect_one_line_error;
using testing::run_dikkat;
using testing::shell_quote;

enum class Data { kText, kPairs };

struct Architecture {
  const char* name;   // the test's name
  const char* arch;   // config.json's "arch"
  const char* flags;  // to train a tiny one
  Data data;
  std::vector<std::string> kinds;  // the attention kinds it must declare
  const char* text;                // what the views read (a translator's source)
  const char* target = "";         // a translator's target
};

const Architecture kArchitectures[] = {
    {"gpt", "gpt", "--arch gpt --n-layer 2 --n-head 2 --n-embd 16 --context 32", Data::kText,
     {"self"}, "the cat"},
    {"seq2seq", "seq2seq", "--arch seq2seq --preset nmt-tiny", Data::kPairs,
     {"encoder", "decoder", "cross"}, "one two three", "bir iki"},
    {"rnn_bahdanau", "rnn", "--arch rnn --preset rnn-tiny", Data::kPairs, {"cross"},
     "one two three", "bir iki"},
    {"rnn_luong", "rnn", "--arch rnn --preset rnn-tiny --attention luong --cell lstm",
     Data::kPairs, {"cross"}, "one two three", "bir iki"},
    {"rnn_none", "rnn", "--arch rnn --preset rnn-tiny --attention none", Data::kPairs, {},
     "one two three", "bir iki"},
    {"bigram", "bigram", "--arch bigram", Data::kText, {}, "the cat"},
    {"bert", "bert", "--arch bert --preset bert-tiny", Data::kText, {"self"}, "the [MASK] sat"},
};

std::ostream& operator<<(std::ostream& os, const Architecture& a) { return os << a.name; }

TEST(EveryArchitecture, HasARowHere) {
  for (const auto& named : kArchNames) {
    bool found = false;
    for (const Architecture& a : kArchitectures) found = found || named.name == std::string(a.arch);
    EXPECT_TRUE(found) << "arch " << named.name
                       << " has no row in kArchitectures: add one so every view runs on it";
  }
}

const char* kText = "the cat sat on the mat. the dog sat on the log.\n";

class LookInside : public ::testing::TestWithParam<Architecture> {
 protected:
  void SetUp() override {
    const Architecture& a = GetParam();
    const bool pairs = a.data == Data::kPairs;
    std::string text;
    for (int i = 0; i < 40; ++i) text += kText;
    testing::write_text(file("data"), pairs ? testing::number_pairs(300, 1) : text);
    const auto r = run_dikkat(std::string("train ") + a.flags + " --data " + file("data") +
                              " --out " + file("model") +
                              " --steps 4 --snapshot-every 2 --eval-every 0 --threads 1 --quiet");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    model_.emplace(load_model_dir(file("model")));
    input_ = " --text " + shell_quote(a.text);
    if (*a.target) input_ += " --target " + shell_quote(a.target);
  }
  std::string file(const std::string& name) const { return dir_.file(name); }
  std::string model_flag() const { return " --model " + shell_quote(file("model")); }
  nlohmann::json json_of(const std::string& command) const {
    const auto r = run_dikkat(command + model_flag() + input_ + " --format json");
    EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json();
  }

  testing::TempDir dir_;
  std::optional<LoadedModel> model_;
  std::string input_;
};

// The tables `attention` shows by default: the default kind's layers x heads.
size_t j0_tables(const std::vector<AttentionKind>& kinds) {
  for (const AttentionKind& k : kinds)
    if (k.name == "cross") return size_t(k.layers() * k.heads);
  return size_t(kinds.front().layers() * kinds.front().heads);
}

TEST_P(LookInside, AttentionShowsEveryKindTheModelDeclares) {
  const std::vector<AttentionKind> kinds = model_->model->attention_kinds();
  std::vector<std::string> names;
  for (const AttentionKind& k : kinds) names.push_back(k.name);
  ASSERT_EQ(names, GetParam().kinds);
  if (kinds.empty()) {
    expect_one_line_error(run_dikkat("attention" + model_flag() + input_), "has no attention");
    return;
  }
  for (const AttentionKind& k : kinds) {
    const nlohmann::json j = json_of("attention --kind " + k.name);
    ASSERT_EQ(j["kind"], k.name);
    ASSERT_EQ(int64_t(j["tables"].size()), k.layers() * k.heads) << k.name;
    bool above_diagonal = false;
    for (const auto& table : j["tables"]) {
      const auto& w = table["weights"];
      ASSERT_FALSE(w.empty()) << k.name;
      for (size_t q = 0; q < w.size(); ++q) {
        double sum = 0.0;
        for (size_t c = 0; c < w[q].size(); ++c) {
          const float x = w[q][c].get<float>();
          sum += x;
          if (c > q && x > 0.0f) above_diagonal = true;
          if (k.causal() && c > q) {
            ASSERT_EQ(x, 0.0f) << k.name << " looks ahead";
          }
        }
        ASSERT_NEAR(sum, 1.0, 1e-4) << k.name << " row " << q;
      }
    }
    if (k.type == AttentionType::kBidirectionalSelf) {
      EXPECT_TRUE(above_diagonal) << k.name << ": no query sees a later key";
    }
  }
  const auto svg = run_dikkat("attention" + model_flag() + input_ + " --svg " + file("a.svg"));
  ASSERT_EQ(svg.exit_code, 0) << svg.err;
  // The weights the run kept by step: one step's tables, and one query's row at every step.
  EXPECT_EQ(json_of("attention --step 2")["tables"].size(), j0_tables(kinds));
  const nlohmann::json over = json_of("attention --steps all --token 1 --layer 1 --head 1");
  EXPECT_EQ(over["steps"], nlohmann::json({0, 2, 4}));
  EXPECT_EQ(over["weights"].size(), 3u);
}

TEST_P(LookInside, TraceDescribesEveryStepInBothLanguages) {
  const nlohmann::json j = json_of("trace");
  ASSERT_FALSE(j["steps"].empty());
  std::set<std::string> names;
  for (const auto& step : j["steps"]) {
    const std::string name = step["name"], en = step["description"], tr = step["description_tr"];
    names.insert(name);
    EXPECT_FALSE(en.empty() || en == name) << name << " has no description";
    EXPECT_FALSE(tr.empty() || tr == en) << name << " has no Turkish description";
    EXPECT_EQ(step["rows"].size(), size_t(step["shape"][step["shape"].size() == 3 ? 1 : 0]))
        << name << ": a label per row";
  }
  EXPECT_EQ(j["steps"].back()["name"], "logits");
  for (const AttentionKind& k : model_->model->attention_kinds())
    for (const std::string& table : k.tables) EXPECT_TRUE(names.count(table)) << table;
  EXPECT_FALSE(j["next"].empty());
  const auto svg = run_dikkat("trace" + model_flag() + input_ + " --svg " + file("t.svg"));
  ASSERT_EQ(svg.exit_code, 0) << svg.err;
}

TEST_P(LookInside, ProbsEmbeddingsEvalInfoBigramAndFill) {
  EXPECT_FALSE(json_of("probs")["tokens"].empty());
  const auto e = run_dikkat("embeddings" + model_flag() + " --compare 0 --format json");
  EXPECT_EQ(e.exit_code, 0) << e.err;
  const std::string text = GetParam().data == Data::kPairs ? "'one two'" : "'the'";
  const auto positions = run_dikkat("embeddings" + model_flag() + " --positions --text " + text);
  if (model_->model->position_table())
    EXPECT_EQ(positions.exit_code, 0) << positions.err;
  else
    expect_one_line_error(positions, "--positions: the model has no position encodings");
  const auto eval = run_dikkat("eval" + model_flag() + " --data " + file("data"));
  EXPECT_EQ(eval.exit_code, 0) << eval.err;
  const auto info = run_dikkat("info" + model_flag());
  EXPECT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("total"), std::string::npos);
  const auto bigram = run_dikkat("bigram" + model_flag());
  if (model_->model->next_token_table())
    EXPECT_EQ(bigram.exit_code, 0) << bigram.err;
  else
    expect_one_line_error(bigram, "has no next-token table");
  const auto fill = run_dikkat("fill" + model_flag() + " --text 'the [MASK]' --format json");
  if (model_->model->task() == ModelTask::kMaskedLanguageModel)
    EXPECT_EQ(fill.exit_code, 0) << fill.err;
  else
    expect_one_line_error(fill, "is not a masked language model");
}

TEST_P(LookInside, ExportHtmlHoldsEveryAttentionKind) {
  const std::string page = file("view.html");
  const auto r = run_dikkat("export-html" + model_flag() + input_ + " -o " + page);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = read_file(page);
  EXPECT_NE(html.find("window.DIKKAT_EXPORT"), std::string::npos);
  for (const std::string& kind : GetParam().kinds)
    EXPECT_NE(html.find("\"kind\":\"" + kind + "\""), std::string::npos) << kind;
}

// One request per answerable case of every GET route; a route with no case here fails.
TEST_P(LookInside, EveryApiRouteAnswers) {
  ViewApi api({file("model")});
  const bool pairs = GetParam().data == Data::kPairs;
  std::map<std::string, std::string> input = {{"model", "m0"}};
  input["text"] = GetParam().text;
  if (pairs) input["target"] = GetParam().target;
  auto with = [&](std::map<std::string, std::string> more) {
    more.insert(input.begin(), input.end());
    return RequestParams(more);
  };
  const nlohmann::json described = api.models({})["models"][0];
  EXPECT_EQ(described["checkpoints"].size(), 3u);  // steps 0, 2 (a snapshot) and 4
  ASSERT_EQ(described["attention_kinds"].get<std::vector<std::string>>(), GetParam().kinds);
  std::map<std::string, std::function<void()>> cases;
  cases["/models"] = [&] { EXPECT_TRUE(described["ready"]); };
  cases["/vocab"] = [&] { EXPECT_FALSE(api.vocab(with({}))["texts"].empty()); };
  cases["/tokenize"] = [&] { EXPECT_FALSE(api.tokenize(with({}))["ids"].empty()); };
  cases["/attention"] = [&] {
    for (const auto& kind : described["attention"]) {
      const std::string layers = std::to_string(kind["layers"].get<int64_t>());
      const std::string heads = std::to_string(kind["heads"].get<int64_t>());
      const nlohmann::json a =
          api.attention(with({{"kind", kind["kind"]}, {"layer", layers}, {"head", heads}}));
      EXPECT_EQ(a["causal"], kind["causal"]);
      EXPECT_GT(a["rows"].get<int64_t>(), 0);
      const nlohmann::json early = api.attention(
          with({{"kind", kind["kind"]}, {"layer", "1"}, {"head", "1"}, {"checkpoint", "snapshots/step_2.safetensors"}}));
      EXPECT_EQ(early["step"], 2);
    }
    EXPECT_THROW(api.attention(with({{"kind", "nonsense"}, {"layer", "1"}, {"head", "1"}})),
                 ApiError);
  };
  cases["/attention/overview"] = [&] {
    for (const auto& kind : described["attention"])
      EXPECT_EQ(api.attention_overview(with({{"kind", kind["kind"]}}))["thumbs"].size(),
                size_t(kind["layers"].get<int64_t>() * kind["heads"].get<int64_t>()));
  };
  cases["/trace"] = [&] { EXPECT_FALSE(api.trace(with({}))["steps"].empty()); };
  cases["/trace/step"] = [&] {
    for (const auto& step : api.trace(with({}))["steps"])
      EXPECT_EQ(api.trace_step(with({{"name", step["name"]}}))["shape"], step["shape"]);
  };
  cases["/logits"] = [&] {
    EXPECT_EQ(api.logits(with({}))["vocab_size"], described["vocab_size"]);
  };
  cases["/embeddings"] = [&] {
    EXPECT_FALSE(api.embeddings(RequestParams(std::map<std::string, std::string>{{"model", "m0"}}))["now"].empty());
  };
  cases["/metrics"] = [&] { EXPECT_FALSE(api.metrics(RequestParams(std::map<std::string, std::string>{{"model", "m0"}}))["rows"].empty()); };
  cases["/bigram"] = [&] {
    if (described["next_token_table"])
      EXPECT_FALSE(api.bigram(with({}))["ids"].empty());
    else
      EXPECT_THROW(api.bigram(with({})), ApiError);
  };
  cases["/fill"] = [&] {
    if (described["task"] == "masked_language_model")
      EXPECT_FALSE(api.fill(with({}))["masks"].empty());
    else
      EXPECT_THROW(api.fill(with({})), ApiError);
  };
  for (const auto& [route, handler] : ViewApi::get_routes()) {
    const auto it = cases.find(route);
    if (it == cases.end()) {
      ADD_FAILURE() << "GET /api" << route << " has no case in EveryApiRouteAnswers";
      continue;
    }
    SCOPED_TRACE(route);
    it->second();
  }
}

INSTANTIATE_TEST_SUITE_P(Architectures, LookInside, ::testing::ValuesIn(kArchitectures),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace dikkat
