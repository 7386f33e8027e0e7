#pragma once
// What `dikkat compare` measures of each model and how it reports it: seed 001's table as
// Markdown, the same as JSON for later tools, and quality against source length as SVG.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "cli/child_process.h"
#include "score/length_buckets.h"

namespace dikkat {

struct TestResult {
  std::string name;
  size_t sentences = 0;
  double sentences_per_s = 0, peak_rss_mb = 0;
  CorpusScores overall, long_sentences;  // long: more than 15 source words
  std::vector<BucketScores> by_length;
};

struct ContenderResult {
  std::string name, description;
  int64_t parameters = 0, steps = 0;
  double tokens_per_s = 0;  // median training target tokens per second
  double train_seconds = 0, train_peak_rss_mb = 0, val_loss = 0;
  std::vector<TestResult> tests;
};

struct CompareSetup {
  double minutes;
  int threads_per_model, jobs;
  int64_t beam;
  std::string size;
};

// Sentences with more than this many source words are "long" in the table.
inline constexpr size_t kLongSentenceWords = 15;

// A trained run directory (config, weights, metrics.jsonl) and its training process.
ContenderResult training_result(const std::string& name, const std::string& description,
                                const std::string& run_dir, const ChildRun& run);
// A test set's translations (one line per source in `hyp_path`) scored as sacreBLEU scores them.
TestResult test_result(const std::string& name, const std::vector<std::string>& sources,
                       const std::vector<std::string>& references, const std::string& hyp_path,
                       const ChildRun& run);

nlohmann::json compare_json(const std::vector<ContenderResult>& results, const CompareSetup& setup);
std::string compare_markdown(const std::vector<ContenderResult>& results,
                             const CompareSetup& setup);
// BLEU or chrF of each length bucket of one test set, a line per model (an empty bucket is a gap).
enum class LengthChartMetric { kBleu, kChrf };
std::string quality_by_length_chart(const std::vector<ContenderResult>& results,
                                    const std::string& test_name, LengthChartMetric metric);

}  // namespace dikkat
