#pragma once
// Translation's data: sentence pairs from tab-separated files, encoded with the run's byte-level
// BPE; the source gets an end token, the decoder reads <end> + target and predicts target + <end>
// (fairseq's convention: one <|endoftext|> token starts and ends sentences). Batches come from
// length-sorted pairs by a token budget (train/pair_batches.h), so step n's batch depends on n
// alone; padded target positions are left out of the loss. Pairs longer than the context are left
// out of training, and counted.
#include <vector>

#include "train/pair_batches.h"
#include "train/parallel_corpus.h"
#include "train/training_task.h"

namespace dikkat {

// The run's pairs as text: training, and validation from --valid or else the last val_fraction of
// the training file. `skipped` counts malformed lines left out (with skip_bad_lines).
void read_run_pairs(const TrainConfig& config, std::vector<SentencePair>& train,
                    std::vector<SentencePair>& valid, int64_t& skipped);

struct EncodedPair {
  std::vector<int32_t> source, target;  // without the end token
};

class TranslationTask final : public TrainingTask {
 public:
  TranslationTask(const RunConfig& config, const Tokenizer& tokenizer);

  std::string describe() const override;
  void train_batch(int64_t step, std::mt19937_64& rng, Batch& batch) const override;
  int64_t batch_tokens(const Batch& batch) const override;
  float evaluate(const Model& model, Split split, std::mt19937_64& rng,
                 const std::string& progress_label) const override;
  nlohmann::json quality(const Model& model) const override;
  std::string sample(const Model& model) const override;
  int64_t validation_pairs() const { return int64_t(valid_.size()); }
  int64_t validation_tokens() const;  // target tokens with their end tokens

 private:
  void assemble(const std::vector<EncodedPair>& pairs, std::span<const int32_t> rows,
                Batch& batch) const;
  // Mean loss per target token over batches of pairs.
  float mean_loss(const Model& model, const std::vector<EncodedPair>& pairs,
                  const std::vector<std::vector<int32_t>>& batches,
                  const std::string& progress_label) const;

  const RunConfig& config_;
  const Tokenizer& tokenizer_;
  int32_t end_token_;
  std::vector<EncodedPair> train_, valid_;
  std::vector<SentencePair> valid_text_;  // the validation pairs as text, for BLEU and chrF
  int64_t too_long_ = 0, skipped_ = 0, train_tokens_ = 0;
  std::unique_ptr<PairBatches> train_batches_, valid_batches_;
};

}  // namespace dikkat
