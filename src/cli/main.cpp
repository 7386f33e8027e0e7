// dikkat: build, train, run and look inside transformer models.
#include <malloc.h>

#include <climits>
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "error.h"
#include "train/distributed.h"

namespace {

// Until activations live in an arena sized once, every training step allocates and frees the
// same large buffers. glibc would hand those to mmap and back to the kernel each time, and the
// step would pay a page fault per 4 KiB again (a third of a step at context 256). Keeping freed
// memory in the heap makes the allocations of step n+1 reuse the pages of step n.
void keep_freed_memory_for_reuse() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // the largest value glibc accepts
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  mallopt(M_TOP_PAD, 64 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  keep_freed_memory_for_reuse();
  CLI::App app{
      "dikkat: train, run and look inside transformer models (GPTs and translators) and the "
      "baselines they are measured against (recurrent translators, the bigram model)"};
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
  dikkat::add_bigram_command(app);
  dikkat::add_fill_command(app);
  dikkat::add_tokenizer_command(app);
  dikkat::add_score_command(app);
  dikkat::add_translate_command(app);
  dikkat::add_compare_command(app);
  dikkat::add_serve_command(app);
  dikkat::add_export_html_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const dikkat::Error& e) {
    std::fflush(stdout);
    // Ranks of a data-parallel run fail together; rank 0 says why, once.
    if (dikkat::Distributed::launcher_rank() == 0) std::fprintf(stderr, "\ndikkat: %s\n", e.what());
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
