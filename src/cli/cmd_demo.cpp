// dikkat demo: the README's main job. Trains the `demo` preset on the bundled Turkish corpus
// (about a minute on 2 cores), then shows what the model learned: the loss before and after,
// and continuations of a few prompts from the untrained and the trained model.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "cli/threads.h"
#include "error.h"
#include "generate/text_generator.h"
#include "io/checkpoint.h"
#include "tokenize/utf8.h"
#include "train/presets.h"
#include "train/trainer.h"

namespace dikkat {

namespace {

struct DemoArgs {
  std::string data = std::string(DIKKAT_SOURCE_DIR) + "/data/demo/turkce.txt";
  std::string out = "runs/demo";
  int64_t steps = 0;
  int threads = 1;
};

void print_continuation(const Gpt& model, const CharTokenizer& tok, const std::string& prompt,
                        float temperature, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string text;
  generate_tokens(model, tok.encode(decode_utf8(prompt, "prompt"), "prompt"), 160,
                  {.temperature = temperature}, rng,
                  [&](int32_t id) { text += tok.decode_one(id); });
  for (char& c : text)
    if (c == '\n') c = ' ';
  std::printf("  [%s]%s\n", prompt.c_str(), text.c_str());
}

void run_demo(const DemoArgs& a) {
  apply_threads(a.threads);
  namespace fs = std::filesystem;
  // Only a directory dikkat itself wrote is replaced; anything else is left alone.
  if (fs::exists(a.out)) {
    if (!fs::exists(join_path(a.out, "config.json")))
      throw Error(a.out + ": exists and is not a dikkat run; choose another --out");
    fs::remove_all(a.out);
  }
  const Preset& preset = find_preset("demo");
  RunConfig config{preset.model, preset.train};
  config.train.data = a.data;
  if (a.steps > 0) config.train.steps = a.steps;
  std::printf("dikkat demo: a character-level GPT learns Turkish from %s\n\n", a.data.c_str());
  auto trainer = Trainer::start(config, {a.out, false, 50});
  const std::vector<std::string> prompts = {"Ali ", "Bir gün ", "Deniz "};
  std::printf("Before training, the model writes noise:\n");
  print_continuation(trainer->model(), trainer->tokenizer(), prompts[0], 1.0f, 1);
  std::printf("\n");
  const TrainSummary s = trainer->run();
  std::printf(
      "\nAfter %lld steps (%.0f s): validation loss %.3f (a uniform guess over %lld "
      "characters scores %.3f).\n",
      (long long)s.step, s.seconds, s.val_loss, (long long)trainer->tokenizer().vocab_size(),
      std::log(double(trainer->tokenizer().vocab_size())));
  for (float temperature : {0.5f, 1.0f}) {
    std::printf("\nContinuations at temperature %.1f:\n", temperature);
    for (size_t i = 0; i < prompts.size(); ++i)
      print_continuation(trainer->model(), trainer->tokenizer(), prompts[i], temperature, i + 1);
  }
  std::printf(
      "\nThe model is in %s. Try:\n  dikkat generate --model %s --prompt \"Ali \"\n"
      "  dikkat info --model %s\n",
      a.out.c_str(), a.out.c_str(), a.out.c_str());
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "train a small GPT on the bundled Turkish corpus and show what it learned");
  cmd->footer("An existing --out directory written by dikkat is replaced.");
  cmd->add_option("--data", args->data, "corpus (default: the bundled data/demo/turkce.txt)")
      ->capture_default_str();
  cmd->add_option("--out", args->out, "where the model is saved")->capture_default_str();
  cmd->add_option("--steps", args->steps, "training steps (default: the demo preset's)");
  add_threads_option(*cmd, args->threads);
  cmd->callback([args] { run_demo(*args); });
}

}  // namespace dikkat
