// dikkat demo: the README's main job, in two parts on the bundled Turkish corpus.
//  1. Seed 003's 248-parameter mini GPT (seconds): what it learned, its 3-D embeddings before and
//     after training, and its attention table, drawn as SVGs.
//  2. A bigger character GPT (about a minute on 2 cores): the loss before and after, and
//     continuations of a few prompts from the untrained and the trained model.
// It ends with the look-inside commands to try on both models.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "cli/threads.h"
#include "draw/heatmap_svg.h"
#include "draw/scatter_svg.h"
#include "draw/terminal_heatmap.h"
#include "error.h"
#include "generate/text_generator.h"
#include "inspect/attention_maps.h"
#include "inspect/model_text.h"
#include "inspect/pca.h"
#include "inspect/token_labels.h"
#include "io/file_io.h"
#include "run/checkpoint.h"
#include "train/presets.h"
#include "train/trainer.h"

namespace dikkat {

namespace {

namespace fs = std::filesystem;

struct DemoArgs {
  std::string data = std::string(DIKKAT_SOURCE_DIR) + "/data/demo/turkce.txt";
  std::string out = "runs/demo";
  int64_t steps = 0;
  int threads = 1;
  bool no_color = false;
};

// seed 003's example sentence: exactly the 12 characters of seed248's context.
const char* kSeedSentence = "ali ata bak.";

std::string continuation(const Model& model, const Tokenizer& tok, const std::string& prompt,
                         int64_t tokens, float temperature, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string text;
  generate_tokens(model, tok.encode(prompt, "prompt"), tokens, {.temperature = temperature}, rng,
                  [&](int32_t id) { text += tok.decode_one(id); });
  for (char& c : text)
    if (c == '\n') c = ' ';
  return text;
}

RunConfig preset_config(const std::string& name, const DemoArgs& a) {
  const Preset& preset = find_preset(name);
  RunConfig config{preset.model, preset.train};
  config.train.data = a.data;
  return config;
}

// The token embedding table at step 0 and now, both projected on one basis (exact for 3 dims).
void draw_embeddings(const Model& before, const Model& after, const Tokenizer& tok,
                     const std::string& path) {
  const Tensor &b = before.token_embedding()->value, &n = after.token_embedding()->value;
  const int64_t c = n.size(1);
  std::vector<float> both(n.data.begin(), n.data.end());
  both.insert(both.end(), b.data.begin(), b.data.end());
  const PcaBasis basis = fit_pca(both.data(), int64_t(both.size()) / c, c, 3);
  ScatterPanel left{"untrained (step 0)", {}, {}}, right{"trained", {}, {}};
  for (int64_t id = 0; id < n.size(0); ++id) {
    const std::string label = visible_token(tok.decode_one(int32_t(id)));
    const auto p0 = basis.project(b.ptr() + id * c), p1 = basis.project(n.ptr() + id * c);
    left.points.push_back({label, p0[0], p0[1], p0[2]});
    right.points.push_back({label, p1[0], p1[1], p1[2]});
    right.ghosts.push_back({label, p0[0], p0[1], p0[2]});
  }
  ScatterStyle style;
  style.title = "seed248's 32 token embeddings (3 dimensions), before and after training";
  style.x_label = "dimension 1", style.y_label = "dimension 2", style.z_label = "dimension 3";
  write_file_atomic(path, scatter_svg({left, right}, 3, style));
}

void seed248_part(const DemoArgs& a, bool color) {
  const std::string dir = join_path(a.out, "seed248");
  std::printf("Part 1: seed 003's mini GPT — 1 layer, 1 head, 3 dimensions, 248 parameters\n\n");
  auto trainer = Trainer::start(preset_config("seed248", a), {dir, true, 100});
  const std::string untrained =
      continuation(trainer->model(), trainer->tokenizer(), "ali ata ", 30, 0.0f, 1);
  const TrainSummary s = trainer->run();
  const std::string trained =
      continuation(trainer->model(), trainer->tokenizer(), "ali ata ", 30, 0.0f, 1);
  std::printf(
      "  %lld parameters, %lld steps in %.1f s: validation loss %.3f (uniform guess %.3f)\n",
      (long long)trainer->model().parameter_count(), (long long)s.step, s.seconds, s.val_loss,
      std::log(32.0));
  std::printf("  greedy continuation of \"ali ata \" before training: \"%s\"\n", untrained.c_str());
  std::printf("                                     after training:  \"%s\"\n\n", trained.c_str());

  const LoadedModel m = load_model_dir(dir);
  const LoadedModel step0 = load_model_dir(dir, "model_step0.safetensors");
  draw_embeddings(*step0.model, *m.model, m.tokenizer, join_path(a.out, "seed248-embeddings.svg"));

  const InspectedText seen = inspect_text(m, kSeedSentence, "");
  const AttentionMaps maps = attention_maps(seen, seen.kinds.front());
  const std::vector<std::string>& labels = maps.row_labels;
  const float* table = maps.table(0, 0);
  std::printf("  its attention table for \"%s\" (layer 1, head 1; row = query, column = key):\n\n",
              kSeedSentence);
  TerminalTable t{labels, labels, maps.rows, maps.cols,
                  std::vector<float>(table, table + maps.rows * maps.cols)};
  std::fputs(render_value_table(t, color).c_str(), stdout);
  HeatmapStyle style;
  style.title = std::string("seed248 attention, layer 1 · head 1: \"") + kSeedSentence + "\"";
  style.x_label = "key (attended to)", style.y_label = "query (attending)";
  style.color_bar_label = "attention weight";
  write_file_atomic(
      join_path(a.out, "seed248-attention.svg"),
      heatmap_svg({"layer 1 · head 1", labels, labels, maps.rows, maps.cols, t.values}, style));
  std::printf("\n");
}

void gpt_part(const DemoArgs& a) {
  const std::string dir = join_path(a.out, "gpt");
  RunConfig config = preset_config("demo", a);
  if (a.steps > 0) config.train.steps = a.steps;
  std::printf(
      "Part 2: a character-level GPT (%lld layers, %lld heads, %lld wide) learns Turkish\n\n",
      (long long)config.model.n_layer, (long long)config.model.n_head,
      (long long)config.model.n_embd);
  auto trainer = Trainer::start(config, {dir, false, 50});
  const std::vector<std::string> prompts = {"Ali ", "Bir gün ", "Deniz "};
  std::printf(
      "Before training, the model writes noise:\n  [%s]%s\n\n", prompts[0].c_str(),
      continuation(trainer->model(), trainer->tokenizer(), prompts[0], 160, 1.0f, 1).c_str());
  const TrainSummary s = trainer->run();
  std::printf(
      "\nAfter %lld steps (%.0f s): validation loss %.3f (a uniform guess over %lld "
      "characters scores %.3f).\n",
      (long long)s.step, s.seconds, s.val_loss, (long long)trainer->tokenizer().vocab_size(),
      std::log(double(trainer->tokenizer().vocab_size())));
  for (float temperature : {0.5f, 1.0f}) {
    std::printf("\nContinuations at temperature %.1f:\n", temperature);
    for (size_t i = 0; i < prompts.size(); ++i)
      std::printf(
          "  [%s]%s\n", prompts[i].c_str(),
          continuation(trainer->model(), trainer->tokenizer(), prompts[i], 160, temperature, i + 1)
              .c_str());
  }
}

void run_demo(const DemoArgs& a) {
  apply_threads(a.threads);
  // Only a directory an earlier demo wrote is replaced; anything else is left alone.
  if (fs::exists(a.out)) {
    if (!fs::exists(join_path(a.out, "seed248/config.json")) &&
        !fs::exists(join_path(a.out, "gpt/config.json")))
      throw Error(a.out + ": exists and is not a dikkat demo; choose another --out");
    fs::remove_all(a.out);
  }
  fs::create_directories(a.out);
  std::printf("dikkat demo: two GPTs learn from %s\n\n", a.data.c_str());
  seed248_part(a, stdout_wants_color(a.no_color));
  gpt_part(a);
  const std::string gpt = join_path(a.out, "gpt"), seed = join_path(a.out, "seed248");
  std::printf(
      "\nPictures: %s/seed248-embeddings.svg and %s/seed248-attention.svg (open in a browser).\n"
      "Look inside the models:\n"
      "  dikkat generate   --model %s --prompt \"Ali \"\n"
      "  dikkat attention  --model %s --text \"Ali ata bak.\" --words --svg attention.svg\n"
      "  dikkat trace      --model %s --text \"%s\"\n"
      "  dikkat embeddings --model %s --compare 0 --svg embeddings.svg\n"
      "  dikkat probs      --model %s --text \"Ali ata \" --temperature 0.5,1,2\n"
      "  dikkat plot       --metrics %s/metrics.jsonl --svg loss.svg\n",
      a.out.c_str(), a.out.c_str(), gpt.c_str(), gpt.c_str(), seed.c_str(), kSeedSentence,
      gpt.c_str(), gpt.c_str(), gpt.c_str());
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "train two small GPTs on the bundled Turkish corpus and show what they learned");
  cmd->footer("An existing --out directory written by an earlier demo is replaced.");
  cmd->add_option("--data", args->data, "corpus (default: the bundled data/demo/turkce.txt)")
      ->capture_default_str();
  cmd->add_option("--out", args->out, "where the models and pictures are saved")
      ->capture_default_str();
  cmd->add_option("--steps", args->steps, "training steps of part 2 (default: the demo preset's)");
  cmd->add_flag("--no-color", args->no_color, "no ANSI colours in the attention table");
  add_threads_option(*cmd, args->threads);
  cmd->callback([args] { run_demo(*args); });
}

}  // namespace dikkat
