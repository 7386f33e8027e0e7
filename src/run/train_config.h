#pragma once
// How a model is trained: batch, optimiser, schedule, evaluation, checkpoints.
// The JSON form (config.json's "train" object) uses the same field names.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace dikkat {

struct TrainConfig {
  std::string data;  // training text (UTF-8), or source<TAB>target pairs for translation
  // Translation only: validation pairs (empty: the last val_fraction of `data`'s pairs), the
  // direction (reverse: the second column is the source), malformed lines skipped rather than
  // fatal, the token budget of a batch (rows x longest side), and how many validation pairs are
  // translated for BLEU and chrF at each evaluation.
  std::string valid;
  bool reverse = false;
  bool skip_bad_lines = false;
  int64_t batch_tokens = 4096;
  int64_t eval_sentences = 200;
  // Masked language models only: the share of tokens chosen for prediction (BERT's 15%), and
  // what an example is: a line of the text ("lines") or a window of the token stream
  // ("windows"). eval_sentences also bounds the validation examples scored for accuracy.
  float mask_fraction = 0.15f;
  std::string examples = "lines";
  // "text": the characters of the data; "seed": seed 003's alphabet; "bpe:N": a byte-level BPE
  // of N tokens learned from the data; anything else: a tokenizer file (tokenizer.json or
  // .tiktoken).
  std::string tokenizer = "text";
  // A fine-tuning run (train/fine_tune.h): the run directory whose model.safetensors gave the
  // step-0 weights, and that checkpoint's step. Only a record: --resume never reads it again.
  std::string init_from;
  int64_t init_from_step = 0;
  // Parameter groups that are not trained, comma-separated (train/freeze.h); empty: none.
  std::string freeze;
  int64_t batch_size = 12;
  int64_t steps = 2000;  // optimizer updates
  float lr = 1e-3f;
  float min_lr = 1e-4f;
  // "cosine" (warm-up then cosine to min_lr), "constant", or "inverse-sqrt" (warm-up then
  // lr * sqrt(warmup / step): "Attention Is All You Need"'s schedule)
  std::string schedule = "cosine";
  int64_t warmup_steps = 100;
  int64_t decay_steps = 0;  // cosine reaches min_lr here; 0 means `steps`
  float beta1 = 0.9f;
  float beta2 = 0.99f;
  float adam_eps = 1e-8f;
  float weight_decay = 0.1f;  // decoupled (AdamW), on matrices only
  float grad_clip = 1.0f;     // global L2 norm; 0 turns clipping off
  float val_fraction = 0.1f;  // the last part of the token stream is held out
  int64_t eval_every = 250;   // 0 turns periodic evaluation off (the final one still runs)
  int64_t eval_batches = 20;
  int64_t save_every = 0;       // 0 means at every evaluation
  // Every N steps the weights are also kept as snapshots/step_<N>.safetensors (0: never), for
  // `attention --step` and the page's training-step slider.
  int64_t snapshot_every = 0;
  int64_t sample_tokens = 120;  // length of the sample printed at each evaluation
  float init_std = 0.02f;
  // Matrix multiplies of the training step: "fp32", or "bf16" (bf16 inputs, fp32 accumulation
  // and master weights; LayerNorm, softmax and the loss stay fp32). Evaluation runs in fp32.
  std::string precision = "fp32";
  double minutes = 0;           // wall-clock budget of one invocation; 0: none (stop at `steps`)
  std::string on_nan = "stop";  // a non-finite loss or gradient: "stop" the run or "skip" the batch
  uint64_t seed = 1337;

  int64_t effective_decay_steps() const { return decay_steps > 0 ? decay_steps : steps; }
  int64_t effective_save_every() const { return save_every > 0 ? save_every : eval_every; }
  void validate() const;
  // N of "bpe:N"; Error when the tokenizer is not of that form.
  int64_t bpe_vocab_size() const;  // throws Error naming the field
};

void to_json(nlohmann::json& j, const TrainConfig& c);
void from_json(const nlohmann::json& j, TrainConfig& c);

}  // namespace dikkat
