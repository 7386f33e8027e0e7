#include "run/train_config.h"

#include <nlohmann/json.hpp>

#include "error.h"
#include "io/json_field.h"
#include "io/json_number.h"

namespace dikkat {

int64_t TrainConfig::bpe_vocab_size() const {
  const std::string n = tokenizer.starts_with("bpe:") ? tokenizer.substr(4) : "";
  if (n.empty() || n.size() > 9 || n.find_first_not_of("0123456789") != std::string::npos ||
      std::stoll(n) < 256)
    throw Error("--tokenizer " + tokenizer + ": bpe:N needs a vocabulary size N of at least 256");
  return std::stoll(n);
}

void TrainConfig::validate() const {
  auto require = [](bool ok, const std::string& what) {
    if (!ok) throw Error("train config: " + what);
  };
  require(!tokenizer.empty(), "tokenizer must be text, seed, bpe:N or a tokenizer file");
  if (tokenizer.starts_with("bpe:")) bpe_vocab_size();
  require(batch_size >= 1, "batch_size must be at least 1");
  require(steps >= 0, "steps must not be negative");
  require(lr > 0.0f && min_lr >= 0.0f && min_lr <= lr, "need 0 <= min_lr <= lr and lr > 0");
  require(schedule == "cosine" || schedule == "constant" || schedule == "inverse-sqrt",
          "schedule must be cosine, constant or inverse-sqrt, got '" + schedule + "'");
  require(batch_tokens >= 1, "batch_tokens must be at least 1");
  require(eval_sentences >= 0, "eval_sentences must be >= 0");
  require(minutes >= 0, "minutes must be >= 0");
  require(warmup_steps >= 0 && decay_steps >= 0, "warmup_steps and decay_steps must be >= 0");
  require(beta1 >= 0.0f && beta1 < 1.0f && beta2 >= 0.0f && beta2 < 1.0f,
          "beta1 and beta2 must be in [0, 1)");
  require(weight_decay >= 0.0f && grad_clip >= 0.0f, "weight_decay and grad_clip must be >= 0");
  require(val_fraction > 0.0f && val_fraction < 1.0f, "val_fraction must be in (0, 1)");
  require(eval_every >= 0 && save_every >= 0 && snapshot_every >= 0,
          "eval_every, save_every and snapshot_every must be >= 0");
  require(mask_fraction > 0.0f && mask_fraction < 1.0f, "mask_fraction must be in (0, 1)");
  require(examples == "lines" || examples == "windows",
          "examples must be lines or windows, got '" + examples + "'");
  require(eval_batches >= 1, "eval_batches must be at least 1");
  require(sample_tokens >= 0, "sample_tokens must be >= 0");
  require(init_std > 0.0f, "init_std must be positive");
  require(precision == "fp32" || precision == "bf16",
          "precision must be fp32 or bf16, got '" + precision + "'");
  require(on_nan == "stop" || on_nan == "skip",
          "on_nan must be stop or skip, got '" + on_nan + "'");
}

void to_json(nlohmann::json& j, const TrainConfig& c) {
  j = {{"data", c.data},
       {"valid", c.valid},
       {"reverse", c.reverse},
       {"skip_bad_lines", c.skip_bad_lines},
       {"batch_tokens", c.batch_tokens},
       {"eval_sentences", c.eval_sentences},
       {"mask_fraction", json_number(c.mask_fraction)},
       {"examples", c.examples},
       {"tokenizer", c.tokenizer},
       {"init_from", c.init_from},
       {"init_from_step", c.init_from_step},
       {"freeze", c.freeze},
       {"batch_size", c.batch_size},
       {"steps", c.steps},
       {"lr", json_number(c.lr)},
       {"min_lr", json_number(c.min_lr)},
       {"schedule", c.schedule},
       {"warmup_steps", c.warmup_steps},
       {"decay_steps", c.decay_steps},
       {"beta1", json_number(c.beta1)},
       {"beta2", json_number(c.beta2)},
       {"adam_eps", json_number(c.adam_eps)},
       {"weight_decay", json_number(c.weight_decay)},
       {"grad_clip", json_number(c.grad_clip)},
       {"val_fraction", json_number(c.val_fraction)},
       {"eval_every", c.eval_every},
       {"eval_batches", c.eval_batches},
       {"save_every", c.save_every},
       {"snapshot_every", c.snapshot_every},
       {"sample_tokens", c.sample_tokens},
       {"init_std", json_number(c.init_std)},
       {"precision", c.precision},
       {"on_nan", c.on_nan},
       {"minutes", c.minutes},
       {"seed", c.seed}};
}

void from_json(const nlohmann::json& j, TrainConfig& c) {
  if (!j.is_object()) throw Error("train config: expected a JSON object");
  read_json_field(j, "data", c.data, "train config");
  read_json_field(j, "valid", c.valid, "train config");
  read_json_field(j, "reverse", c.reverse, "train config");
  read_json_field(j, "skip_bad_lines", c.skip_bad_lines, "train config");
  read_json_field(j, "batch_tokens", c.batch_tokens, "train config");
  read_json_field(j, "eval_sentences", c.eval_sentences, "train config");
  read_json_field(j, "mask_fraction", c.mask_fraction, "train config");
  read_json_field(j, "examples", c.examples, "train config");
  read_json_field(j, "tokenizer", c.tokenizer, "train config");
  read_json_field(j, "init_from", c.init_from, "train config");
  read_json_field(j, "init_from_step", c.init_from_step, "train config");
  read_json_field(j, "freeze", c.freeze, "train config");
  read_json_field(j, "batch_size", c.batch_size, "train config");
  read_json_field(j, "steps", c.steps, "train config");
  read_json_field(j, "lr", c.lr, "train config");
  read_json_field(j, "min_lr", c.min_lr, "train config");
  read_json_field(j, "schedule", c.schedule, "train config");
  read_json_field(j, "warmup_steps", c.warmup_steps, "train config");
  read_json_field(j, "decay_steps", c.decay_steps, "train config");
  read_json_field(j, "beta1", c.beta1, "train config");
  read_json_field(j, "beta2", c.beta2, "train config");
  read_json_field(j, "adam_eps", c.adam_eps, "train config");
  read_json_field(j, "weight_decay", c.weight_decay, "train config");
  read_json_field(j, "grad_clip", c.grad_clip, "train config");
  read_json_field(j, "val_fraction", c.val_fraction, "train config");
  read_json_field(j, "eval_every", c.eval_every, "train config");
  read_json_field(j, "eval_batches", c.eval_batches, "train config");
  read_json_field(j, "save_every", c.save_every, "train config");
  read_json_field(j, "snapshot_every", c.snapshot_every, "train config");
  read_json_field(j, "sample_tokens", c.sample_tokens, "train config");
  read_json_field(j, "init_std", c.init_std, "train config");
  read_json_field(j, "precision", c.precision, "train config");
  read_json_field(j, "on_nan", c.on_nan, "train config");
  read_json_field(j, "minutes", c.minutes, "train config");
  read_json_field(j, "seed", c.seed, "train config");
}

}  // namespace dikkat
