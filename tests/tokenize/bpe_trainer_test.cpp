#include "tokenize/bpe_trainer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "error.h"
#include "io/file_io.h"
#include "test_support.h"
#include "tokenize/bpe_tokenizer.h"
#include "tokenize/gpt2_pretokenizer.h"

namespace dikkat {
namespace {

bool same_merges(const std::vector<BpeMerge>& a, const std::vector<BpeMerge>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].left != b[i].left || a[i].right != b[i].right || a[i].merged != b[i].merged)
      return false;
  return true;
}

TEST(BpeTrainer, CountsDistinctChunksWithoutSpecialTokens) {
  const std::vector<BpeWordCount> words =
      count_gpt2_chunks({"ab ab<|endoftext|>ab", " ab"}, {"<|endoftext|>"});
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[0].bytes, " ab");
  EXPECT_EQ(words[0].count, 2);
  EXPECT_EQ(words[1].bytes, "ab");
  EXPECT_EQ(words[1].count, 2);
}

TEST(BpeTrainer, MergesTheMostFrequentPairFirst) {
  // Chunks "ab" x1 and " ab" x2: (a, b) occurs 3 times, (' ', a) twice.
  const BpeTokenizer tok = BpeTokenizer::train({"ab ab ab"}, 258, {});
  ASSERT_EQ(tok.merges().size(), 2u);
  EXPECT_EQ(tok.token_bytes(256), "ab");
  EXPECT_EQ(tok.token_bytes(257), " ab");
  EXPECT_EQ(tok.merges()[1].left, ' ');
  EXPECT_EQ(tok.merges()[1].right, 256);
  EXPECT_EQ(tok.encode("ab ab"), (std::vector<int32_t>{256, 257}));
}

TEST(BpeTrainer, TiesGoToTheSmallestPair) {
  // "ba" and " ab": (b, a), (' ', a) and (a, b) all occur once, and (' ', a) = (32, 97) is the
  // smallest. That merge takes (a, b) with it, leaving (b, a) = (98, 97) and (" a", b) =
  // (256, 98), in that order.
  const BpeTokenizer tok = BpeTokenizer::train({"ba ab"}, 259, {});
  ASSERT_EQ(tok.merges().size(), 3u);
  EXPECT_EQ(tok.token_bytes(256), " a");
  EXPECT_EQ(tok.token_bytes(257), "ba");
  EXPECT_EQ(tok.token_bytes(258), " ab");
}

TEST(BpeTrainer, OverlappingRepeatsCountAndMergeCorrectly) {
  // "aaaa": (a,a) three times; after merging, "aa aa" -> (aa, aa) once.
  const BpeTokenizer tok = BpeTokenizer::train({"aaaa"}, 300, {});
  ASSERT_EQ(tok.merges().size(), 2u);
  EXPECT_EQ(tok.token_bytes(256), "aa");
  EXPECT_EQ(tok.token_bytes(257), "aaaa");
  EXPECT_EQ(tok.vocab_size(), 258);  // stopped early: nothing left to merge
  EXPECT_EQ(tok.encode("aaaaaaa"), (std::vector<int32_t>{257, 256, 'a'}));
}

TEST(BpeTrainer, SpecialTokensComeLastAndAreNotLearned) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "hello world<|endoftext|>";
  const BpeTokenizer tok = BpeTokenizer::train({text}, 400, {"<|endoftext|>", "<|pad|>"});
  EXPECT_EQ(tok.special_id("<|endoftext|>"), tok.vocab_size() - 2);
  EXPECT_EQ(tok.special_id("<|pad|>"), tok.vocab_size() - 1);
  for (int32_t id = 256; id < tok.vocab_size() - 2; ++id)
    EXPECT_EQ(tok.token_bytes(id).find('|'), std::string::npos) << tok.token_bytes(id);
  const std::vector<int32_t> ids = tok.encode_with_special("hello world<|endoftext|>");
  EXPECT_EQ(ids.back(), tok.vocab_size() - 2);
}

TEST(BpeTrainer, ProgressReportsTheEnd) {
  std::vector<BpeTrainProgress> seen;
  const BpeTokenizer tok = BpeTokenizer::train(
      {"the theme of the thesis"}, 270, {}, [&](const BpeTrainProgress& p) { seen.push_back(p); });
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().tokens, tok.vocab_size());
  EXPECT_EQ(seen.back().target_tokens, 270);
  EXPECT_EQ(seen.back().merges, int64_t(tok.merges().size()));
}

TEST(BpeTrainer, BadArgumentsAreClearErrors) {
  const auto message = [](auto&& f) {
    try {
      f();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(
      message([] { BpeTokenizer::train({"abc"}, 255, {}); }).find("vocab size 255 is below 256"),
      std::string::npos);
  EXPECT_NE(message([] { BpeTokenizer::train({"abc"}, 256, {"<|endoftext|>"}); }).find("below 257"),
            std::string::npos);
  EXPECT_NE(message([] {
              BpeTokenizer::train({"", ""}, 300, {});
            }).find("empty training corpus"),
            std::string::npos);
  EXPECT_NE(message([] { BpeTokenizer::train({}, 300, {}); }).find("empty training corpus"),
            std::string::npos);
  EXPECT_NE(message([] { BpeTokenizer::train({"abc"}, 300, {""}); }).find("must not be empty"),
            std::string::npos);
  EXPECT_NE(message([] {
              BpeTokenizer::train({"abc"}, 300, {"<a>", "<a>"});
            }).find("twice"),
            std::string::npos);
}

TEST(BpeTrainer, TinyShakespeare4096IsDeterministic) {
  const std::string path = testing::shared_data_path("tinyshakespeare.txt");
  if (path.empty()) GTEST_SKIP() << "../shared/data/tinyshakespeare.txt is absent";
  const std::string text = read_file(path);
  const auto start = std::chrono::steady_clock::now();
  const BpeTokenizer a = BpeTokenizer::train({text}, 4096, {"<|endoftext|>"});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(a.vocab_size(), 4096);
  EXPECT_EQ(a.merges().size(), 4095u - 256u);
  // The same text cut into two files at a line break ("x\ny"): the same chunks, counted in a
  // different order into the hash table, must give the same merges.
  const size_t cut = gpt2_stream_cut(std::string_view(text).substr(0, text.size() / 2));
  ASSERT_GT(cut, 0u);
  const BpeTokenizer b =
      BpeTokenizer::train({text.substr(cut), text.substr(0, cut)}, 4096, {"<|endoftext|>"});
  EXPECT_TRUE(same_merges(a.merges(), b.merges()));
  const BpeTokenizer c = BpeTokenizer::train({text}, 4096, {"<|endoftext|>"});
  EXPECT_TRUE(same_merges(a.merges(), c.merges()));
  EXPECT_EQ(a.to_hf_json(), c.to_hf_json());
  const std::vector<int32_t> ids = a.encode(text);
  EXPECT_LT(ids.size(), text.size() / 3);  // 4096 tokens compress Shakespeare > 3x
  EXPECT_EQ(a.decode(ids), text);
  std::printf("[          ] trained 4096 tokens on Tiny Shakespeare in %.2fs\n", seconds);
}

}  // namespace
}  // namespace dikkat
