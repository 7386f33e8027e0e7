#pragma once
// The training loop: batches, forward, loss, backward, clipping, AdamW, schedule, evaluation,
// samples, metrics.jsonl and checkpoints (see io/checkpoint.h for the directory layout).
#include <memory>
#include <optional>
#include <string>

#include "run/checkpoint.h"
#include "tensor/graph.h"
#include "train/adamw.h"
#include "train/freeze.h"
#include "train/optimizer_shards.h"
#include "train/progress.h"
#include "train/train_state.h"
#include "train/training_task.h"

namespace dikkat {

struct TrainerOptions {
  std::string out_dir;
  bool quiet = false;
  int64_t log_every = 10;  // plain progress lines in logs; metrics.jsonl gets every step
  // Several ranks: ZeRO-1, each rank keeping and updating only its share of AdamW's state
  // (train/optimizer_shards.h). Checkpoints stay unsharded.
  bool shard_optimizer = false;
};

struct TrainSummary {
  int64_t step;
  float train_loss;  // evaluated on eval_batches training batches
  float val_loss;
  double seconds;
  double step_seconds;  // the training steps alone (no evaluation, samples or checkpoints)
  double allreduce_seconds = 0.0;  // of step_seconds: averaging gradients over the ranks
};

class Trainer {
 public:
  // A new run in `options.out_dir` (created; Error if it already holds a model). The vocabulary
  // comes from the data (or is seed 003's alphabet); vocab_size is set from it. With
  // config.train.init_from, the tokenizer and the step-0 weights are that model's instead
  // (train/fine_tune.h). The groups config.train.freeze names are not trained (train/freeze.h).
  static std::unique_ptr<Trainer> start(RunConfig config, const TrainerOptions& options);
  // Continues the run saved in `options.out_dir`. `steps` (when given) extends or shortens it;
  // `data` (when given) replaces the saved data path.
  static std::unique_ptr<Trainer> resume(const TrainerOptions& options,
                                         std::optional<int64_t> steps,
                                         std::optional<std::string> data);

  TrainSummary run();
  const Model& model() const { return *model_; }
  const Tokenizer& tokenizer() const { return tokenizer_; }
  // The floats of AdamW state (both moments) this process keeps.
  int64_t optimizer_state_floats() const;

 private:
  Trainer(RunConfig config, Tokenizer tokenizer, TrainerOptions options);
  float evaluate(Split split);
  void save_checkpoint();
  // Every rank calls it; rank 0 writes (with the other ranks' optimizer shards sent to it).
  void save_checkpoint_on_root();
  void append_metrics(const std::string& line);
  // A short generation (a translation for a translator) shown at each evaluation; empty when
  // the task has none.
  std::string sample();

  RunConfig config_;
  Tokenizer tokenizer_;
  TrainerOptions options_;
  std::unique_ptr<Model> model_;
  std::unique_ptr<AdamW> optimizer_;
  std::unique_ptr<OptimizerShards> shards_;  // ZeRO-1 on several ranks; null otherwise
  FreezeCounts freeze_;
  std::unique_ptr<TrainingTask> task_;
  TrainingRngs rngs_;
  int64_t step_ = 0;
  bool continuing_ = false;  // resumed from a saved training state
  ProgressPrinter progress_;
  MatmulPrecision precision_;  // config's precision, or fp32 where the CPU lacks bf16
};

}  // namespace dikkat
