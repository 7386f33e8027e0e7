// dikkat train: train a GPT on a UTF-8 text file or a translator on sentence pairs, fine-tune a
// trained model on new data, or resume a saved run.
#include <sys/resource.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/config_flags.h"
#include "cli/threads.h"
#include "error.h"
#include "serve/web_server.h"
#include "train/distributed.h"
#include "tensor/op_profile.h"
#include "train/fine_tune.h"
#include "train/trainer.h"

namespace dikkat {

namespace {

struct TrainArgs {
  ConfigFlags config;
  std::string data, out, resume, init_from;
  int64_t steps = 0;
  uint64_t seed = 0;
  int threads = 1;
  bool quiet = false, profile = false, serve = false, shard_optimizer = false;
  int port = 8000;
  int64_t log_every = 10;
  CLI::Option *steps_opt = nullptr, *seed_opt = nullptr, *data_opt = nullptr;
  CLI::Option *preset_opt = nullptr, *tokenizer_opt = nullptr;
};

// --init-from DIR: the source run's model and training fields with the given flags applied (the
// trainer refuses those that would change the model). The preset and the tokenizer are the
// source's, so neither flag has a meaning here.
RunConfig fine_tune_config(const TrainArgs& a) {
  if (a.preset_opt->count())
    throw Error("--preset: a fine-tuning run's model is the one in --init-from " + a.init_from +
                "; give single flags (--lr, --steps, ...) to change its training");
  if (a.tokenizer_opt->count())
    throw Error("--tokenizer: a fine-tuning run keeps the tokenizer of --init-from " + a.init_from);
  if (a.data.empty()) throw Error("--init-from needs --data FILE: the text to fine-tune on");
  return a.config.apply_to(fine_tune_base(a.init_from));
}

// Where a new run writes: --out, or runs/<preset>, or <source>-finetune next to the source.
std::string default_out_dir(const TrainArgs& a) {
  if (!a.out.empty()) return a.out;
  if (a.init_from.empty()) return "runs/" + a.config.preset();
  std::string source = a.init_from;
  while (source.size() > 1 && source.back() == '/') source.pop_back();
  return source + "-finetune";
}

void run_train(const TrainArgs& a) {
  apply_threads(a.threads);
  if (a.shard_optimizer && Distributed::world().size() == 1)
    throw Error("--shard-optimizer shares AdamW's state over MPI ranks: start the run with "
                "mpirun -np N (N >= 2), or leave the flag out");
  TrainerOptions options{a.resume.empty() ? a.out : a.resume, a.quiet, a.log_every,
                         a.shard_optimizer};
  std::unique_ptr<Trainer> trainer;
  if (!a.resume.empty()) {
    if (!a.init_from.empty())
      throw Error("--init-from starts a new run and --resume continues a saved one: give one");
    if (a.config.any_given() || a.seed_opt->count() || !a.out.empty())
      throw Error(
          "--resume continues the saved configuration: only --steps, --data, "
          "--threads, --quiet and --log-every may be given with it");
    trainer = Trainer::resume(
        options, a.steps_opt->count() ? std::optional<int64_t>(a.steps) : std::nullopt,
        a.data_opt->count() ? std::optional<std::string>(a.data) : std::nullopt);
  } else {
    if (a.data.empty() && a.init_from.empty())
      throw Error("--data FILE is required (or --resume DIR)");
    RunConfig config = a.init_from.empty() ? a.config.resolve() : fine_tune_config(a);
    config.train.data = a.data;
    if (a.steps_opt->count()) config.train.steps = a.steps;
    if (a.seed_opt->count()) config.train.seed = a.seed;
    options.out_dir = default_out_dir(a);
    trainer = Trainer::start(config, options);
  }
  // --serve: the run's page (dikkat serve on its directory) while it trains, and after; on
  // rank 0 of a data-parallel run.
  const bool root = Distributed::world().is_root();
  std::unique_ptr<ViewApi> views;
  std::unique_ptr<WebServer> server;
  if (a.serve && root) {
    views = std::make_unique<ViewApi>(std::vector<std::string>{options.out_dir});
    server = std::make_unique<WebServer>(*views, WebServerOptions{"127.0.0.1", a.port, ""});
    std::printf("listening on http://127.0.0.1:%d\n", server->bind());
    std::fflush(stdout);
    server->run_in_background();
  }
  if (a.profile) OpProfile::global().enable();
  const TrainSummary s = trainer->run();
  // --profile: each rank's peak memory and optimizer state, gathered on every rank.
  Distributed& world = Distributed::world();
  std::vector<double> memory(2 * size_t(world.size()), 0.0);
  if (a.profile) {
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    memory[2 * size_t(world.rank())] = double(usage.ru_maxrss) / 1024.0;
    memory[2 * size_t(world.rank()) + 1] = 4.0 * double(trainer->optimizer_state_floats()) / (1 << 20);
    world.allreduce_sum(memory);
  }
  if (!root) return;
  if (!a.quiet)
    std::printf("done: step %lld, train loss %.4f, val loss %.4f, %.1fs -> %s\n", (long long)s.step,
                s.train_loss, s.val_loss, s.seconds, options.out_dir.c_str());
  if (Distributed::world().size() > 1 && !a.quiet)
    std::printf("data parallel over %d ranks: averaging gradients took %.1f ms a step (%.1f%% of "
                "the training steps' time)\n",
                Distributed::world().size(), 1e3 * s.allreduce_seconds / double(std::max<int64_t>(s.step, 1)),
                100.0 * s.allreduce_seconds / std::max(s.step_seconds, 1e-9));
  if (a.profile) {
    std::printf("\n%s", OpProfile::global().report(s.step_seconds).c_str());
    for (int r = 0; r < world.size(); ++r)
      std::printf("%s: peak memory %.0f MB, optimizer state %.1f MB\n",
                  world.size() > 1 ? ("rank " + std::to_string(r)).c_str() : "process",
                  memory[2 * size_t(r)], memory[2 * size_t(r) + 1]);
  }
  if (server) {
    std::printf("training done; the page stays up until this process is stopped (Ctrl-C)\n");
    std::fflush(stdout);
    server->wait();
  }
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand(
      "train",
      "train a language model on a text (a GPT, or --arch bigram), or a translator (--arch "
      "seq2seq, or the recurrent --arch rnn) on sentence pairs");
  cmd->footer(
      "The vocabulary is the set of characters in --data (the seed248 preset uses its fixed\n"
      "32-symbol alphabet instead); --tokenizer bpe:N learns a byte-level BPE of N tokens from\n"
      "the data first, and --tokenizer FILE uses a saved one (tokenizer.json or .tiktoken).\n"
      "The output directory receives config.json, tokenizer.json,\n"
      "model.safetensors, model_step0.safetensors (untrained), train_state.safetensors and\n"
      "metrics.jsonl. With --arch seq2seq or rnn, --data holds source<TAB>target lines and the\n"
      "presets nmt-tiny / nmt-small or rnn-tiny / rnn-small apply (docs/translation.md);\n"
      "--arch rnn takes --cell gru|lstm, --attention none|bahdanau|luong, --hidden, --layers\n"
      "and --bidirectional.\n"
      "Runs with the same --seed and --threads give identical losses; a run\n"
      "stopped at any moment continues exactly with --resume DIR.\n"
      "--init-from DIR fine-tunes a trained model on --data: its weights and tokenizer, its\n"
      "model and training settings (any training flag overrides them; of the model fields\n"
      "only --dropout, --label-smoothing and --context may change), a fresh optimizer and\n"
      "schedule from step 0 (docs/finetune.md). --freeze embeddings,blocks:N,head keeps\n"
      "those parameters fixed; a head tied to the embedding is frozen with embeddings.");
  args->data_opt = cmd->add_option("--data", args->data, "UTF-8 training text");
  cmd->add_option("--out", args->out, "output directory (default: runs/<preset>)");
  args->steps_opt = cmd->add_option("--steps", args->steps, "optimizer steps (default: preset's)");
  args->seed_opt = cmd->add_option("--seed", args->seed, "random seed (default: preset's, 1337)");
  cmd->add_option("--resume", args->resume, "continue the run saved in this directory");
  cmd->add_option("--init-from", args->init_from,
                  "start a new run (fine-tuning) from the weights and tokenizer of the model "
                  "in this directory");
  cmd->add_flag("--quiet", args->quiet, "print nothing but errors");
  cmd->add_flag("--serve", args->serve,
                "show the run in the web page of dikkat serve while it trains (loss curves, "
                "samples, tokens/s; the views of its latest checkpoint), on 127.0.0.1:--port");
  cmd->add_option("--port", args->port, "with --serve: the port (0: any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd->add_flag("--shard-optimizer", args->shard_optimizer,
                "with several MPI ranks: ZeRO-1, each rank keeps and updates only its share of "
                "AdamW's state, then the parameters are gathered (same losses; checkpoints stay "
                "whole)");
  cmd->add_flag("--profile", args->profile,
                "at the end, print the time per op class as a share of the training steps");
  cmd->add_option("--log-every", args->log_every,
                  "in logs (stdout not a terminal), print a progress line every N steps")
      ->capture_default_str();
  add_threads_option(*cmd, args->threads);
  args->config.add_to(*cmd, true);
  args->preset_opt = cmd->get_option("--preset");
  args->tokenizer_opt = cmd->get_option("--tokenizer");
  cmd->callback([args] { run_train(*args); });
}

}  // namespace dikkat
