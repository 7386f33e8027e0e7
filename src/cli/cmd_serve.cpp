// dikkat serve: the look-inside views as a local web page (docs/serve.md), over the JSON API of
// docs/serve-api.md. Loopback by default; --port 0 takes any free port.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/threads.h"
#include "error.h"
#include "serve/web_server.h"

namespace dikkat {

namespace {

struct ServeArgs {
  std::vector<std::string> models;
  WebServerOptions server;
  int threads = 1;
};

bool loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

void run_serve(const ServeArgs& a) {
  apply_threads(a.threads);
  ViewApi api(a.models);
  api.models({});  // loads every model now, so the page's first question does not wait for it
  WebServer server(api, a.server);
  const int port = server.bind();
  if (!loopback(a.server.host))
    std::fprintf(stderr,
                 "warning: --host %s is reachable from other machines; anyone who can reach it "
                 "can run the models\n",
                 a.server.host.c_str());
  std::printf("listening on http://%s:%d\n", a.server.host.c_str(), port);
  std::fflush(stdout);
  server.run();
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "the look-inside views (attention, trace, embeddings, next token, translation, "
               "training curves) as a local web page");
  cmd->footer(
      "Open the printed address in a browser. Everything the page needs is inside the binary;\n"
      "it fetches nothing from the network. Give --model once per model to compare; a training\n"
      "run's directory can be served while it trains (the views follow its latest checkpoint,\n"
      "the training view its metrics.jsonl). The API is described in docs/serve-api.md.");
  cmd->add_option("--model", args->models, "model directory (repeat for several)")->required();
  cmd->add_option("--port", args->server.port, "port to listen on (0: any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--host", args->server.host, "address to listen on")->capture_default_str();
  cmd->add_option("--assets", args->server.assets_dir,
                  "serve index.html, app.js and app.css from this folder instead of the built-in "
                  "copy (for working on web/)");
  add_threads_option(*cmd, args->threads);
  cmd->callback([args] { run_serve(*args); });
}

}  // namespace dikkat
