#include "train/trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "error.h"
#include "generate/text_generator.h"
#include "io/file_io.h"
#include "nn/architectures.h"
#include "nn/model_task.h"
#include "run/snapshots.h"
#include "tensor/bf16_matmul.h"
#include "tensor/op_profile.h"
#include "tensor/ops.h"
#include "tokenize/utf8.h"
#include "train/data_parallel.h"
#include "train/distributed.h"
#include "train/fine_tune.h"
#include "train/lr_schedule.h"

namespace dikkat {

namespace fs = std::filesystem;

namespace {

// The vocabulary of a new run (TrainConfig::tokenizer): the text's characters, seed 003's
// alphabet, a byte-level BPE learned from the text now ("bpe:N", with the task's special
// tokens), or a tokenizer file.
Tokenizer make_tokenizer(const TrainConfig& tc, ModelTask task, bool quiet) {
  std::vector<std::string> special_tokens;
  const std::string text = vocabulary_text(tc, task, special_tokens);
  if (tc.tokenizer == "seed") return Tokenizer(CharTokenizer::seed_alphabet());
  if (tc.tokenizer == "text")
    return Tokenizer(CharTokenizer::from_text(decode_utf8(text, tc.data), special_tokens));
  if (!tc.tokenizer.starts_with("bpe:")) return Tokenizer(BpeTokenizer::load(tc.tokenizer));
  const int64_t vocab = tc.bpe_vocab_size();
  BpeProgressFn progress;
  if (!quiet)
    progress = [](const BpeTrainProgress& p) {
      std::fprintf(stderr, "\rlearning BPE: %lld / %lld tokens (%.0f s)", (long long)p.tokens,
                   (long long)p.target_tokens, p.seconds);
    };
  BpeTokenizer bpe = BpeTokenizer::train({text}, vocab, special_tokens, progress);
  if (!quiet)
    std::fprintf(stderr, "\rlearned a byte-level BPE of %lld tokens%20s\n",
                 (long long)bpe.vocab_size(), "");
  return Tokenizer(std::move(bpe));
}

// The precision a run asks for, unless the CPU cannot multiply bf16 in hardware: then fp32,
// said in one line (emulated bf16 would be slower than fp32 and no more useful).
MatmulPrecision choose_precision(const std::string& requested) {
  if (requested != "bf16") return MatmulPrecision::kFp32;
  if (bf16_matmul_supported()) return MatmulPrecision::kBf16;
  std::fprintf(stderr,
               "notice: --precision bf16: this CPU has no bf16 instructions (AVX512-BF16 or "
               "AMX); training in fp32\n");
  return MatmulPrecision::kFp32;
}

// Keeps the metrics lines up to `step`: after a resume the steps past the checkpoint are redone.
void truncate_metrics(const std::string& path, int64_t step) {
  if (!fs::exists(path)) return;
  std::istringstream in(read_file(path));
  std::string line, kept;
  while (std::getline(in, line)) {
    try {
      if (nlohmann::json::parse(line).value("step", int64_t(0)) > step) break;
    } catch (const nlohmann::json::exception&) {
      break;  // a line cut short by a kill: everything from here on is redone
    }
    kept += line + "\n";
  }
  write_file_atomic(path, kept);
}

// "BLEU 12.34 | chrF 40.10" from a task's quality fields.
std::string describe_quality(const nlohmann::json& quality) {
  std::string out;
  char buf[64];
  for (const auto& [key, value] : quality.items()) {
    const std::string name = key == "val_bleu" ? "BLEU" : key == "val_chrf" ? "chrF" : key;
    std::snprintf(buf, sizeof buf, "%s%s %.2f", out.empty() ? "" : " | ", name.c_str(),
                  value.get<double>());
    out += buf;
  }
  return out;
}

// Runs `f` on rank 0 only (the run directory is rank 0's); every rank then learns whether it
// worked, so an error there ends every rank instead of leaving them waiting for rank 0.
template <typename F>
void on_root_for_all(F&& f) {
  Distributed& world = Distributed::world();
  std::string failure;
  if (world.is_root()) {
    try {
      f();
    } catch (const Error& e) {
      failure = e.what();
    }
  }
  if (!world.all(failure.empty()))
    throw Error(failure.empty() ? "rank 0 failed (see its message)" : failure);
}

// Every rank must train the same model on the same data: the configuration, the data files'
// bytes and the starting weights are compared across ranks.
void check_ranks_agree(const RunConfig& config, const Model& model) {
  Distributed& world = Distributed::world();
  if (world.size() == 1) return;
  world.check_same(digest_bytes(nlohmann::json(config.train).dump() +
                                nlohmann::json(config.model).dump()),
                   "the configuration");
  uint64_t data = digest_bytes(read_file(config.train.data));
  if (!config.train.valid.empty()) data = digest_bytes(read_file(config.train.valid), data);
  world.check_same(data, "the training data (" + config.train.data + ")");
  uint64_t weights = digest_bytes("");
  for (const Parameter& p : model.parameters()) {
    const FloatBuffer& v = p.var->value.data;
    weights = digest_bytes({reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float)},
                           weights);
  }
  world.check_same(weights, "the starting weights");
}

}  // namespace

Trainer::Trainer(RunConfig config, Tokenizer tokenizer, TrainerOptions options)
    : config_(std::move(config)),
      tokenizer_(std::move(tokenizer)),
      options_(std::move(options)),
      rngs_(TrainingRngs::seeded(config_.train.seed)),
      progress_(options_.quiet || !Distributed::world().is_root(), options_.log_every),
      precision_(choose_precision(config_.train.precision)) {}

std::unique_ptr<Trainer> Trainer::start(RunConfig config, const TrainerOptions& options) {
  config.train.validate();
  // A fine-tuning run takes the source's tokenizer and weights; a new one learns its vocabulary
  // from the data and draws its weights.
  std::optional<LoadedModel> source;
  if (!config.train.init_from.empty()) {
    source = load_fine_tune_source(config.train.init_from);
    config.train.init_from_step = source->step;
  }
  Tokenizer tok = source ? source->tokenizer
                         : make_tokenizer(config.train, task_of(config.model.arch),
                                          options.quiet || !Distributed::world().is_root());
  // A fine-tuning run's vocab_size is the source's: a --vocab-size that differs is refused.
  if (source)
    check_keeps_source_config(config.train.init_from, source->config.model, config.model);
  else
    config.model.vocab_size = tok.vocab_size();
  config.model.validate();
  const std::string& out = options.out_dir;
  on_root_for_all([&] {
    if (fs::exists(join_path(out, "config.json")))
      throw Error(out + ": already holds a model (use --resume " + out +
                  " to continue it, or choose another --out)");
    if (fs::exists(out) && !fs::is_empty(out))
      throw Error(out + ": exists and is not empty; choose another --out");
  });

  std::unique_ptr<Trainer> t(new Trainer(config, std::move(tok), options));
  t->model_ = make_model(t->config_.model);
  if (source) {
    check_keeps_source_parameters(config.train.init_from, *source, *t->model_);
    copy_weights(*source->model, *t->model_);
    source.reset();
  } else {
    std::mt19937_64 init_rng(t->config_.train.seed);
    t->model_->init(init_rng, t->config_.train.init_std);
  }
  t->freeze_ = freeze_parameters(t->config_.train.freeze, *t->model_);
  t->task_ = make_training_task(t->config_, t->tokenizer_);
  t->optimizer_ = std::make_unique<AdamW>(t->model_->parameters(), t->config_.train);
  check_ranks_agree(t->config_, *t->model_);
  // The run directory appears whole or not at all: its files are written into a staging
  // directory that is renamed into place, so a kill during setup never leaves a directory that
  // looks like a run but cannot be loaded or resumed.
  on_root_for_all([&] {
    const std::string staging = out + ".partial";
    std::error_code ec;
    fs::remove_all(staging, ec);  // left by a setup that was killed
    fs::create_directories(staging, ec);
    if (ec) throw Error(staging + ": cannot create directory (" + ec.message() + ")");
    write_run_config(staging, t->config_);
    write_tokenizer(staging, t->tokenizer_);
    save_weights(join_path(staging, "model_step0.safetensors"), *t->model_, 0);
    write_file_atomic(join_path(staging, "metrics.jsonl"), "");
    fs::rename(staging, out, ec);  // replaces `out` when it is an empty directory
    if (ec) throw Error(out + ": cannot create the run directory (" + ec.message() + ")");
  });
  return t;
}

std::unique_ptr<Trainer> Trainer::resume(const TrainerOptions& options,
                                         std::optional<int64_t> steps,
                                         std::optional<std::string> data) {
  RunConfig config = read_run_config(options.out_dir);
  if (steps) config.train.steps = *steps;
  if (data) config.train.data = *data;
  config.train.validate();
  std::unique_ptr<Trainer> t(new Trainer(config, read_tokenizer(options.out_dir), options));
  t->model_ = make_model(t->config_.model);
  // A fine-tuning run's step-0 weights are already in model_step0.safetensors: --init-from is
  // never read again.
  t->freeze_ = freeze_parameters(t->config_.train.freeze, *t->model_);
  t->optimizer_ = std::make_unique<AdamW>(t->model_->parameters(), t->config_.train);
  const std::string state = join_path(options.out_dir, "train_state.safetensors");
  if (fs::exists(state)) {
    t->step_ = load_train_state(state, *t->model_, *t->optimizer_, t->rngs_);
    t->continuing_ = true;
  } else {
    // Killed before the first checkpoint: start again from the saved untrained weights.
    load_weights(join_path(options.out_dir, "model_step0.safetensors"), *t->model_);
  }
  t->task_ = make_training_task(t->config_, t->tokenizer_);
  check_ranks_agree(t->config_, *t->model_);
  on_root_for_all([&] {
    truncate_metrics(join_path(options.out_dir, "metrics.jsonl"), t->continuing_ ? t->step_ : -1);
    write_run_config(options.out_dir, t->config_);
  });
  return t;
}

float Trainer::evaluate(Split split) {
  OpProfile::Pause not_a_training_step;
  const std::string label = options_.quiet         ? ""
                            : split == Split::kVal ? "evaluating validation"
                                                   : "evaluating train";
  return task_->evaluate(*model_, split, rngs_.eval, label);
}

void Trainer::save_checkpoint() {
  save_train_state(join_path(options_.out_dir, "train_state.safetensors"), *model_, *optimizer_,
                   step_, rngs_);
  save_weights(join_path(options_.out_dir, "model.safetensors"), *model_, step_);
}

void Trainer::save_checkpoint_on_root() {
  const bool root = Distributed::world().is_root();
  if (shards_) shards_->moments_to_root(*optimizer_);
  if (root) save_checkpoint();
  if (shards_ && root) optimizer_->keep_only(shards_->mine());
}

int64_t Trainer::optimizer_state_floats() const {
  if (shards_) return shards_->owned_state_floats();
  int64_t n = 0;
  for (const Parameter& p : model_->parameters())
    if (p.var->requires_grad) n += 2 * p.var->value.numel();
  return n;
}

void Trainer::append_metrics(const std::string& line) {
  const std::string path = join_path(options_.out_dir, "metrics.jsonl");
  std::ofstream out(path, std::ios::app);
  out << line << '\n';
  out.flush();
  if (!out) throw Error(path + ": cannot append (disk full or read-only?)");
}

std::string Trainer::sample() {
  OpProfile::Pause not_a_training_step;
  return task_->sample(*model_);
}

TrainSummary Trainer::run() {
  const TrainConfig& tc = config_.train;
  Distributed& world = Distributed::world();
  // Rank 0 alone evaluates, samples and writes; the other ranks only train.
  const bool root = world.is_root();
  double allreduce_seconds = 0.0;
  if (options_.shard_optimizer && world.size() > 1 && !shards_) {
    shards_ = std::make_unique<OptimizerShards>(world, model_->parameters());
    optimizer_->keep_only(shards_->mine());
  }
  const auto start = std::chrono::steady_clock::now();
  auto seconds_since = [](auto from) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
  };
  if (!options_.quiet) {
    std::ostringstream head;
    const std::string& source = config_.train.init_from;
    head << (continuing_       ? "resuming at step " + std::to_string(step_)
             : !source.empty() ? "fine-tuning " + source + " (its step " +
                                     std::to_string(config_.train.init_from_step) + ")"
                               : std::string("training"))
         << ": " << model_->parameter_count() << " parameters";
    if (freeze_.frozen > 0)
      head << " (" << freeze_.trainable << " trainable, " << freeze_.frozen
           << " frozen: " << config_.train.freeze << ")";
    head << ", vocab " << config_.model.vocab_size << ", " << task_->describe() << " -> "
         << options_.out_dir;
    if (world.size() > 1) head << " (" << world.size() << " ranks, data parallel)";
    progress_.message(head.str());
  }
  Batch batch;
  float train_eval = NAN, val_eval = NAN;
  nlohmann::json quality = nlohmann::json::object();
  double step_seconds_avg = 0.0, total_step_seconds = 0.0;
  auto evaluate_now = [&] {
    if (!root) return;
    train_eval = evaluate(Split::kTrain);
    val_eval = evaluate(Split::kVal);
    OpProfile::Pause not_a_training_step;
    quality = task_->quality(*model_);
    if (!quality.empty()) progress_.message("  validation: " + describe_quality(quality));
  };
  if (!continuing_ && tc.eval_every > 0) {
    evaluate_now();
    nlohmann::json line = {{"step", 0}, {"train_loss", train_eval}, {"val_loss", val_eval}};
    line.update(quality);
    if (root) append_metrics(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    char text[96];
    std::snprintf(text, sizeof text, "step 0: train loss %.4f | val %.4f", train_eval, val_eval);
    progress_.message(text);
  }
  while (step_ < tc.steps) {
    const auto step_start = std::chrono::steady_clock::now();
    {
      OpTimer timer(OpClass::kData);
      task_->train_batch(step_, rngs_.batches, batch);
    }
    for (const auto& p : model_->parameters()) p.var->zero_grad();
    // Several ranks: this rank's rows of the global batch, and the share of its target tokens.
    const RowRange mine = rank_rows(batch.rows, world.rank(), world.size());
    if (world.size() > 1 && mine.count == 0)
      throw Error("step " + std::to_string(step_ + 1) + ": a batch of " +
                  std::to_string(batch.rows) + " rows cannot give each of " +
                  std::to_string(world.size()) + " ranks a row (raise --batch-size or " +
                  "--batch-tokens, or use fewer ranks)");
    const Batch sliced = world.size() > 1 ? slice_rows(batch, mine) : Batch();
    const Batch& local = world.size() > 1 ? sliced : batch;
    const double share =
        world.size() > 1 ? double(task_->batch_tokens(local)) / double(task_->batch_tokens(batch))
                         : 1.0;
    Graph g(precision_);
    if (world.size() > 1) g.set_batch_rows(mine.first, mine.count);
    Var loss = model_->loss(g, local, &rngs_.dropout);
    float loss_value = loss->value.data[0];
    if (world.size() > 1) {
      double weighted[1] = {double(loss_value) * share};
      world.allreduce_sum(weighted);
      loss_value = float(weighted[0]);
    }
    const float lr = learning_rate(tc, step_);
    // A non-finite loss or gradient never reaches the weights: the run stops with the last
    // checkpoint intact, or (--on-nan skip) this batch is left out and marked in the metrics.
    // Several ranks decide alike: the loss and the gradients are already averaged.
    std::string bad = std::isfinite(loss_value) ? "" : "the loss";
    double norm = NAN;
    double step_allreduce_seconds = 0.0;
    if (bad.empty()) {
      g.backward(loss);
      if (world.size() > 1)
        step_allreduce_seconds = allreduce_gradients(world, model_->parameters(), float(share));
      allreduce_seconds += step_allreduce_seconds;
      OpTimer timer(OpClass::kOptimizer);
      norm = global_grad_norm(model_->parameters());
      if (!std::isfinite(norm))
        bad = "the gradient of " + first_non_finite_gradient(model_->parameters());
    }
    if (!bad.empty()) {
      const std::string what = "step " + std::to_string(step_ + 1) + ": " + bad + " is not finite";
      if (tc.on_nan != "skip")
        throw Error(what +
                    "; stopped before touching the weights, the last checkpoint is intact "
                    "(--on-nan skip leaves such batches out)");
      progress_.message(what + "; batch skipped");
    } else {
      OpTimer timer(OpClass::kOptimizer);
      optimizer_->step(lr, clip_coefficient(norm, tc.grad_clip));
      if (shards_) shards_->gather_parameters();
    }
    ++step_;
    const double step_seconds = seconds_since(step_start);
    total_step_seconds += step_seconds;
    step_seconds_avg =
        step_seconds_avg == 0.0 ? step_seconds : 0.9 * step_seconds_avg + 0.1 * step_seconds;
    // A wall-clock budget ends the run early, as if --steps had been the step reached (the
    // schedule does not depend on the end for inverse-sqrt; cosine would stop part-way down).
    const int64_t tokens = task_->batch_tokens(batch);
    // Every rank stops at the same step: the one where any rank's clock ran out.
    const bool out_of_time =
        tc.minutes > 0 && !world.all(seconds_since(start) < tc.minutes * 60.0);
    const bool last = step_ == tc.steps || out_of_time;
    const bool eval_now = last || (tc.eval_every > 0 && step_ % tc.eval_every == 0);
    std::string sample_text;
    if (eval_now && root) evaluate_now(), sample_text = sample();
    nlohmann::json line = {
        {"step", step_},
        {"train_loss", loss_value},
        {"lr", lr},
        {"grad_norm", norm},
        {"tokens", tokens},
        {"batch", batch.source_time > 0 ? nlohmann::json{batch.rows, batch.source_time, batch.time}
                                        : nlohmann::json{batch.rows, batch.time}},
        {"tokens_per_s", double(tokens) / step_seconds},
        {"elapsed_s", seconds_since(start)}};
    if (eval_now) {
      line["val_loss"] = val_eval, line["eval_train_loss"] = train_eval;
      line.update(quality);
      if (!sample_text.empty()) line["sample"] = sample_text;
    }
    if (!bad.empty()) line["skipped"] = bad;
    if (world.size() > 1) line["ranks"] = world.size(), line["allreduce_s"] = step_allreduce_seconds;
    if (root) append_metrics(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    progress_.step({step_, tc.steps, loss_value,
                    eval_now ? std::optional<float>(val_eval) : std::nullopt, lr,
                    double(tokens) / step_seconds, step_seconds_avg * double(tc.steps - step_)});
    if (!sample_text.empty()) progress_.message("  sample: " + sample_text);
    const int64_t save_every = tc.effective_save_every();
    if (last || (save_every > 0 && step_ % save_every == 0)) save_checkpoint_on_root();
    if (root && tc.snapshot_every > 0 && step_ % tc.snapshot_every == 0)
      save_snapshot(options_.out_dir, *model_, step_);
    if (out_of_time) {
      progress_.message("stopped at step " + std::to_string(step_) + ": the " +
                        format_duration(tc.minutes * 60.0) + " budget (--minutes) is spent");
      break;
    }
  }
  if (std::isnan(val_eval)) evaluate_now();  // nothing left to train: report where it stands
  if (!world.all(!root || fs::exists(join_path(options_.out_dir, "model.safetensors"))))
    save_checkpoint_on_root();
  return {step_, train_eval, val_eval, seconds_since(start), total_step_seconds, allreduce_seconds};
}

}  // namespace dikkat
