// dikkat compare: seed 001's argument, measured. Trains several translators (by default the
// transformer, a GRU with Bahdanau attention and a GRU without attention) on the same pairs under
// the same wall-clock budget, translates test sets with each, and reports seed 001's table
// (parameters, training speed, translation speed, peak memory, BLEU and chrF overall and on long
// sentences) and its chart of quality against source length, as Markdown, JSON and SVG.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/child_process.h"
#include "cli/commands.h"
#include "cli/compare_report.h"
#include "cli/output_format.h"
#include "error.h"
#include "io/file_io.h"
#include "run/checkpoint.h"
#include "score/length_buckets.h"
#include "train/parallel_corpus.h"

namespace dikkat {

namespace {

// The translators compare knows: a preset per size and the flags that make the variant.
struct Contender {
  const char* name;
  const char* description;
  const char* small_preset;
  const char* tiny_preset;
  std::vector<std::string> flags;
};

const std::vector<Contender>& contenders() {
  static const std::vector<Contender> all = {
      {"transformer", "encoder-decoder transformer", "nmt-small", "nmt-tiny", {}},
      {"gru-bahdanau",
       "GRU, Bahdanau attention",
       "rnn-small",
       "rnn-tiny",
       {"--cell", "gru", "--attention", "bahdanau"}},
      {"gru-none",
       "GRU, no attention",
       "rnn-small",
       "rnn-tiny",
       {"--cell", "gru", "--attention", "none"}},
      {"gru-luong",
       "GRU, Luong attention",
       "rnn-small",
       "rnn-tiny",
       {"--cell", "gru", "--attention", "luong"}},
      {"lstm-bahdanau",
       "LSTM, Bahdanau attention",
       "rnn-small",
       "rnn-tiny",
       {"--cell", "lstm", "--attention", "bahdanau"}},
      {"lstm-none",
       "LSTM, no attention",
       "rnn-small",
       "rnn-tiny",
       {"--cell", "lstm", "--attention", "none"}}};
  return all;
}

const Contender& find_contender(const std::string& name) {
  std::string names;
  for (const Contender& c : contenders()) {
    if (name == c.name) return c;
    names += (names.empty() ? "" : ", ") + std::string(c.name);
  }
  throw Error("--models: unknown model '" + name + "' (choose from: " + names + ")");
}

struct CompareArgs {
  std::string data, valid, out;
  std::vector<std::string> tests;
  std::vector<std::string> models = {"transformer", "gru-bahdanau", "gru-none"};
  std::string size = "small";
  double minutes = 0;
  int64_t steps = 1000000;
  int64_t beam = 4;
  int threads = 0, jobs = 1;
  bool reverse = false;
};

// A test set as compare uses it: the source and reference columns, written once as <name>.src
// and <name>.ref in the output directory (so `dikkat score` can rescore any model's .hyp).
struct TestSet {
  std::string name, source_file;
  std::vector<std::string> sources, references;
};

TestSet read_test_set(const std::string& path, bool reverse, const std::string& out_dir) {
  const ParallelCorpus corpus = read_parallel_tsv(path, {.reverse = reverse});
  TestSet t;
  t.name = std::filesystem::path(path).stem().string();
  std::string sources, references;
  for (const SentencePair& p : corpus.pairs) {
    t.sources.push_back(p.source);
    t.references.push_back(p.target);
    sources += p.source + "\n";
    references += p.target + "\n";
  }
  t.source_file = out_dir + "/" + t.name + ".src";
  write_file_atomic(t.source_file, sources);
  write_file_atomic(out_dir + "/" + t.name + ".ref", references);
  return t;
}

// The last complete line of a run's metrics.jsonl: how far a training has got.
std::string training_status(const std::string& run_dir) {
  std::ifstream in(run_dir + "/metrics.jsonl");
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty() && line.back() == '}') last = line;
  if (last.empty()) return "starting";
  const nlohmann::json m = nlohmann::json::parse(last, nullptr, false);
  if (!m.is_object() || !m.contains("step")) return "starting";
  char buf[64];
  std::snprintf(buf, sizeof buf, "step %lld loss %.3f", (long long)m["step"].get<int64_t>(),
                m.value("train_loss", m.value("val_loss", 0.0)));
  return buf;
}

void run_compare(const CompareArgs& a) {
  if (a.minutes <= 0) throw Error("--minutes must be positive: every model gets that budget");
  if (a.tests.empty()) throw Error("--test: give at least one test set (source<TAB>reference)");
  if (a.size != "small" && a.size != "tiny")
    throw Error("--size must be small or tiny, got '" + a.size + "'");
  if (a.beam < 1) throw Error("--beam must be at least 1, got " + std::to_string(a.beam));
  std::vector<const Contender*> chosen;
  for (const std::string& name : a.models) chosen.push_back(&find_contender(name));
  if (chosen.empty()) throw Error("--models: no model named");
  std::filesystem::create_directories(a.out);
  std::vector<TestSet> tests;
  for (const std::string& path : a.tests) tests.push_back(read_test_set(path, a.reverse, a.out));
  const int threads =
      std::max(1, a.threads > 0 ? a.threads : int(std::thread::hardware_concurrency()));
  const int per_child = std::max(1, threads / std::max(a.jobs, 1));
  const std::string child_threads = std::to_string(per_child);

  // Training: every model the same budget, `jobs` at a time.
  std::vector<ChildSpec> trainings;
  for (const Contender* c : chosen) {
    ChildSpec spec;
    spec.args = {"train", "--preset", a.size == "small" ? c->small_preset : c->tiny_preset};
    spec.args.insert(spec.args.end(), c->flags.begin(), c->flags.end());
    spec.args.insert(spec.args.end(),
                     {"--data", a.data, "--minutes", std::to_string(a.minutes), "--steps",
                      std::to_string(a.steps), "--eval-sentences", "0", "--out",
                      a.out + "/" + c->name, "--threads", child_threads, "--quiet"});
    if (!a.valid.empty()) spec.args.insert(spec.args.end(), {"--valid", a.valid});
    if (a.reverse) spec.args.push_back("--reverse");
    trainings.push_back(spec);
  }
  std::fprintf(stderr,
               "compare: training %zu models for %g minutes each, %d at a time, %d "
               "thread%s each -> %s\n",
               chosen.size(), a.minutes, a.jobs, per_child, per_child == 1 ? "" : "s",
               a.out.c_str());
  const bool terminal = ::isatty(STDERR_FILENO);
  int ticks = 0;
  const auto show_progress = [&] {
    ++ticks;
    if (!terminal && ticks % 60 != 0) return;  // a log gets a plain line a minute
    std::string line;
    for (const Contender* c : chosen)
      line += std::string(line.empty() ? "" : " | ") + c->name + " " +
              training_status(a.out + "/" + c->name);
    std::fprintf(stderr, terminal ? "\r%s\033[K" : "%s\n", line.c_str());
  };
  const std::vector<ChildRun> trained = run_self_all(trainings, a.jobs, show_progress);
  if (terminal) std::fprintf(stderr, "\n");
  for (size_t i = 0; i < chosen.size(); ++i)
    if (trained[i].exit_code != 0)
      throw Error("compare: training " + std::string(chosen[i]->name) + " failed (exit " +
                  std::to_string(trained[i].exit_code) + ")");

  // Translation: each model, each test set, `jobs` at a time.
  std::vector<ChildSpec> translations;
  for (const Contender* c : chosen)
    for (const TestSet& t : tests)
      translations.push_back(
          {{"translate", "--model", a.out + "/" + c->name, "--input", t.source_file, "--beam",
            std::to_string(a.beam), "--batch", "32", "--truncate", "--threads", child_threads},
           a.out + "/" + c->name + "/" + t.name + ".hyp"});
  std::fprintf(stderr, "compare: translating %zu test set%s with each model (beam %lld)\n",
               tests.size(), tests.size() == 1 ? "" : "s", (long long)a.beam);
  const std::vector<ChildRun> translated = run_self_all(translations, a.jobs);

  std::vector<ContenderResult> results;
  for (size_t i = 0; i < chosen.size(); ++i) {
    const std::string dir = a.out + "/" + chosen[i]->name;
    ContenderResult r = training_result(chosen[i]->name, chosen[i]->description, dir, trained[i]);
    for (size_t k = 0; k < tests.size(); ++k) {
      const ChildRun& run = translated[i * tests.size() + k];
      if (run.exit_code != 0)
        throw Error("compare: " + std::string(chosen[i]->name) + " failed to translate " +
                    tests[k].name + " (exit " + std::to_string(run.exit_code) + ")");
      r.tests.push_back(test_result(tests[k].name, tests[k].sources, tests[k].references,
                                    dir + "/" + tests[k].name + ".hyp", run));
    }
    results.push_back(std::move(r));
  }
  const CompareSetup setup{a.minutes, per_child, a.jobs, a.beam, a.size};
  write_file_atomic(a.out + "/compare.json", json_text(compare_json(results, setup), 1) + "\n");
  const std::string table = compare_markdown(results, setup);
  write_file_atomic(a.out + "/compare.md", table);
  for (const TestSet& t : tests) {
    write_file_atomic(a.out + "/" + t.name + "_bleu_by_length.svg",
                      quality_by_length_chart(results, t.name, LengthChartMetric::kBleu));
    write_file_atomic(a.out + "/" + t.name + "_chrf_by_length.svg",
                      quality_by_length_chart(results, t.name, LengthChartMetric::kChrf));
  }
  std::printf("%s\nwrote %s/compare.md, compare.json and <test>_{bleu,chrf}_by_length.svg\n",
              table.c_str(), a.out.c_str());
}

}  // namespace

void add_compare_command(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "train several translators on the same data for the same time and compare them (seed "
      "001's table and chart)");
  cmd->footer(
      "Each model trains with its preset (--size small: nmt-small / rnn-small; tiny: nmt-tiny /\n"
      "rnn-tiny) for --minutes of wall time on --data (validation loss only, so evaluation\n"
      "costs each model little of its budget), then translates every --test file's sources\n"
      "with beam search. --out gets each model's run directory and translations, compare.md\n"
      "(the table), compare.json and <test>_bleu_by_length.svg / _chrf_by_length.svg (quality\n"
      "against source length, one line per model). --jobs runs models side by side with --threads "
      "split\n"
      "between them. Models: transformer, gru-bahdanau, gru-none, gru-luong, lstm-bahdanau,\n"
      "lstm-none.");
  cmd->add_option("--data", args->data, "training pairs (source<TAB>target)")->required();
  cmd->add_option("--valid", args->valid, "validation pairs (default: part of --data)");
  cmd->add_option("--test", args->tests, "a test set (source<TAB>reference); repeatable")
      ->required();
  cmd->add_option("--minutes", args->minutes, "wall-clock training budget of each model")
      ->required();
  cmd->add_option("--out", args->out, "output directory")->required();
  cmd->add_option("--models", args->models, "comma-separated models")
      ->delimiter(',')
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->capture_default_str();
  cmd->add_option("--size", args->size, "small or tiny presets")->capture_default_str();
  cmd->add_option("--steps", args->steps, "a step limit as well as the time budget")
      ->capture_default_str();
  cmd->add_option("--beam", args->beam, "beam size for the test translations")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "threads in all (default: every core)");
  cmd->add_option("--jobs", args->jobs, "models trained (and test sets translated) at once")
      ->capture_default_str();
  cmd->add_flag("--reverse", args->reverse, "the second column is the source");
  cmd->callback([args] { run_compare(*args); });
}

}  // namespace dikkat
