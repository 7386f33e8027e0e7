#include "train/train_config.h"

#include <nlohmann/json.hpp>

#include "error.h"
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
  require(schedule == "cosine" || schedule == "constant",
          "schedule must be cosine or constant, got '" + schedule + "'");
  require(warmup_steps >= 0 && decay_steps >= 0, "warmup_steps and decay_steps must be >= 0");
  require(beta1 >= 0.0f && beta1 < 1.0f && beta2 >= 0.0f && beta2 < 1.0f,
          "beta1 and beta2 must be in [0, 1)");
  require(weight_decay >= 0.0f && grad_clip >= 0.0f, "weight_decay and grad_clip must be >= 0");
  require(val_fraction > 0.0f && val_fraction < 1.0f, "val_fraction must be in (0, 1)");
  require(eval_every >= 0 && save_every >= 0, "eval_every and save_every must be >= 0");
  require(eval_batches >= 1, "eval_batches must be at least 1");
  require(sample_tokens >= 0, "sample_tokens must be >= 0");
  require(init_std > 0.0f, "init_std must be positive");
  require(on_nan == "stop" || on_nan == "skip", "on_nan must be stop or skip, got '" + on_nan + "'");
}

void to_json(nlohmann::json& j, const TrainConfig& c) {
  j = {{"data", c.data},
       {"tokenizer", c.tokenizer},
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
       {"sample_tokens", c.sample_tokens},
       {"init_std", json_number(c.init_std)},
       {"on_nan", c.on_nan},
       {"seed", c.seed}};
}

void from_json(const nlohmann::json& j, TrainConfig& c) {
  if (!j.is_object()) throw Error("train config: expected a JSON object");
  TrainConfig defaults;
  try {
    c.data = j.value("data", defaults.data);
    c.tokenizer = j.value("tokenizer", defaults.tokenizer);
    c.batch_size = j.value("batch_size", defaults.batch_size);
    c.steps = j.value("steps", defaults.steps);
    c.lr = j.value("lr", defaults.lr);
    c.min_lr = j.value("min_lr", defaults.min_lr);
    c.schedule = j.value("schedule", defaults.schedule);
    c.warmup_steps = j.value("warmup_steps", defaults.warmup_steps);
    c.decay_steps = j.value("decay_steps", defaults.decay_steps);
    c.beta1 = j.value("beta1", defaults.beta1);
    c.beta2 = j.value("beta2", defaults.beta2);
    c.adam_eps = j.value("adam_eps", defaults.adam_eps);
    c.weight_decay = j.value("weight_decay", defaults.weight_decay);
    c.grad_clip = j.value("grad_clip", defaults.grad_clip);
    c.val_fraction = j.value("val_fraction", defaults.val_fraction);
    c.eval_every = j.value("eval_every", defaults.eval_every);
    c.eval_batches = j.value("eval_batches", defaults.eval_batches);
    c.save_every = j.value("save_every", defaults.save_every);
    c.sample_tokens = j.value("sample_tokens", defaults.sample_tokens);
    c.init_std = j.value("init_std", defaults.init_std);
    c.on_nan = j.value("on_nan", defaults.on_nan);
    c.seed = j.value("seed", defaults.seed);
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("train config: a field has the wrong type (") + e.what() + ")");
  }
}

}  // namespace dikkat
