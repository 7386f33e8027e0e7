// dikkat eval: a model's loss, perplexity, and bits per token and per byte on a text file.
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <numbers>

#include "cli/commands.h"
#include "cli/threads.h"
#include "error.h"
#include "nn/model_task.h"
#include "run/checkpoint.h"
#include "tensor/ops.h"
#include "train/dataset.h"
#include "train/masked_lm_data.h"
#include "train/masked_lm_score.h"
#include "train/translation_task.h"

namespace dikkat {

namespace {

struct EvalArgs {
  std::string model, data, examples;
  uint64_t mask_seed = 1234;
  bool json = false;
  int threads = 1;
};

// A masked language model on a text's examples, masked as in training from a fixed seed: the
// loss over masked tokens and top-1 / top-5 accuracy, with the unigram baseline beside them.
void eval_masked_lm(const EvalArgs& a, const LoadedModel& m) {
  const MaskedLmTokens tokens = masked_lm_tokens(m.tokenizer, a.model + "/tokenizer.json");
  const std::string text = read_training_text(a.data);
  const int64_t context = m.config.model.context;
  const std::string kind = a.examples.empty() ? m.config.train.examples : a.examples;
  if (kind != "lines" && kind != "windows")
    throw Error("--examples must be lines or windows, got '" + kind + "'");
  const std::vector<std::vector<int32_t>> examples =
      kind == "windows" ? window_examples(m.tokenizer.encode(text, a.data), context, tokens)
                        : line_examples(m.tokenizer, text, context, tokens, a.data);
  if (examples.empty()) throw Error(a.data + ": no examples (every line is empty)");
  const MaskedLmScore s = score_masked_lm(*m.model, examples, m.config.train.mask_fraction,
                                          tokens, a.mask_seed, 32, a.json ? "" : "evaluating");
  if (a.json) {
    std::printf("%s\n", nlohmann::json{{"model", a.model},
                                       {"data", a.data},
                                       {"examples", s.examples},
                                       {"example_kind", kind},
                                       {"masked", s.masked},
                                       {"mask_seed", a.mask_seed},
                                       {"loss", s.loss},
                                       {"top1", s.top1},
                                       {"top5", s.top5},
                                       {"unigram_loss", s.unigram_loss},
                                       {"unigram_top1", s.unigram_top1},
                                       {"unigram_top5", s.unigram_top5}}
                            .dump()
                            .c_str());
    return;
  }
  std::printf(
      "%s on %s (%lld examples as %s, %lld masked tokens, mask seed %llu)\n"
      "                  model   unigram baseline\n"
      "  loss (nats)  %9.4f  %9.4f\n  top-1        %8.2f%%  %8.2f%%\n"
      "  top-5        %8.2f%%  %8.2f%%\n",
      a.model.c_str(), a.data.c_str(), (long long)s.examples, kind.c_str(), (long long)s.masked,
      (unsigned long long)a.mask_seed, s.loss, s.unigram_loss, 100 * s.top1, 100 * s.unigram_top1,
      100 * s.top5, 100 * s.unigram_top5);
}

// A translation model's loss on sentence pairs (source<TAB>target, as in training): the mean
// negative log-likelihood per target token, end tokens included, and its perplexity.
void eval_translation(const EvalArgs& a, const LoadedModel& m) {
  RunConfig config = m.config;
  config.train.data = config.train.valid = a.data;
  config.train.reverse = config.train.skip_bad_lines = false;
  const TranslationTask pairs(config, m.tokenizer);
  std::mt19937_64 unused(0);
  const double loss = pairs.evaluate(*m.model, Split::kVal, unused, a.json ? "" : "evaluating");
  const int64_t n = pairs.validation_pairs(), tokens = pairs.validation_tokens();
  if (a.json) {
    std::printf("%s\n", nlohmann::json{{"model", a.model},
                                       {"data", a.data},
                                       {"pairs", n},
                                       {"tokens", tokens},
                                       {"loss", loss},
                                       {"perplexity", std::exp(loss)}}
                            .dump()
                            .c_str());
    return;
  }
  std::printf(
      "%s on %s (%lld pairs, %lld target tokens)\n  loss %.4f nats/token\n"
      "  perplexity %.3f\n",
      a.model.c_str(), a.data.c_str(), (long long)n, (long long)tokens, loss, std::exp(loss));
}

// A language model's loss on a text: every token after the first predicted once.
void eval_language_model(const EvalArgs& a, const LoadedModel& m) {
  const std::vector<int32_t> tokens = m.tokenizer.encode(read_training_text(a.data), a.data);
  const int64_t t = m.config.model.context;
  if (int64_t(tokens.size()) < 2) throw Error(a.data + ": needs at least two characters");
  // Consecutive windows of up to `context` predictions cover the text once: every token after
  // the first is predicted exactly once, seeing the earlier tokens of its window.
  const int64_t n = int64_t(tokens.size()), windows_per_batch = 16;
  double total_nll = 0.0;
  int64_t predicted = 0;
  for (int64_t start = 0; start + 1 < n;) {
    const int64_t len = std::min<int64_t>(t, n - 1 - start);
    Batch batch;
    batch.time = len;
    // Full windows go in batches; a shorter final window goes alone.
    while (batch.rows < windows_per_batch && n - 1 - start >= len && start + 1 < n) {
      batch.inputs.insert(batch.inputs.end(), tokens.begin() + start, tokens.begin() + start + len);
      batch.targets.insert(batch.targets.end(), tokens.begin() + start + 1,
                           tokens.begin() + start + len + 1);
      start += len;
      ++batch.rows;
    }
    Graph g = Graph::inference();
    const float mean = m.model->loss(g, batch, nullptr)->value.data[0];
    total_nll += double(mean) * double(batch.rows * len);
    predicted += batch.rows * len;
  }
  const double loss = total_nll / double(predicted);
  // Bits per byte compare models with different tokenizers: the same text, the same bytes.
  int64_t bytes = 0;
  for (int64_t i = 1; i < n; ++i) bytes += int64_t(m.tokenizer.decode_one(tokens[i]).size());
  const double perplexity = std::exp(loss), bits_per_token = loss / std::numbers::ln2;
  const double bits_per_byte = total_nll / std::numbers::ln2 / double(bytes);
  const std::string unit = m.tokenizer.is_bpe() ? "token" : "character";
  if (a.json) {
    std::printf("%s\n", nlohmann::json{{"model", a.model},
                                       {"data", a.data},
                                       {"tokenizer", m.tokenizer.kind()},
                                       {"tokens", predicted},
                                       {"bytes", bytes},
                                       {"loss", loss},
                                       {"perplexity", perplexity},
                                       {"bits_per_token", bits_per_token},
                                       {"bits_per_byte", bits_per_byte}}
                            .dump()
                            .c_str());
  } else {
    std::printf(
        "%s on %s (%lld predicted %ss, %lld bytes)\n  loss %.4f nats/%s\n"
        "  perplexity %.3f\n  bits per %s %.4f\n  bits per byte %.4f\n",
        a.model.c_str(), a.data.c_str(), (long long)predicted, unit.c_str(), (long long)bytes, loss,
        unit.c_str(), perplexity, unit.c_str(), bits_per_token, bits_per_byte);
  }
}

void run_eval(const EvalArgs& a) {
  apply_threads(a.threads);
  const LoadedModel m = load_model_dir(a.model);
  switch (m.model->task()) {
    case ModelTask::kTranslation:
      return eval_translation(a, m);
    case ModelTask::kMaskedLanguageModel:
      return eval_masked_lm(a, m);
    case ModelTask::kLanguageModel:
      return eval_language_model(a, m);
  }
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* cmd =
      app.add_subcommand("eval", "loss, perplexity, bits per token and per byte on a text");
  cmd->add_option("--model", args->model, "model directory")->required();
  cmd->add_option("--data", args->data,
                  "UTF-8 text to score (source<TAB>target pairs for a translation model; for a "
                  "masked language model, lines masked as in training)")
      ->required();
  cmd->add_option("--examples", args->examples,
                  "masked language models: lines or windows of the file (default: as the model "
                  "was trained)");
  cmd->add_option("--mask-seed", args->mask_seed,
                  "masked language models: the seed of the masking, so scores compare")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "print one JSON object instead of text");
  add_threads_option(*cmd, args->threads);
  cmd->callback([args] { run_eval(*args); });
}

}  // namespace dikkat
