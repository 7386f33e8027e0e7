#include "serve/request_params.h"

#include <gtest/gtest.h>

#include "serve/api_error.h"

namespace dikkat {
namespace {

// The status and field of the ApiError `f` throws.
template <typename F>
std::pair<int, std::string> refusal(F&& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return {e.status(), e.field()};
  }
  return {0, "(nothing thrown)"};
}

TEST(RequestParams, JsonBodyTakesStringsNumbersAndBooleans) {
  const auto p = RequestParams::from_json_body(
      R"({"model": "m0", "tokens": 12, "temperature": 0.5, "greedy": true, "x": null})");
  EXPECT_EQ(p.text("model"), "m0");
  EXPECT_EQ(p.integer("tokens", 1, 100), 12);
  EXPECT_DOUBLE_EQ(p.number_or("temperature", 1.0, 0.0, 2.0), 0.5);
  EXPECT_EQ(p.text("greedy"), "true");
  EXPECT_FALSE(p.has("x"));
}

TEST(RequestParams, ABodyThatIsNotAnObjectIsA400WithoutField) {
  for (const char* body : {"", "[1,2]", "{\"a\":", "\"text\"", "nul"})
    EXPECT_EQ(refusal([&] { RequestParams::from_json_body(body); }),
              std::make_pair(400, std::string()))
        << body;
}

TEST(RequestParams, ANestedValueNamesItsKey) {
  EXPECT_EQ(refusal([] { RequestParams::from_json_body(R"({"text": ["a"]})"); }),
            std::make_pair(400, std::string("text")));
}

TEST(RequestParams, EachGetterNamesTheFieldItRefuses) {
  const RequestParams p({{"layer", "7"}, {"head", "x"}, {"t", "inf"}, {"kind", "sideways"}, {"e", ""}});
  EXPECT_EQ(refusal([&] { p.integer("layer", 1, 6); }), std::make_pair(400, std::string("layer")));
  EXPECT_EQ(refusal([&] { p.integer("head", 1, 6); }), std::make_pair(400, std::string("head")));
  EXPECT_EQ(refusal([&] { p.integer("missing", 1, 6); }),
            std::make_pair(400, std::string("missing")));
  EXPECT_EQ(refusal([&] { p.number_or("t", 1.0, 0.0, 10.0); }),
            std::make_pair(400, std::string("t")));
  EXPECT_EQ(refusal([&] { p.choice("kind", {"self", "cross"}); }),
            std::make_pair(400, std::string("kind")));
  EXPECT_EQ(refusal([&] { p.text("e"); }), std::make_pair(400, std::string("e")));
  EXPECT_EQ(p.text("e", true), "");
  EXPECT_EQ(p.integer_or("absent", 5, 1, 6), 5);
}

TEST(RequestParams, IntegersMustBeWholeDecimalNumbers) {
  for (const char* v : {"1.5", "1e3", " 2", "2 ", "+", "99999999999999999999999"})
    EXPECT_EQ(refusal([&] { RequestParams(std::map<std::string, std::string>{{"n", v}}).integer("n", 0, 1000); }).first, 400) << v;
}

TEST(RequestParams, AnOversizedTextIsA413) {
  const RequestParams p({{"text", std::string(RequestParams::kMaxTextBytes + 1, 'a')}});
  EXPECT_EQ(refusal([&] { p.text("text"); }), std::make_pair(413, std::string("text")));
}

}  // namespace
}  // namespace dikkat
