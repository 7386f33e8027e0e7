#include "cli/compare_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "draw/line_chart_svg.h"
#include "error.h"
#include "run/checkpoint.h"
#include "run/metrics_file.h"
#include "score/sentence_file.h"

namespace dikkat {

namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double bleu_of(const CorpusScores& s) { return s.sentences && s.bleu ? s.bleu->score : NAN; }
double chrf_of(const CorpusScores& s) { return s.sentences && s.chrf ? s.chrf->score : NAN; }

std::string number(double x, int decimals = 2) {
  if (std::isnan(x)) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

nlohmann::json scores_json(const CorpusScores& s) {
  nlohmann::json j = {{"sentences", s.sentences}};
  if (s.sentences == 0) return j;
  j["bleu"] = bleu_of(s);
  j["chrf"] = chrf_of(s);
  return j;
}

}  // namespace

ContenderResult training_result(const std::string& name, const std::string& description,
                                const std::string& run_dir, const ChildRun& run) {
  ContenderResult r;
  r.name = name;
  r.description = description;
  r.train_seconds = run.seconds;
  r.train_peak_rss_mb = run.peak_rss_mb;
  r.parameters = load_model_dir(run_dir).model->parameter_count();
  std::vector<double> rates;
  for (const MetricsRow& m : read_metrics(run_dir + "/metrics.jsonl")) {
    r.steps = std::max(r.steps, m.step);
    if (!std::isnan(m.tokens_per_s)) rates.push_back(m.tokens_per_s);
    if (!std::isnan(m.val_loss)) r.val_loss = m.val_loss;
  }
  // The first lines include start-up (allocation, the first evaluation): left out when there
  // are enough others.
  if (rates.size() > 6) rates.erase(rates.begin(), rates.begin() + 3);
  r.tokens_per_s = median(rates);
  return r;
}

TestResult test_result(const std::string& name, const std::vector<std::string>& sources,
                       const std::vector<std::string>& references, const std::string& hyp_path,
                       const ChildRun& run) {
  const std::vector<std::string> hyps = read_sentence_file(hyp_path);
  if (hyps.size() != sources.size())
    throw Error(hyp_path + ": " + std::to_string(hyps.size()) + " translations of " +
                std::to_string(sources.size()) + " sentences");
  const ScoreOptions options;
  const SentenceStatistics stats = sentence_statistics(hyps, {references}, options);
  TestResult t;
  t.name = name;
  t.sentences = sources.size();
  t.sentences_per_s = run.seconds > 0 ? double(sources.size()) / run.seconds : 0.0;
  t.peak_rss_mb = run.peak_rss_mb;
  t.overall = scores_of(stats, options);
  std::vector<size_t> long_ones;
  for (size_t i = 0; i < sources.size(); ++i)
    if (source_word_count(sources[i]) > kLongSentenceWords) long_ones.push_back(i);
  t.long_sentences = scores_of(stats, options, &long_ones);
  t.by_length = score_by_source_length(sources, stats, options);
  return t;
}

nlohmann::json compare_json(const std::vector<ContenderResult>& results,
                            const CompareSetup& setup) {
  nlohmann::json models = nlohmann::json::array();
  for (const ContenderResult& r : results) {
    nlohmann::json tests = nlohmann::json::object();
    for (const TestResult& t : r.tests) {
      nlohmann::json buckets = nlohmann::json::array();
      for (const BucketScores& b : t.by_length) {
        nlohmann::json j = scores_json(b.scores);
        j["bucket"] = b.bucket.label();
        buckets.push_back(j);
      }
      nlohmann::json j = scores_json(t.overall);
      j["sentences_per_s"] = t.sentences_per_s;
      j["peak_rss_mb"] = t.peak_rss_mb;
      j["long_sentences"] = scores_json(t.long_sentences);
      j["by_length"] = buckets;
      tests[t.name] = j;
    }
    models.push_back({{"name", r.name},
                      {"description", r.description},
                      {"parameters", r.parameters},
                      {"train",
                       {{"tokens_per_s", r.tokens_per_s},
                        {"steps", r.steps},
                        {"seconds", r.train_seconds},
                        {"peak_rss_mb", r.train_peak_rss_mb},
                        {"val_loss", r.val_loss}}},
                      {"tests", tests}});
  }
  return {{"minutes", setup.minutes}, {"threads_per_model", setup.threads_per_model},
          {"jobs", setup.jobs},       {"beam", setup.beam},
          {"size", setup.size},       {"long_sentence_words", kLongSentenceWords},
          {"models", models}};
}

std::string compare_markdown(const std::vector<ContenderResult>& results,
                             const CompareSetup& setup) {
  std::string md = "Each model trained for " + number(setup.minutes, 1) + " minutes (" +
                   std::to_string(setup.threads_per_model) + " thread" +
                   (setup.threads_per_model == 1 ? "" : "s") + " each, " +
                   std::to_string(setup.jobs) + " at a time, " + setup.size +
                   " presets); translations with beam " + std::to_string(setup.beam) + ".\n\n";
  md +=
      "| model | parameters | training tokens/s | steps | validation loss | peak memory "
      "training (MB) |\n|---|---:|---:|---:|---:|---:|\n";
  for (const ContenderResult& r : results)
    md += "| " + r.name + " (" + r.description + ") | " + std::to_string(r.parameters) + " | " +
          number(r.tokens_per_s, 0) + " | " + std::to_string(r.steps) + " | " +
          number(r.val_loss, 3) + " | " + number(r.train_peak_rss_mb, 0) + " |\n";
  for (size_t k = 0; results.size() && k < results[0].tests.size(); ++k) {
    const TestResult& first = results[0].tests[k];
    md += "\n**" + first.name + "** (" + std::to_string(first.sentences) + " sentences, " +
          std::to_string(first.long_sentences.sentences) + " of more than " +
          std::to_string(kLongSentenceWords) + " source words)\n\n";
    md += "| model | BLEU | chrF | BLEU > " + std::to_string(kLongSentenceWords) +
          " words | chrF > " + std::to_string(kLongSentenceWords) +
          " words | sentences/s | peak memory translating (MB) |\n"
          "|---|---:|---:|---:|---:|---:|---:|\n";
    for (const ContenderResult& r : results) {
      const TestResult& t = r.tests[k];
      md += "| " + r.name + " | " + number(bleu_of(t.overall)) + " | " +
            number(chrf_of(t.overall)) + " | " + number(bleu_of(t.long_sentences)) + " | " +
            number(chrf_of(t.long_sentences)) + " | " + number(t.sentences_per_s, 1) + " | " +
            number(t.peak_rss_mb, 0) + " |\n";
    }
    md += "\nBLEU / chrF by source length (words):\n\n| model |";
    std::string rule = "|---|";
    for (const BucketScores& b : first.by_length) {
      md += ' ' + b.bucket.label() + " (n=" + std::to_string(b.scores.sentences) + ") |";
      rule += "---:|";
    }
    md += "\n" + rule + "\n";
    for (const ContenderResult& r : results) {
      md += "| " + r.name + " |";
      for (const BucketScores& b : r.tests[k].by_length)
        md += ' ' + number(bleu_of(b.scores), 1) + " / " + number(chrf_of(b.scores), 1) + " |";
      md += "\n";
    }
  }
  return md;
}

std::string quality_by_length_chart(const std::vector<ContenderResult>& results,
                                    const std::string& test_name, LengthChartMetric metric) {
  const bool bleu = metric == LengthChartMetric::kBleu;
  std::vector<LineSeries> lines;
  LineChartStyle style;
  style.title = test_name + ": " + (bleu ? "BLEU" : "chrF") + " against source sentence length";
  style.x_label = "source sentence length (words)";
  style.y_label = bleu ? "BLEU" : "chrF";
  for (const ContenderResult& r : results)
    for (const TestResult& t : r.tests) {
      if (t.name != test_name) continue;
      LineSeries line{r.name, {}, {}, false, true, true};
      for (size_t i = 0; i < t.by_length.size(); ++i) {
        line.x.push_back(double(i));
        line.y.push_back(bleu ? bleu_of(t.by_length[i].scores) : chrf_of(t.by_length[i].scores));
      }
      if (style.x_categories.empty())
        for (const BucketScores& s : t.by_length)
          style.x_categories.push_back(s.bucket.label() +
                                       " (n=" + std::to_string(s.scores.sentences) + ")");
      lines.push_back(std::move(line));
    }
  return line_chart_svg(lines, {}, style);
}

}  // namespace dikkat
