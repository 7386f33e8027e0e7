// dikkat score: corpus BLEU and chrF of a translation against one or more references, exactly as
// sacreBLEU 2.x computes them, and with --by-length the same scores per source-length bucket
// (seed 001's translation quality against sentence length).
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "error.h"
#include "io/file_io.h"
#include "score/corpus_scores.h"
#include "score/length_buckets.h"
#include "score/length_chart_svg.h"
#include "score/sentence_file.h"

namespace dikkat {

namespace {

struct ScoreArgs {
  std::string hyp, src, svg;
  std::vector<std::string> refs;
  std::vector<std::string> metrics{"bleu", "chrf"};
  std::string tokenize = "13a", smooth = "exp";
  double smooth_value = NAN;
  int chrf_word_order = 0;
  bool lowercase = false, by_length = false, json = false;
};

ScoreOptions options_from(const ScoreArgs& a) {
  ScoreOptions o;
  o.bleu = o.chrf = false;
  for (const std::string& m : a.metrics) {
    if (m == "bleu") {
      o.bleu = true;
    } else if (m == "chrf") {
      o.chrf = true;
    } else {
      throw Error("--metrics: unknown metric '" + m + "' (choose from: bleu, chrf)");
    }
  }
  if (a.tokenize != "13a" && a.tokenize != "none") {
    throw Error("--tokenize: unknown tokenizer '" + a.tokenize + "' (choose from: 13a, none)");
  }
  if (a.chrf_word_order < 0) throw Error("--chrf-word-order must be 0 or more");
  o.bleu_options.tokenizer = a.tokenize == "13a" ? BleuTokenizer::k13a : BleuTokenizer::kNone;
  o.bleu_options.lowercase = a.lowercase;
  try {
    o.bleu_options.smoothing = parse_smoothing(a.smooth);
  } catch (const Error& e) {
    throw Error(std::string("--smooth: ") + e.what());
  }
  o.bleu_options.smooth_value = a.smooth_value;
  o.chrf_options.lowercase = a.lowercase;
  o.chrf_options.word_order = a.chrf_word_order;
  return o;
}

// Every file has one line per sentence; sacreBLEU refuses a sentence whose references are all
// empty, so the error names where that happens.
void check_files(const ScoreArgs& a, const std::vector<std::string>& hyps,
                 const std::vector<std::vector<std::string>>& refs,
                 const std::vector<std::string>& sources) {
  const auto same_length = [&](const std::string& path, size_t lines) {
    if (lines != hyps.size()) {
      throw Error(a.hyp + " has " + std::to_string(hyps.size()) + " lines but " + path + " has " +
                  std::to_string(lines) + " (one line per sentence in every file)");
    }
  };
  for (size_t k = 0; k < refs.size(); ++k) same_length(a.refs[k], refs[k].size());
  if (!a.src.empty()) same_length(a.src, sources.size());
  for (size_t i = 0; i < hyps.size(); ++i) {
    bool any = false;
    for (const auto& stream : refs) any = any || !stream[i].empty();
    if (any) continue;
    const std::string line = std::to_string(i + 1);
    if (refs.size() == 1) {
      throw Error(a.refs[0] + ":" + line +
                  ": empty reference line (a sentence needs a reference to be scored)");
    }
    throw Error("line " + line + " is empty in every reference file (a sentence needs a " +
                "reference to be scored)");
  }
}

std::string score_or_dash(const std::optional<double>& score) {
  if (!score) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", *score);
  return buffer;
}

std::optional<double> bleu_of(const CorpusScores& s) {
  if (s.sentences == 0 || !s.bleu) return std::nullopt;
  return s.bleu->score;
}
std::optional<double> chrf_of(const CorpusScores& s) {
  if (s.sentences == 0 || !s.chrf) return std::nullopt;
  return s.chrf->score;
}

void print_buckets(const std::vector<BucketScores>& buckets, const ScoreOptions& o) {
  std::printf("\nquality by source sentence length (words)\n");
  std::printf("%-8s %10s", "words", "sentences");
  if (o.bleu) std::printf(" %8s", "BLEU");
  if (o.chrf) std::printf(" %8s", chrf_name(o.chrf_options).c_str());
  std::printf("\n");
  for (const BucketScores& b : buckets) {
    std::printf("%-8s %10zu", b.bucket.label().c_str(), b.scores.sentences);
    if (o.bleu) std::printf(" %8s", score_or_dash(bleu_of(b.scores)).c_str());
    if (o.chrf) std::printf(" %8s", score_or_dash(chrf_of(b.scores)).c_str());
    std::printf("\n");
  }
}

nlohmann::json bleu_json(const BleuScore& s, const ScoreOptions& o, int nrefs) {
  const std::string signature = bleu_signature(o.bleu_options, nrefs);
  return {{"name", "BLEU"},
          {"score", s.score},
          {"signature", signature},
          {"line", format_bleu(s, signature)},
          {"counts", s.statistics.matches},
          {"totals", s.statistics.totals},
          {"precisions", s.precisions},
          {"bp", s.brevity_penalty},
          {"ratio", s.ratio},
          {"hyp_len", s.statistics.hyp_len},
          {"ref_len", s.statistics.ref_len}};
}

nlohmann::json chrf_json(const ChrfScore& s, const ScoreOptions& o, int nrefs) {
  const ChrfOptions& c = o.chrf_options;
  const std::string signature = chrf_signature(c, nrefs);
  nlohmann::json orders = nlohmann::json::array();
  for (int i = 0; i < c.char_order + c.word_order; ++i) {
    const bool chars = i < c.char_order;
    orders.push_back({{"kind", chars ? "char" : "word"},
                      {"order", chars ? i + 1 : i - c.char_order + 1},
                      {"hyp", s.statistics.counts[3 * i]},
                      {"ref", s.statistics.counts[3 * i + 1]},
                      {"match", s.statistics.counts[3 * i + 2]}});
  }
  return {{"name", chrf_name(c)},
          {"score", s.score},
          {"signature", signature},
          {"line", format_chrf(s, c, signature)},
          {"char_order", c.char_order},
          {"word_order", c.word_order},
          {"beta", c.beta},
          {"statistics", orders}};
}

nlohmann::json optional_json(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

void run_score(const ScoreArgs& a) {
  const ScoreOptions options = options_from(a);
  if (a.by_length && a.src.empty()) {
    throw Error(
        "--by-length needs --src FILE (the source sentences, whose lengths set the buckets)");
  }
  if (!a.svg.empty() && !a.by_length) {
    throw Error("--svg draws the quality-by-length chart: add --by-length --src FILE");
  }
  const std::vector<std::string> hyps = read_sentence_file(a.hyp);
  std::vector<std::vector<std::string>> refs;
  for (const std::string& path : a.refs) refs.push_back(read_sentence_file(path));
  const std::vector<std::string> sources =
      a.by_length ? read_sentence_file(a.src) : std::vector<std::string>{};
  check_files(a, hyps, refs, sources);

  const SentenceStatistics stats = sentence_statistics(hyps, refs, options);
  const CorpusScores scores = scores_of(stats, options);
  std::vector<BucketScores> buckets;
  if (a.by_length) buckets = score_by_source_length(sources, stats, options);
  if (!a.svg.empty()) {
    write_file_atomic(
        a.svg,
        quality_by_length_svg(buckets, options, "Translation quality by source length: " + a.hyp));
  }

  if (a.json) {
    nlohmann::json out = {{"hyp", a.hyp}, {"refs", a.refs}, {"sentences", scores.sentences}};
    if (scores.bleu) out["bleu"] = bleu_json(*scores.bleu, options, scores.nrefs);
    if (scores.chrf) out["chrf"] = chrf_json(*scores.chrf, options, scores.nrefs);
    if (a.by_length) {
      out["src"] = a.src;
      nlohmann::json list = nlohmann::json::array();
      for (const BucketScores& b : buckets) {
        nlohmann::json j = {
            {"range", b.bucket.label()},
            {"min_words", b.bucket.min_words},
            {"max_words", b.bucket.max_words == 0 ? nlohmann::json(nullptr)
                                                  : nlohmann::json(b.bucket.max_words)},
            {"sentences", b.scores.sentences}};
        if (options.bleu) j["bleu"] = optional_json(bleu_of(b.scores));
        if (options.chrf) j["chrf"] = optional_json(chrf_of(b.scores));
        list.push_back(j);
      }
      out["buckets"] = list;
    }
    if (!a.svg.empty()) out["svg"] = a.svg;
    std::printf("%s\n", out.dump().c_str());
    return;
  }
  for (const std::string& line : score_lines(scores, options)) std::printf("%s\n", line.c_str());
  if (a.by_length) print_buckets(buckets, options);
  if (!a.svg.empty()) std::printf("\nwrote %s\n", a.svg.c_str());
}

}  // namespace

void add_score_command(CLI::App& app) {
  auto args = std::make_shared<ScoreArgs>();
  CLI::App* cmd = app.add_subcommand(
      "score", "corpus BLEU and chrF of a translation, as sacreBLEU computes them");
  cmd->footer(
      "Files hold one sentence per line. Scores and signatures match sacreBLEU 2.x's defaults\n"
      "(BLEU: 13a tokenizer, exp smoothing; chrF2: character 6-grams, spaces removed); give\n"
      "--ref several times for several references per sentence. --by-length --src FILE adds\n"
      "the scores per source-length bucket (1-5, 6-10, 11-15, 16-20, 21-30, 31+ words).");
  cmd->add_option("--hyp", args->hyp, "the translation, one sentence per line")->required();
  cmd->add_option("--ref", args->refs, "a reference translation (repeat for more)")
      ->required()
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--src", args->src, "the source sentences (for --by-length)");
  cmd->add_flag("--by-length", args->by_length, "also score each source-length bucket");
  cmd->add_option("--svg", args->svg, "draw quality against source length as an SVG (--by-length)");
  cmd->add_flag("--json", args->json, "print one JSON object instead of text");
  cmd->add_option("--metrics", args->metrics, "bleu, chrf or both (default bleu,chrf)")
      ->delimiter(',')
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--tokenize", args->tokenize, "BLEU's tokenizer: 13a or none")
      ->capture_default_str();
  cmd->add_flag("--lowercase", args->lowercase, "compare case-insensitively (both metrics)");
  cmd->add_option("--smooth", args->smooth, "BLEU smoothing: exp, none, floor or add-k")
      ->capture_default_str();
  cmd->add_option("--smooth-value", args->smooth_value,
                  "floor's value (default 0.1) or add-k's k (default 1)");
  cmd->add_option("--chrf-word-order", args->chrf_word_order,
                  "word n-gram order of chrF; 2 gives chrF++")
      ->capture_default_str();
  cmd->callback([args] { run_score(*args); });
}

}  // namespace dikkat
