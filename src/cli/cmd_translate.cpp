// dikkat translate: sentences through an encoder-decoder model, greedy or beam search, in
// batches; with --ref, the translations are scored as sacreBLEU would score them.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/threads.h"
#include "error.h"
#include "generate/translator.h"
#include "run/checkpoint.h"
#include "score/corpus_scores.h"
#include "score/sentence_file.h"

namespace dikkat {

namespace {

struct TranslateArgs {
  std::string model, text, input, ref;
  TranslateOptions options;
  int64_t batch = 32;
  bool truncate = false;
  int threads = 0;
};

// The model's end-of-sentence token: byte-level BPE's <|endoftext|>, the token translation
// models are trained with.
int32_t end_token(const LoadedModel& m, const std::string& dir) {
  const auto eos = m.tokenizer.end_of_text();
  if (!eos) throw Error(dir + ": its tokenizer has no <|endoftext|> token to end a sentence");
  return *eos;
}

void run_translate(TranslateArgs a) {
  apply_threads(a.threads);
  if (a.text.empty() == a.input.empty()) throw Error("give exactly one of --text or --input FILE");
  if (a.options.beam < 1)
    throw Error("--beam must be at least 1, got " + std::to_string(a.options.beam));
  const LoadedModel m = load_model_dir(a.model);
  if (!m.model->translation_decoder())
    throw Error(a.model + ": a language model does not translate (use dikkat generate)");
  const int32_t eos = end_token(m, a.model);
  const std::vector<std::string> lines =
      a.input.empty() ? std::vector<std::string>{a.text} : read_sentence_file(a.input);
  std::vector<std::vector<std::string>> refs;
  if (!a.ref.empty()) {
    refs.push_back(read_sentence_file(a.ref));
    if (refs[0].size() != lines.size())
      throw Error("--ref " + a.ref + ": " + std::to_string(refs[0].size()) + " lines, but " +
                  std::to_string(lines.size()) + " sentences to translate");
  }
  const std::string what = a.input.empty() ? std::string("--text") : a.input;
  const int64_t capacity = m.config.model.context;
  std::vector<std::vector<int32_t>> sources;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string where = a.input.empty() ? what : what + ":" + std::to_string(i + 1);
    sources.push_back(m.tokenizer.encode(lines[i], where));
    const int64_t tokens = int64_t(sources.back().size());
    if (tokens + 1 <= capacity) continue;
    if (!a.truncate)
      throw Error(where + ": " + std::to_string(tokens) +
                  " tokens (and the end token) exceed the model's context of " +
                  std::to_string(capacity) + " (--truncate cuts such sentences)");
    std::fprintf(stderr, "warning: %s: %lld tokens cut to the first %lld (the model's context)\n",
                 where.c_str(), (long long)tokens, (long long)(capacity - 1));
    sources.back().resize(size_t(capacity - 1));
  }
  std::vector<std::string> out;
  const bool terminal = ::isatty(STDERR_FILENO) != 0 && lines.size() > 1;
  const auto start = std::chrono::steady_clock::now();
  for (const auto& target :
       translate_in_batches(*m.model, sources, eos, a.options, a.batch, [&](size_t done) {
         if (!terminal) return;
         const double seconds =
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
         const double rate = double(done) / seconds;
         std::fprintf(stderr, "\rtranslated %zu / %zu sentences, %.1f sentences/s, %.0f s left   ",
                      done, lines.size(), rate, double(lines.size() - done) / rate);
       }))
    out.push_back(m.tokenizer.decode_text(target));
  if (terminal) std::fputs("\n", stderr);
  for (const std::string& line : out) {
    std::string one_line = line;
    std::replace(one_line.begin(), one_line.end(), '\n', ' ');
    std::printf("%s\n", one_line.c_str());
  }
  if (!refs.empty()) {
    const ScoreOptions options;
    for (const std::string& line : score_lines(score_corpus(out, refs, options), options))
      std::fprintf(stderr, "%s\n", line.c_str());
  }
}

}  // namespace

void add_translate_command(CLI::App& app) {
  auto args = std::make_shared<TranslateArgs>();
  CLI::App* cmd =
      app.add_subcommand("translate", "translate sentences with an encoder-decoder model");
  cmd->footer(
      "--input FILE translates each line (one output line per input line, in order). Sentences\n"
      "longer than the model's context are an error naming the line, or with --truncate are cut\n"
      "to the context with a warning naming the line. Byte-level BPE encodes any\n"
      "text, so unknown characters never fail. With --ref, BLEU and chrF (sacreBLEU's defaults)\n"
      "go to stderr after the translations.");
  cmd->add_option("--model", args->model, "model directory written by dikkat train --arch seq2seq")
      ->required();
  cmd->add_option("--text", args->text, "one sentence to translate");
  cmd->add_option("--input", args->input, "a file of sentences, one per line");
  cmd->add_option("--beam", args->options.beam, "beam size (1: greedy)")->capture_default_str();
  cmd->add_option("--length-penalty", args->options.length_penalty,
                  "hypotheses score log P / length^A")
      ->capture_default_str();
  cmd->add_option("--max-len", args->options.max_len,
                  "most target tokens per sentence (default: 2 x source + 10, within the context)");
  cmd->add_option("--batch", args->batch, "sentences translated together")->capture_default_str();
  cmd->add_option("--ref", args->ref, "reference translations, one per line: score them");
  cmd->add_flag("--truncate", args->truncate,
                "cut a sentence longer than the context to its first tokens (with a warning naming "
                "the line) instead of stopping");
  add_threads_option(*cmd, args->threads);
  cmd->callback([args] { run_translate(*args); });
}

}  // namespace dikkat
