// dikkat: build, train, run and look inside transformer language models.
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "error.h"

int main(int argc, char** argv) {
  CLI::App app{"dikkat: train, run and look inside GPT-style language models"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "dikkat 0.1.0");
  // A flag given twice takes its last value, so a script can append overrides to a command.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  dikkat::add_train_command(app);
  dikkat::add_generate_command(app);
  dikkat::add_eval_command(app);
  dikkat::add_info_command(app);
  dikkat::add_demo_command(app);
  dikkat::add_attention_command(app);
  dikkat::add_trace_command(app);
  dikkat::add_embeddings_command(app);
  dikkat::add_probs_command(app);
  dikkat::add_plot_command(app);
  dikkat::add_tokenizer_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const dikkat::Error& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "\ndikkat: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "\ndikkat: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "\ndikkat: %s\n", e.what());
    return 1;
  }
  return 0;
}
