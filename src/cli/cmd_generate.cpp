// dikkat generate: continue a prompt with a trained model, streaming tokens to stdout.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/threads.h"
#include "error.h"
#include "generate/decode_benchmark.h"
#include "generate/text_generator.h"
#include "nn/architectures.h"
#include "run/checkpoint.h"
#include "train/presets.h"

namespace dikkat {

namespace {

struct GenerateArgs {
  std::string model, prompt, preset;
  int64_t tokens = 200, prompt_tokens = 0;  // 0: half the context, at most 64
  int64_t samples = 1;
  bool benchmark = false, json = false;
  SamplingOptions sampling;
  uint64_t seed = 1337;
  bool greedy = false;
  int threads = 1;
};

// --benchmark: prompt and generation speed of a saved model, or of a preset's shape with random
// GPT-2-initialised weights (speed does not depend on the values).
void run_benchmark(const GenerateArgs& a) {
  if (a.model.empty() == a.preset.empty())
    throw Error("--benchmark needs exactly one of --model DIR or --preset NAME");
  std::unique_ptr<Model> random_model;
  std::unique_ptr<LoadedModel> loaded;
  const Model* model = nullptr;
  if (!a.preset.empty()) {
    random_model = make_model(find_preset(a.preset).model);
    std::mt19937_64 rng(a.seed);
    random_model->init(rng, 0.02f);
    model = random_model.get();
  } else {
    loaded = std::make_unique<LoadedModel>(load_model_dir(a.model));
    model = loaded->model.get();
  }
  const int64_t prompt_tokens =
      a.prompt_tokens ? a.prompt_tokens : std::min<int64_t>(64, model->config().context / 2);
  const DecodeTiming t = time_decoding(*model, prompt_tokens, a.tokens, 3);
  const double prompt_rate = double(t.prompt_tokens) / t.prompt_seconds;
  const double gen_rate = double(t.generated_tokens) / t.generate_seconds;
  const double gb_per_s = gen_rate * t.weight_bytes_per_token / 1e9;
  if (a.json) {
    std::printf("%s\n", nlohmann::json{{"model", a.model.empty() ? a.preset : a.model},
                                       {"parameters", model->parameter_count()},
                                       {"prompt_tokens", t.prompt_tokens},
                                       {"prompt_tokens_per_s", prompt_rate},
                                       {"generated_tokens", t.generated_tokens},
                                       {"generated_tokens_per_s", gen_rate},
                                       {"weight_gb_per_s", gb_per_s}}
                            .dump()
                            .c_str());
    return;
  }
  std::printf("%s: %lld parameters, %d threads\n",
              a.model.empty() ? a.preset.c_str() : a.model.c_str(),
              (long long)model->parameter_count(), a.threads);
  std::printf("  prompt     %5lld tokens in one pass: %10.0f tokens/s\n",
              (long long)t.prompt_tokens, prompt_rate);
  std::printf(
      "  generation %5lld tokens, KV cache:  %10.1f tokens/s  (weights streamed at %.1f GB/s)\n",
      (long long)t.generated_tokens, gen_rate, gb_per_s);
}

void run_generate(GenerateArgs a) {
  apply_threads(a.threads);
  if (a.benchmark) return run_benchmark(a);
  if (a.model.empty()) throw Error("--model is required");
  if (a.prompt.empty()) throw Error("--prompt is required (a non-empty text to continue)");
  LoadedModel m = load_model_dir(a.model);
  const std::vector<int32_t> prompt = m.tokenizer.encode(a.prompt, "--prompt");
  if (a.greedy) a.sampling.temperature = 0.0f;
  std::mt19937_64 rng(a.seed);
  if (a.samples != 1) {
    const auto all = generate_samples(*m.model, prompt, a.tokens, a.samples, a.sampling, rng,
                                      m.tokenizer.end_of_text().value_or(-1));
    for (size_t r = 0; r < all.size(); ++r)
      std::printf("%s--- sample %zu\n%s%s\n", r ? "\n" : "", r + 1, a.prompt.c_str(),
                  m.tokenizer.decode_text(all[r]).c_str());
    return;
  }
  std::fputs(a.prompt.c_str(), stdout);
  std::fflush(stdout);
  generate_tokens(
      *m.model, prompt, a.tokens, a.sampling, rng,
      [&](int32_t id) {
        std::fputs(m.tokenizer.decode_one(id).c_str(), stdout);
        std::fflush(stdout);
      },
      m.tokenizer.end_of_text().value_or(-1));
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
  cmd->add_option("--model", args->model, "model directory written by dikkat train");
  cmd->add_option("--prompt", args->prompt, "text to continue");
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
  cmd->add_option("--samples", args->samples,
                  "continuations of the prompt, generated side by side in one batch and printed "
                  "one after another")
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "random seed for sampling")->capture_default_str();
  cmd->add_flag("--benchmark", args->benchmark,
                "measure prompt and generation speed instead (random prompt of --prompt-tokens, "
                "then --tokens greedy tokens)");
  cmd->add_option("--preset", args->preset, "with --benchmark: a preset's shape, random weights");
  cmd->add_option("--prompt-tokens", args->prompt_tokens,
                  "with --benchmark: prompt length (default: half the context, at most 64)");
  cmd->add_flag("--json", args->json, "with --benchmark: one JSON line");
  add_threads_option(*cmd, args->threads);
  cmd->callback([args] { run_generate(*args); });
}

}  // namespace dikkat
