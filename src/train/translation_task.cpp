#include "train/translation_task.h"

#include <algorithm>

#include "error.h"
#include "generate/translator.h"
#include "score/corpus_scores.h"
#include "train/eval_progress.h"

namespace dikkat {

void read_run_pairs(const TrainConfig& c, std::vector<SentencePair>& train,
                    std::vector<SentencePair>& valid, int64_t& skipped) {
  const ParallelReadOptions options{.reverse = c.reverse, .skip_bad_lines = c.skip_bad_lines};
  ParallelCorpus data = read_parallel_tsv(c.data, options);
  skipped = data.skipped;
  train = std::move(data.pairs);
  if (!c.valid.empty()) {
    ParallelCorpus v = read_parallel_tsv(c.valid, options);
    skipped += v.skipped;
    valid = std::move(v.pairs);
    return;
  }
  const size_t held_out = std::max<size_t>(1, size_t(double(train.size()) * c.val_fraction));
  if (held_out >= train.size())
    throw Error(c.data + ": " + std::to_string(train.size()) +
                " pairs leave none for training after holding out validation pairs");
  valid.assign(train.end() - long(held_out), train.end());
  train.resize(train.size() - held_out);
}

TranslationTask::TranslationTask(const RunConfig& config, const Tokenizer& tokenizer)
    : config_(config), tokenizer_(tokenizer) {
  const auto eos = tokenizer.end_of_text();
  if (!tokenizer.is_bpe() || !eos)
    throw Error("--tokenizer " + config.train.tokenizer +
                ": translation needs a byte-level BPE with <|endoftext|> (use bpe:N)");
  end_token_ = *eos;
  std::vector<SentencePair> train_text;
  read_run_pairs(config.train, train_text, valid_text_, skipped_);
  const int64_t context = config.model.context;
  auto encode = [&](const std::vector<SentencePair>& from, const std::string& file,
                    std::vector<EncodedPair>& to, std::vector<SentencePair>* kept) {
    for (const auto& p : from) {
      const std::string where = file + ":" + std::to_string(p.line);
      EncodedPair e{tokenizer.encode(p.source, where), tokenizer.encode(p.target, where)};
      if (int64_t(e.source.size()) + 1 > context || int64_t(e.target.size()) + 1 > context) {
        ++too_long_;
        continue;
      }
      if (kept) kept->push_back(p);
      to.push_back(std::move(e));
    }
  };
  encode(train_text, config.train.data, train_, nullptr);
  std::vector<SentencePair> valid_kept;
  encode(valid_text_, config.train.valid.empty() ? config.train.data : config.train.valid, valid_,
         &valid_kept);
  valid_text_ = std::move(valid_kept);
  if (train_.empty() || valid_.empty())
    throw Error(config.train.data + ": no training or validation pair fits the context of " +
                std::to_string(context) + " tokens");
  auto lengths_of = [](const std::vector<EncodedPair>& pairs) {
    std::vector<PairLengths> out;
    for (const auto& p : pairs)
      out.push_back({int32_t(p.source.size() + 1), int32_t(p.target.size() + 1)});
    return out;
  };
  for (const auto& p : train_) train_tokens_ += int64_t(p.target.size()) + 1;
  train_batches_ = std::make_unique<PairBatches>(lengths_of(train_), config.train.batch_tokens,
                                                 config.train.seed);
  valid_batches_ = std::make_unique<PairBatches>(lengths_of(valid_), config.train.batch_tokens,
                                                 config.train.seed);
}

std::string TranslationTask::describe() const {
  std::string s = std::to_string(train_.size()) + " train / " + std::to_string(valid_.size()) +
                  " validation pairs (" + std::to_string(train_tokens_) + " target tokens, " +
                  std::to_string(train_batches_->batches_per_epoch()) +
                  " batches of <= " + std::to_string(config_.train.batch_tokens) +
                  " tokens an epoch)";
  if (too_long_ > 0)
    s += ", " + std::to_string(too_long_) + " pairs longer than the context left out";
  if (skipped_ > 0) s += ", " + std::to_string(skipped_) + " malformed lines skipped";
  return s + ", " + std::to_string(config_.train.steps) + " steps";
}

void TranslationTask::assemble(const std::vector<EncodedPair>& pairs, std::span<const int32_t> rows,
                               Batch& b) const {
  b.rows = int64_t(rows.size());
  b.source_time = b.time = 0;
  for (int32_t i : rows) {
    b.source_time = std::max(b.source_time, int64_t(pairs[size_t(i)].source.size()) + 1);
    b.time = std::max(b.time, int64_t(pairs[size_t(i)].target.size()) + 1);
  }
  // Padding: the end token in inputs (masked or never scored), kIgnoredTarget in targets.
  b.source.assign(size_t(b.rows * b.source_time), end_token_);
  b.inputs.assign(size_t(b.rows * b.time), end_token_);
  b.targets.assign(size_t(b.rows * b.time), kIgnoredTarget);
  b.source_lengths.clear();
  for (int64_t r = 0; r < b.rows; ++r) {
    const EncodedPair& p = pairs[size_t(rows[size_t(r)])];
    std::copy(p.source.begin(), p.source.end(), b.source.begin() + r * b.source_time);
    b.source_lengths.push_back(int32_t(p.source.size() + 1));
    std::copy(p.target.begin(), p.target.end(), b.inputs.begin() + r * b.time + 1);
    std::copy(p.target.begin(), p.target.end(), b.targets.begin() + r * b.time);
    b.targets[size_t(r * b.time) + p.target.size()] = end_token_;
  }
}

void TranslationTask::train_batch(int64_t step, std::mt19937_64&, Batch& batch) const {
  assemble(train_, train_batches_->for_step(step), batch);
}

int64_t TranslationTask::validation_tokens() const {
  int64_t n = 0;
  for (const auto& p : valid_) n += int64_t(p.target.size()) + 1;
  return n;
}

int64_t TranslationTask::batch_tokens(const Batch& batch) const {
  return std::count_if(batch.targets.begin(), batch.targets.end(),
                       [](int32_t t) { return t != kIgnoredTarget; });
}

float TranslationTask::mean_loss(const Model& model, const std::vector<EncodedPair>& pairs,
                                 const std::vector<std::vector<int32_t>>& batches,
                                 const std::string& progress_label) const {
  EvalProgress progress(progress_label, int64_t(batches.size()));
  double total = 0.0;
  int64_t tokens = 0;
  Batch batch;
  for (size_t i = 0; i < batches.size(); ++i) {
    assemble(pairs, batches[i], batch);
    Graph g = Graph::inference();
    const int64_t n = batch_tokens(batch);
    total += double(model.loss(g, batch, nullptr)->value.data[0]) * double(n);
    tokens += n;
    progress.update(int64_t(i + 1));
  }
  return float(total / double(tokens));
}

float TranslationTask::evaluate(const Model& model, Split split, std::mt19937_64& rng,
                                const std::string& progress_label) const {
  if (split == Split::kVal)
    return mean_loss(model, valid_, valid_batches_->in_length_order(), progress_label);
  // The training loss on eval_batches batches drawn from the whole training set.
  const auto& all = train_batches_->in_length_order();
  std::uniform_int_distribution<size_t> pick(0, all.size() - 1);
  std::vector<std::vector<int32_t>> chosen;
  for (int64_t i = 0; i < config_.train.eval_batches; ++i) chosen.push_back(all[pick(rng)]);
  return mean_loss(model, train_, chosen, progress_label);
}

nlohmann::json TranslationTask::quality(const Model& model) const {
  const size_t n = std::min(valid_.size(), size_t(config_.train.eval_sentences));
  if (n == 0) return nlohmann::json::object();
  std::vector<std::string> hyps;
  std::vector<std::vector<std::string>> refs(1);
  EvalProgress progress("translating validation", int64_t(n));
  constexpr size_t kBatch = 64;
  for (size_t first = 0; first < n; first += kBatch) {
    std::vector<std::vector<int32_t>> sources;
    for (size_t i = first; i < std::min(n, first + kBatch); ++i)
      sources.push_back(valid_[i].source);
    for (const auto& ids : translate(model, sources, end_token_, {})) {
      hyps.push_back(tokenizer_.decode_text(ids));
      refs[0].push_back(valid_text_[hyps.size() - 1].target);
    }
    progress.update(int64_t(hyps.size()));
  }
  const CorpusScores s = score_corpus(hyps, refs, ScoreOptions{});
  return {{"val_bleu", s.bleu->score}, {"val_chrf", s.chrf->score}};
}

std::string TranslationTask::sample(const Model& model) const {
  const auto ids = translate(model, {valid_[0].source}, end_token_, {});
  std::string text = valid_text_[0].source + "  →  " + tokenizer_.decode_text(ids[0]);
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

}  // namespace dikkat
