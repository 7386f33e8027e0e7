#include "train/masked_lm_task.h"

#include <algorithm>

#include "error.h"
#include "train/eval_progress.h"
#include "train/masked_lm_score.h"

namespace dikkat {

MaskedLmExamples read_masked_lm_examples(const RunConfig& config, const Tokenizer& tokenizer,
                                         const MaskedLmTokens& tokens) {
  const TrainConfig& tc = config.train;
  const std::string text = read_training_text(tc.data);
  const int64_t context = config.model.context;
  std::vector<std::vector<int32_t>> all =
      tc.examples == "windows"
          ? window_examples(tokenizer.encode(text, tc.data), context, tokens)
          : line_examples(tokenizer, text, context, tokens, tc.data);
  const int64_t n = int64_t(all.size());
  const int64_t held = std::max<int64_t>(1, int64_t(double(n) * double(tc.val_fraction)));
  if (n - held < 1)
    throw Error(tc.data + ": " + std::to_string(n) + " examples are too few to hold " +
                std::to_string(held) + " out for validation (give more lines or text)");
  MaskedLmExamples e;
  e.valid.assign(std::make_move_iterator(all.end() - held), std::make_move_iterator(all.end()));
  all.resize(size_t(n - held));
  e.train = std::move(all);
  return e;
}

MaskedLmTask::MaskedLmTask(const RunConfig& config, const Tokenizer& tokenizer)
    : config_(config),
      tokenizer_(tokenizer),
      tokens_(masked_lm_tokens(tokenizer, "--tokenizer " + config.train.tokenizer)),
      examples_(read_masked_lm_examples(config, tokenizer, tokens_)) {}

std::string MaskedLmTask::describe() const {
  int64_t tokens = 0;
  for (const auto& e : examples_.train) tokens += int64_t(e.size());
  return std::to_string(examples_.train.size()) + " train / " +
         std::to_string(examples_.valid.size()) + " val examples (" + config_.train.examples +
         ", " + std::to_string(tokens) + " train tokens), " + std::to_string(config_.train.steps) +
         " steps of " + std::to_string(config_.train.batch_size) + " examples, " +
         std::to_string(int(config_.train.mask_fraction * 100 + 0.5f)) + "% masked";
}

void MaskedLmTask::random_batch(const std::vector<std::vector<int32_t>>& examples,
                                std::mt19937_64& rng, Batch& batch) const {
  std::vector<std::span<const int32_t>> chosen;
  for (int64_t r = 0; r < config_.train.batch_size; ++r)
    chosen.emplace_back(examples[size_t(rng() % examples.size())]);
  pad_examples(chosen, tokens_.pad, batch);
  mask_batch(batch, config_.train.mask_fraction, tokens_, rng);
}

void MaskedLmTask::train_batch(int64_t, std::mt19937_64& rng, Batch& batch) const {
  random_batch(examples_.train, rng, batch);
}

int64_t MaskedLmTask::batch_tokens(const Batch& batch) const {
  int64_t n = 0;
  for (int32_t length : batch.lengths) n += length;
  return n;
}

float MaskedLmTask::evaluate(const Model& model, Split split, std::mt19937_64& rng,
                             const std::string& progress_label) const {
  const auto& examples = split == Split::kTrain ? examples_.train : examples_.valid;
  const int64_t n = config_.train.eval_batches;
  EvalProgress progress(progress_label, n);
  double total = 0.0;
  int64_t masked = 0;
  for (int64_t i = 0; i < n; ++i) {
    Batch batch;
    random_batch(examples, rng, batch);
    const int64_t counted = int64_t(
        std::count_if(batch.targets.begin(), batch.targets.end(),
                      [](int32_t t) { return t != kIgnoredTarget; }));
    Graph g = Graph::inference();
    total += double(model.loss(g, batch, nullptr)->value.data[0]) * double(counted);
    masked += counted;
    progress.update(i + 1);
  }
  return float(total / double(std::max<int64_t>(masked, 1)));
}

nlohmann::json MaskedLmTask::quality(const Model& model) const {
  const int64_t n = std::min<int64_t>(config_.train.eval_sentences, int64_t(examples_.valid.size()));
  const std::vector<std::vector<int32_t>> some(examples_.valid.begin(),
                                               examples_.valid.begin() + n);
  const MaskedLmScore s = score_masked_lm(model, some, config_.train.mask_fraction, tokens_,
                                          config_.train.seed, config_.train.batch_size, "");
  return {{"val_top1", s.top1}, {"val_top5", s.top5}};
}

std::string MaskedLmTask::sample(const Model& model) const {
  // The first validation example, masked the same way at every evaluation, each masked token
  // shown as the model's guess in brackets: successive samples show what changed.
  Batch batch;
  pad_examples({examples_.valid.front()}, tokens_.pad, batch);
  std::mt19937_64 fixed(0);
  mask_batch(batch, config_.train.mask_fraction, tokens_, fixed);
  Graph g = Graph::inference();
  const Var logits = model.batch_logits(g, batch);
  const int64_t V = model.config().vocab_size;
  std::string text;
  int64_t right = 0, masked = 0;
  for (int64_t t = 0; t < batch.time; ++t) {
    const int32_t id = examples_.valid.front()[size_t(t)];
    if (id == tokens_.cls || id == tokens_.sep) continue;
    if (batch.targets[size_t(t)] == kIgnoredTarget) {
      text += tokenizer_.decode_one(id);
      continue;
    }
    const float* row = logits->value.ptr() + t * V;
    const int32_t guess = int32_t(std::max_element(row, row + V) - row);
    right += guess == id;
    ++masked;
    text.push_back('[');
    text += tokenizer_.decode_one(guess);
    text.push_back(']');
  }
  for (char& c : text)
    if (c == '\n') c = ' ';
  return text + "  (" + std::to_string(right) + "/" + std::to_string(masked) + " right)";
}

}  // namespace dikkat
