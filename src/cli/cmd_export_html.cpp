// dikkat export-html: the page of dikkat serve with every view of one text recorded inside it,
// as one HTML file that opens from disk with no server and no network.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/threads.h"
#include "io/file_io.h"
#include "serve/api_error.h"
#include "serve/export_html.h"

namespace dikkat {

namespace {

struct ExportArgs {
  std::string model, text, target, out, assets;
  bool snapshots = false;
  int threads = 1;
};

void run_export(const ExportArgs& a) {
  apply_threads(a.threads);
  ViewApi api({a.model});
  nlohmann::json recorded;
  try {
    recorded = record_views(api, a.text, a.target, a.snapshots);
  } catch (const ApiError& e) {
    // The API's messages start with the field's name; here the fields are flags.
    const std::string message = e.what();
    throw Error(!e.field().empty() && message.starts_with(e.field()) ? "--" + message : message);
  }
  write_file_atomic(a.out, export_html(recorded, a.assets));
  std::printf("wrote %s (%zu views)\n", a.out.c_str(), recorded["requests"].size());
}

}  // namespace

void add_export_html_command(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "export-html", "one self-contained HTML file with the web views of one text (no server)");
  cmd->add_option("--model", args->model, "model directory")->required();
  cmd->add_option("--text", args->text, "text to show (a translator's source sentence)")
      ->required();
  cmd->add_option("--target", args->target,
                  "translation models: the target sentence (default: the model's translation)");
  cmd->add_option("-o,--out", args->out, "HTML file to write")->required();
  cmd->add_option("--assets", args->assets, "take the page from this folder (as serve --assets)");
  cmd->add_flag("--snapshots", args->snapshots,
                "every attention table at every step the run kept (train --snapshot-every), for "
                "the page's training-step slider; without it, step 0 and the latest");
  add_threads_option(*cmd, args->threads);
  cmd->callback([args] { run_export(*args); });
}

}  // namespace dikkat
