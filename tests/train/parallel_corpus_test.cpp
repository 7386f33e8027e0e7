// Reading sentence pairs from tab-separated files: extra columns, CRLF, reversal, and one clear
// error naming file and line for each malformed line (or a count with skip_bad_lines).
#include "train/parallel_corpus.h"

#include <gtest/gtest.h>

#include "error.h"
#include "test_support.h"

namespace dikkat {
namespace {

std::string message_of(const std::string& path, const ParallelReadOptions& options = {}) {
  try {
    read_parallel_tsv(path, options);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ParallelCorpus, ReadsPairsIgnoringExtraColumnsAndCrlf) {
  testing::TempDir dir;
  const std::string path = dir.file("pairs.tsv");
  testing::write_text(path,
                      "Hello.\tMerhaba.\tCC-BY 2.0 (France) Attribution: tatoeba.org\r\n"
                      "\n"
                      "I am here.\tBuradayım.");
  const ParallelCorpus c = read_parallel_tsv(path, {});
  ASSERT_EQ(c.pairs.size(), 2u);
  EXPECT_EQ(c.pairs[0].source, "Hello.");
  EXPECT_EQ(c.pairs[0].target, "Merhaba.");
  EXPECT_EQ(c.pairs[1].source, "I am here.");
  EXPECT_EQ(c.pairs[1].target, "Buradayım.");
  EXPECT_EQ(c.pairs[1].line, 3);
  EXPECT_EQ(c.skipped, 0);
}

TEST(ParallelCorpus, ReverseSwapsTheSides) {
  testing::TempDir dir;
  const std::string path = dir.file("pairs.tsv");
  testing::write_text(path, "Go.\tGit.\n");
  const ParallelCorpus c = read_parallel_tsv(path, {.reverse = true});
  EXPECT_EQ(c.pairs[0].source, "Git.");
  EXPECT_EQ(c.pairs[0].target, "Go.");
}

TEST(ParallelCorpus, EachMalformedLineIsNamedByFileAndLine) {
  testing::TempDir dir;
  struct Case {
    std::string bad_line, expected;
  };
  const Case cases[] = {
      {"no tab here", ":2: no tab between source and target"},
      {"\tBoş.", ":2: the first column is empty"},
      {"Empty.\t  ", ":2: the second column is empty"},
      {"Bad \xC3\x28 byte.\tKötü.", ":2: invalid UTF-8 at byte offset 4"},
  };
  for (const auto& c : cases) {
    const std::string path = dir.file("bad.tsv");
    testing::write_text(path, "Good.\tİyi.\n" + c.bad_line + "\nFine.\tTamam.\n");
    EXPECT_EQ(message_of(path), path + c.expected + " (--skip-bad-lines leaves such lines out)");
    const ParallelCorpus kept = read_parallel_tsv(path, {.skip_bad_lines = true});
    EXPECT_EQ(kept.pairs.size(), 2u) << c.bad_line;
    EXPECT_EQ(kept.skipped, 1) << c.bad_line;
    EXPECT_EQ(kept.pairs[1].line, 3);
  }
}

TEST(ParallelCorpus, MissingAndEmptyFilesAreErrors) {
  testing::TempDir dir;
  EXPECT_NE(message_of(dir.file("nope.tsv")).find("nope.tsv: cannot open"), std::string::npos);
  const std::string empty = dir.file("empty.tsv");
  testing::write_text(empty, "\n\n");
  EXPECT_EQ(message_of(empty), empty + ": no sentence pairs (expected lines of source<TAB>target)");
}

TEST(ParallelCorpus, ReadsTheSharedEnglishTurkishTrainingSet) {
  const std::string path = testing::shared_data_path("en-tr/train.tsv");
  if (path.empty()) GTEST_SKIP() << "../shared/data is not checked out beside the repository";
  const ParallelCorpus c = read_parallel_tsv(path, {});
  EXPECT_EQ(c.pairs.size(), 165345u);  // the count its README gives
  EXPECT_EQ(c.skipped, 0);
}

}  // namespace
}  // namespace dikkat
