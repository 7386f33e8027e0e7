// dikkat generate: continue a prompt with a trained model, streaming tokens to stdout.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/threads.h"
#include "error.h"
#include "generate/text_generator.h"
#include "io/checkpoint.h"
#include "tokenize/utf8.h"

namespace dikkat {

namespace {

struct GenerateArgs {
  std::string model, prompt;
  int64_t tokens = 200;
  SamplingOptions sampling;
  uint64_t seed = 1337;
  bool greedy = false;
  int threads = 1;
};

void run_generate(GenerateArgs a) {
  apply_threads(a.threads);
  LoadedModel m = load_model_dir(a.model);
  if (a.prompt.empty()) throw Error("--prompt must not be empty");
  const std::vector<int32_t> prompt =
      m.tokenizer.encode(decode_utf8(a.prompt, "--prompt"), "--prompt");
  if (a.greedy) a.sampling.temperature = 0.0f;
  std::mt19937_64 rng(a.seed);
  std::fputs(a.prompt.c_str(), stdout);
  std::fflush(stdout);
  generate_tokens(*m.model, prompt, a.tokens, a.sampling, rng, [&](int32_t id) {
    std::fputs(m.tokenizer.decode_one(id).c_str(), stdout);
    std::fflush(stdout);
  });
  std::fputs("\n", stdout);
}

}  // namespace

void add_generate_command(CLI::App& app) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* cmd = app.add_subcommand("generate", "continue a prompt with a trained model");
  cmd->footer(
      "Every prompt character must be in the model's vocabulary (the characters of its training\n"
      "text); an unseen character is an error that names it. Models with a fixed alphabet\n"
      "(seed248) fold the prompt into it instead. Once the text outgrows the context the model\n"
      "sees only the last `context` tokens.");
  cmd->add_option("--model", args->model, "model directory written by dikkat train")->required();
  cmd->add_option("--prompt", args->prompt, "text to continue")->required();
  cmd->add_option("--tokens", args->tokens, "tokens to generate")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--temperature", args->sampling.temperature,
                  "softmax temperature; 0 picks the most likely token")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--top-k", args->sampling.top_k, "sample from the K most likely tokens (0: all)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--top-p", args->sampling.top_p,
                  "sample from the smallest set of tokens whose probability reaches P")
      ->check(CLI::Range(0.0f, 1.0f));
  cmd->add_flag("--greedy", args->greedy, "always the most likely token (same as --temperature 0)");
  cmd->add_option("--seed", args->seed, "random seed for sampling")->capture_default_str();
  add_threads_option(*cmd, args->threads);
  cmd->callback([args] { run_generate(*args); });
}

}  // namespace dikkat
