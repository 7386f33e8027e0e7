#include "serve/metrics_tail.h"

#include <gtest/gtest.h>

#include <fstream>

#include "test_support.h"

namespace dikkat {
namespace {

void append(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::app) << text;
}

TEST(MetricsTail, GivesWholeLinesOnlyAndEachOnce) {
  testing::TempDir tmp;
  const std::string path = tmp.file("metrics.jsonl");
  MetricsTail tail(path);
  EXPECT_TRUE(tail.poll().empty());  // no file yet
  append(path, "{\"step\":1}\n{\"step\":2");
  auto lines = tail.poll();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].number, 1);
  EXPECT_EQ(lines[0].text, "{\"step\":1}");
  EXPECT_TRUE(tail.poll().empty());  // the second line is still being written
  append(path, "}\n");
  lines = tail.poll();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].number, 2);
  EXPECT_EQ(lines[0].text, "{\"step\":2}");
}

TEST(MetricsTail, SkipsTheLinesAReconnectingClientHasSeen) {
  testing::TempDir tmp;
  const std::string path = tmp.file("metrics.jsonl");
  append(path, "a\nb\nc\n");
  const auto lines = MetricsTail(path, 2).poll();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].number, 3);
  EXPECT_EQ(lines[0].text, "c");
}

TEST(MetricsTail, StartsAgainWhenAResumedRunRewritesTheFile) {
  testing::TempDir tmp;
  const std::string path = tmp.file("metrics.jsonl");
  append(path, "a\nb\nc\n");
  MetricsTail tail(path);
  EXPECT_EQ(tail.poll().size(), 3u);
  testing::write_text(path, "a\n");
  const auto lines = tail.poll();
  EXPECT_TRUE(tail.restarted());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].number, 1);
}

}  // namespace
}  // namespace dikkat
