// tokenizer.json (Hugging Face's layout) written and read by BpeTokenizer.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "error.h"
#include "io/file_io.h"
#include "test_support.h"
#include "tokenize/bpe_tokenizer.h"

namespace dikkat {
namespace {

BpeTokenizer small_trained() {
  return BpeTokenizer::train({"Ağaç ağaçlar, ağaçlık.\nThe tree's trees\t\t and   more trees\n"},
                             290, {"<|endoftext|>"});
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(BpeHfJson, HasHuggingFacesByteLevelLayout) {
  const BpeTokenizer tok = small_trained();
  const int32_t eot = *tok.special_id("<|endoftext|>");
  EXPECT_EQ(eot, tok.vocab_size() - 1);
  const nlohmann::json j = tok.to_hf_json();
  EXPECT_EQ(j["model"]["type"], "BPE");
  EXPECT_EQ(j["pre_tokenizer"]["type"], "ByteLevel");
  EXPECT_EQ(j["pre_tokenizer"]["add_prefix_space"], false);
  EXPECT_EQ(j["decoder"]["type"], "ByteLevel");
  const nlohmann::json& vocab = j["model"]["vocab"];
  EXPECT_EQ(vocab["Ġ"], int(' '));   // the byte-level alphabet: space is U+0120
  EXPECT_EQ(vocab["Ċ"], int('\n'));  // newline U+010A
  EXPECT_EQ(vocab["a"], int('a'));
  EXPECT_EQ(vocab["<|endoftext|>"], eot);
  EXPECT_EQ(j["added_tokens"][0]["content"], "<|endoftext|>");
  EXPECT_EQ(j["added_tokens"][0]["id"], eot);
  EXPECT_EQ(j["added_tokens"][0]["special"], true);
  ASSERT_TRUE(j["model"]["merges"][0].is_string());
  EXPECT_NE(j["model"]["merges"][0].get<std::string>().find(' '), std::string::npos);
}

TEST(BpeHfJson, SaveAndLoadGiveTheSameTokenizer) {
  testing::TempDir dir;
  const BpeTokenizer tok = small_trained();
  tok.save(dir.file("tokenizer.json"));
  const BpeTokenizer back = BpeTokenizer::load(dir.file("tokenizer.json"));
  EXPECT_EQ(back.vocab_size(), tok.vocab_size());
  EXPECT_EQ(back.to_hf_json(), tok.to_hf_json());
  for (const std::string s : {"Ağaçlar ağaçlık trees<|endoftext|>", "\xff\xfe broken \xc3",
                              "The tree's trees\t\t and   more trees\n"}) {
    EXPECT_EQ(back.encode(s), tok.encode(s));
    EXPECT_EQ(back.encode_with_special(s), tok.encode_with_special(s));
  }
  // Written in id order, readably.
  const std::string text = read_file(dir.file("tokenizer.json"));
  EXPECT_LT(text.find("\"Ā\": 0"), text.find("\"ā\": 1"));
}

TEST(BpeHfJson, Gpt2ThroughTokenizerJsonEncodesTheSame) {
  const std::string ranks = testing::shared_data_path("gpt2.tiktoken");
  const std::string text_path = testing::shared_data_path("turkish-200k.txt");
  if (ranks.empty() || text_path.empty()) GTEST_SKIP() << "../shared/data is absent";
  const BpeTokenizer gpt2 = BpeTokenizer::from_tiktoken_file(ranks);
  const nlohmann::json j = gpt2.to_hf_json();
  // GPT-2's merges.txt starts "Ġ t"; its vocab.json has "Ġthe": 262.
  EXPECT_EQ(j["model"]["merges"][0], "Ġ t");
  EXPECT_EQ(j["model"]["vocab"]["Ġthe"], 262);
  EXPECT_EQ(j["model"]["merges"].size(), 50000u);
  testing::TempDir dir;
  gpt2.save(dir.file("gpt2.json"));
  const BpeTokenizer back = BpeTokenizer::load(dir.file("gpt2.json"));
  const std::string text = read_file(text_path);
  EXPECT_EQ(back.encode(text), gpt2.encode(text));
  EXPECT_EQ(back.special_id("<|endoftext|>"), 50256);
}

TEST(BpeHfJson, ReadsMergesAsPairsToo) {
  nlohmann::json j = small_trained().to_hf_json();
  for (nlohmann::json& m : j["model"]["merges"]) {
    const std::string s = m.get<std::string>();
    m = nlohmann::json::array({s.substr(0, s.find(' ')), s.substr(s.find(' ') + 1)});
  }
  const BpeTokenizer tok = BpeTokenizer::from_hf_json(j, "pairs.json");
  EXPECT_EQ(tok.encode("ağaçlar"), small_trained().encode("ağaçlar"));
}

TEST(BpeHfJson, MalformedJsonNamesTheLineAndColumn) {
  testing::TempDir dir;
  testing::write_text(dir.file("bad.json"), "{\n  \"model\": {\n    \"type\": BPE\n  }\n}\n");
  const std::string e = error_of([&] { BpeTokenizer::load(dir.file("bad.json")); });
  EXPECT_NE(e.find("bad.json:3:13: not valid JSON"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
}

TEST(BpeHfJson, WrongContentNamesTheField) {
  const nlohmann::json good = small_trained().to_hf_json();
  const auto error_with = [&](const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = good;
    edit(j);
    return error_of([&] { BpeTokenizer::from_hf_json(j, "tok.json"); });
  };
  EXPECT_NE(error_with([](nlohmann::json& j) {
              j["model"]["type"] = "WordPiece";
            }).find("tok.json: model.type: \"WordPiece\""),
            std::string::npos);
  EXPECT_NE(error_with([](nlohmann::json& j) { j.erase("model"); }).find("tok.json: model:"),
            std::string::npos);
  EXPECT_NE(error_with([](nlohmann::json& j) {
              j["model"]["merges"][1] = "Ġ zzz";
            }).find("tok.json: model.merges[1]: \"zzz\" is not in model.vocab"),
            std::string::npos);
  EXPECT_NE(error_with([](nlohmann::json& j) {
              j["model"]["merges"][2] = "nospace";
            }).find("tok.json: model.merges[2]"),
            std::string::npos);
  EXPECT_NE(error_with([](nlohmann::json& j) {
              j["model"]["vocab"]["x y"] = 5000;
            }).find("tok.json: model.vocab[\"x y\"]: \"x y\" holds ' ' (U+0020)"),
            std::string::npos);
  EXPECT_NE(error_with([](nlohmann::json& j) {
              j["model"]["vocab"]["a"] = "one";
            }).find("tok.json: model.vocab[\"a\"]: expected a token id"),
            std::string::npos);
  EXPECT_NE(error_with([](nlohmann::json& j) {
              j["model"]["vocab"].erase("Ā");
            }).find("tok.json: model.vocab: no token has id 0"),
            std::string::npos);
  EXPECT_NE(error_with([](nlohmann::json& j) {
              j["pre_tokenizer"]["add_prefix_space"] = true;
            }).find("tok.json: pre_tokenizer.add_prefix_space: must be false"),
            std::string::npos);
  EXPECT_NE(error_with([](nlohmann::json& j) {
              j["normalizer"] = {{"type", "NFC"}};
            }).find("tok.json: normalizer"),
            std::string::npos);
  EXPECT_NE(error_with([](nlohmann::json& j) {
              j["added_tokens"][0].erase("content");
            }).find("tok.json: added_tokens[0]"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              BpeTokenizer::from_hf_json(nlohmann::json::array(), "tok.json");
            }).find("tok.json: expected a JSON object"),
            std::string::npos);
}

}  // namespace
}  // namespace dikkat
