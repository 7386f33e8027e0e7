// dikkat compare end to end at a tiny budget: three translators trained side by side on number
// pairs, each test sentence translated by each, and the table, JSON and charts agreeing with what
// the separate commands (info, score) say of the same runs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "io/file_io.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::expect_one_line_error;
using testing::number_pairs;
using testing::run_dikkat;

TEST(Compare, TrainsTranslatesAndReportsEveryModel) {
  testing::TempDir tmp;
  testing::write_text(tmp.file("train.tsv"), number_pairs(400, 1));
  testing::write_text(tmp.file("dev.tsv"), number_pairs(40, 2));
  testing::write_text(tmp.file("numbers.tsv"), number_pairs(30, 3));
  const std::string out = tmp.file("cmp");
  const auto r = run_dikkat("compare --size tiny --data " + tmp.file("train.tsv") + " --valid " +
                            tmp.file("dev.tsv") + " --test " + tmp.file("numbers.tsv") +
                            " --minutes 1 --steps 20 --jobs 2 --threads 2 --beam 2 --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(read_file(out + "/compare.json"));
  ASSERT_EQ(j["models"].size(), 3u);
  const std::string names[] = {"transformer", "gru-bahdanau", "gru-none"};
  for (size_t i = 0; i < 3; ++i) {
    const auto& m = j["models"][i];
    EXPECT_EQ(m["name"], names[i]);
    EXPECT_EQ(m["train"]["steps"], 20);
    EXPECT_GT(m["train"]["tokens_per_s"].get<double>(), 0);
    EXPECT_GT(m["train"]["peak_rss_mb"].get<double>(), 0);
    const auto info = run_dikkat("info --model " + out + "/" + names[i]);
    ASSERT_EQ(info.exit_code, 0) << info.err;
    EXPECT_NE(info.out.find(std::to_string(m["parameters"].get<int64_t>())), std::string::npos);
    const auto& t = m["tests"]["numbers"];
    EXPECT_EQ(t["sentences"], 30);
    EXPECT_EQ(t["by_length"].size(), 6u);
    EXPECT_GT(t["sentences_per_s"].get<double>(), 0);
    // The table's scores are what dikkat score gives for the same translations.
    const auto s = run_dikkat("score --hyp " + out + "/" + names[i] + "/numbers.hyp --ref " + out +
                              "/numbers.ref --json");
    ASSERT_EQ(s.exit_code, 0) << s.err;
    const auto sj = nlohmann::json::parse(s.out);
    EXPECT_NEAR(t["bleu"].get<double>(), sj["bleu"]["score"].get<double>(), 1e-9);
    EXPECT_NEAR(t["chrf"].get<double>(), sj["chrf"]["score"].get<double>(), 1e-9);
    EXPECT_NE(r.out.find("| " + names[i] + " "), std::string::npos) << r.out;
  }
  for (const char* chart : {"/numbers_bleu_by_length.svg", "/numbers_chrf_by_length.svg"}) {
    const std::string svg = read_file(out + chart);
    for (const auto& name : names) EXPECT_NE(svg.find(name), std::string::npos) << chart;
  }
  EXPECT_NE(read_file(out + "/compare.md").find("| model | parameters"), std::string::npos);
}

TEST(Compare, BadInputGetsOneClearLine) {
  testing::TempDir tmp;
  testing::write_text(tmp.file("p.tsv"), number_pairs(20, 1));
  const std::string base = "compare --data " + tmp.file("p.tsv") + " --test " + tmp.file("p.tsv") +
                           " --out " + tmp.file("o");
  expect_one_line_error(run_dikkat(base + " --minutes 1 --models transformer,gpt"),
                        "--models: unknown model 'gpt'");
  expect_one_line_error(run_dikkat(base + " --minutes 0"), "--minutes must be positive");
  expect_one_line_error(run_dikkat(base + " --minutes 1 --size huge"),
                        "--size must be small or tiny");
}

}  // namespace
}  // namespace dikkat
