#pragma once
// Each subcommand lives in its own cmd_<name>.cpp and registers itself on the top-level app.
#include <CLI/CLI.hpp>

namespace dikkat {

void add_train_command(CLI::App& app);
void add_generate_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_info_command(CLI::App& app);
void add_demo_command(CLI::App& app);
// The look-inside commands.
void add_attention_command(CLI::App& app);
void add_trace_command(CLI::App& app);
void add_embeddings_command(CLI::App& app);
void add_probs_command(CLI::App& app);
void add_plot_command(CLI::App& app);
void add_bigram_command(CLI::App& app);
void add_fill_command(CLI::App& app);
void add_tokenizer_command(CLI::App& app);
// Translation quality: BLEU and chrF as sacreBLEU computes them.
void add_score_command(CLI::App& app);
void add_translate_command(CLI::App& app);
// The views as a local web page, and as one HTML file.
void add_serve_command(CLI::App& app);
void add_export_html_command(CLI::App& app);
// Several translators trained for the same time on the same data, side by side.
void add_compare_command(CLI::App& app);

}  // namespace dikkat
