#include "cli/config_flags.h"

#include <algorithm>
#include <memory>
#include <type_traits>

#include "error.h"
#include "train/presets.h"

namespace dikkat {

template <typename T>
void ConfigFlags::flag(CLI::App& cmd, const std::string& name, const std::string& help,
                       std::function<void(RunConfig&, const T&)> apply) {
  auto value = std::make_shared<T>();
  CLI::Option* opt = cmd.add_option(name, *value, help)->group("Model and training overrides");
  options_.push_back(opt);
  overrides_.push_back([opt, value, apply](RunConfig& c) {
    if (opt->count() > 0) apply(c, *value);
  });
}

// --<key> for one field of the model config table: numbers and booleans parsed by CLI11, enum
// names checked here against the enum's own name table.
void ConfigFlags::add_model_flag(CLI::App& cmd, const ModelConfigField& field) {
  std::string name = std::string("--") + field.key;
  std::replace(name.begin(), name.end(), '_', '-');
  std::visit(
      [&](auto member) {
        using T = std::decay_t<decltype(RunConfig{}.model.*member)>;
        if constexpr (std::is_enum_v<T>) {
          flag<std::string>(cmd, name, field.help,
                            [member, name](RunConfig& c, const std::string& v) {
                              const auto parsed = enum_from_name(enum_names(T{}), v);
                              if (!parsed)
                                throw Error(name + ": must be " + enum_choices(enum_names(T{})) +
                                            ", got '" + v + "'");
                              c.model.*member = *parsed;
                            });
        } else {
          flag<T>(cmd, name, field.help,
                  [member](RunConfig& c, const T& v) { c.model.*member = v; });
        }
      },
      field.member);
}

void ConfigFlags::add_to(CLI::App& cmd, bool with_train_fields) {
  std::string names;
  for (const auto& p : all_presets()) names += (names.empty() ? "" : ", ") + p.name;
  preset_option_ = cmd.add_option("--preset", preset_,
                                  "starting configuration: " + names +
                                      " (with --arch alone: nmt-small for seq2seq, rnn-small for "
                                      "rnn)")
                       ->capture_default_str();
  options_.push_back(preset_option_);
  for (const ModelConfigField& field : model_config_fields()) add_model_flag(cmd, field);
  arch_option_ = cmd.get_option("--arch");
  flag<bool>(cmd, "--bias", "biases in Q/K/V, projections, FFN and LayerNorms (true/false)",
             [](RunConfig& c, const bool& v) {
               c.model.qkv_bias = c.model.proj_bias = c.model.ffn_bias = c.model.ln_bias = v;
             });
  using I = int64_t;
  flag<I>(cmd, "--layers",
          "layers on each side of an encoder-decoder (n_encoder_layer and n_layer)",
          [](RunConfig& c, const I& v) { c.model.n_encoder_layer = c.model.n_layer = v; });
  flag<std::string>(cmd, "--valid",
                    "translation: validation pairs (default: the last --val-fraction of --data)",
                    [](RunConfig& c, const std::string& v) { c.train.valid = v; });
  switch_flag(cmd, "--reverse", "translation: the second column is the source",
              [](RunConfig& c) { c.train.reverse = true; });
  switch_flag(cmd, "--skip-bad-lines",
              "translation: leave malformed lines out (and count them) instead of stopping",
              [](RunConfig& c) { c.train.skip_bad_lines = true; });
  flag<I>(cmd, "--batch-tokens", "translation: tokens per batch (rows x longest side)",
          [](RunConfig& c, const I& v) { c.train.batch_tokens = v; });
  flag<double>(cmd, "--minutes",
               "stop after this many minutes of wall time (final evaluation and checkpoint)",
               [](RunConfig& c, const double& v) { c.train.minutes = v; });
  flag<I>(cmd, "--eval-sentences",
          "translation: validation pairs translated for BLEU and chrF at each evaluation",
          [](RunConfig& c, const I& v) { c.train.eval_sentences = v; });
  if (!with_train_fields) return;
  flag<std::string>(cmd, "--tokenizer",
                    "text (the data's characters), seed (seed 003's alphabet), bpe:N (learn a "
                    "byte-level BPE of N tokens from the data) or a tokenizer.json/.tiktoken file",
                    [](RunConfig& c, const std::string& v) { c.train.tokenizer = v; });
  flag<I>(cmd, "--batch-size", "sequences per step",
          [](RunConfig& c, const I& v) { c.train.batch_size = v; });
  flag<float>(cmd, "--lr", "peak learning rate",
              [](RunConfig& c, const float& v) { c.train.lr = v; });
  flag<float>(cmd, "--min-lr", "learning rate at the end of the cosine",
              [](RunConfig& c, const float& v) { c.train.min_lr = v; });
  flag<std::string>(cmd, "--schedule", "cosine or constant",
                    [](RunConfig& c, const std::string& v) { c.train.schedule = v; });
  flag<I>(cmd, "--warmup-steps", "linear warm-up steps",
          [](RunConfig& c, const I& v) { c.train.warmup_steps = v; });
  flag<I>(cmd, "--decay-steps", "step where the cosine reaches min-lr (default: --steps)",
          [](RunConfig& c, const I& v) { c.train.decay_steps = v; });
  flag<float>(cmd, "--weight-decay", "AdamW decoupled weight decay on matrices",
              [](RunConfig& c, const float& v) { c.train.weight_decay = v; });
  flag<float>(cmd, "--beta1", "AdamW beta1",
              [](RunConfig& c, const float& v) { c.train.beta1 = v; });
  flag<float>(cmd, "--beta2", "AdamW beta2",
              [](RunConfig& c, const float& v) { c.train.beta2 = v; });
  flag<float>(cmd, "--grad-clip", "global gradient norm limit (0: off)",
              [](RunConfig& c, const float& v) { c.train.grad_clip = v; });
  flag<float>(cmd, "--val-fraction", "share of the text held out for validation",
              [](RunConfig& c, const float& v) { c.train.val_fraction = v; });
  flag<I>(cmd, "--eval-every", "evaluate (and sample) every N steps; 0: only at the end",
          [](RunConfig& c, const I& v) { c.train.eval_every = v; });
  flag<I>(cmd, "--eval-batches", "batches per evaluation",
          [](RunConfig& c, const I& v) { c.train.eval_batches = v; });
  flag<I>(cmd, "--save-every", "checkpoint every N steps (default: at each evaluation)",
          [](RunConfig& c, const I& v) { c.train.save_every = v; });
  flag<I>(cmd, "--sample-tokens", "length of the sample printed at each evaluation",
          [](RunConfig& c, const I& v) { c.train.sample_tokens = v; });
  flag<I>(cmd, "--snapshot-every",
          "also keep the weights every N steps in snapshots/step_N.safetensors, for attention "
          "--step and the page's training-step slider (weights only: each costs the size of "
          "model.safetensors, 4 bytes per parameter)",
          [](RunConfig& c, const I& v) { c.train.snapshot_every = v; });
  flag<float>(cmd, "--mask-fraction",
              "masked language models: the share of tokens chosen for prediction (BERT's 0.15)",
              [](RunConfig& c, const float& v) { c.train.mask_fraction = v; });
  flag<std::string>(cmd, "--examples",
                    "masked language models: lines (each line of the text an example) or "
                    "windows (the token stream cut to the context)",
                    [](RunConfig& c, const std::string& v) { c.train.examples = v; });
  flag<std::string>(cmd, "--precision",
                    "matrix multiplies in fp32 (default) or bf16 (mixed precision: fp32 master "
                    "weights and accumulation; fp32 on CPUs without bf16 instructions)",
                    [](RunConfig& c, const std::string& v) { c.train.precision = v; });
  flag<std::string>(cmd, "--on-nan",
                    "a NaN or infinite loss or gradient: stop (default; the last checkpoint stays "
                    "intact) or skip the batch (marked \"skipped\" in metrics.jsonl)",
                    [](RunConfig& c, const std::string& v) { c.train.on_nan = v; });
  flag<float>(cmd, "--init-std", "std of the GPT-2 normal initialisation",
              [](RunConfig& c, const float& v) { c.train.init_std = v; });
  flag<std::string>(cmd, "--freeze",
                    "parameter groups not to train, comma-separated: embeddings (token and "
                    "learned position tables; a tied head with them), blocks:N (the first N "
                    "blocks of every stack), head (an untied output layer)",
                    [](RunConfig& c, const std::string& v) { c.train.freeze = v; });
}

void ConfigFlags::switch_flag(CLI::App& cmd, const std::string& name, const std::string& help,
                              std::function<void(RunConfig&)> apply) {
  CLI::Option* opt = cmd.add_flag(name, help)->group("Model and training overrides");
  options_.push_back(opt);
  overrides_.push_back([opt, apply](RunConfig& c) {
    if (opt->count() > 0) apply(c);
  });
}

bool ConfigFlags::any_given() const {
  for (const CLI::Option* opt : options_)
    if (opt->count() > 0) return true;
  return false;
}

RunConfig ConfigFlags::resolve() const {
  // --arch alone starts from that architecture's preset rather than a GPT's.
  const bool arch_only = preset_option_->count() == 0 && arch_option_ && arch_option_->count() > 0;
  const auto arch =
      arch_only ? enum_from_name(kArchNames, arch_option_->as<std::string>()) : std::nullopt;
  const Preset& p = arch ? default_preset(*arch) : find_preset(preset_);
  return apply_to({p.model, p.train});
}

RunConfig ConfigFlags::apply_to(RunConfig base) const {
  for (const auto& apply : overrides_) apply(base);
  return base;
}

}  // namespace dikkat
