// dikkat eval: a model's loss, perplexity and bits per character on a text file.
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <numbers>

#include "cli/commands.h"
#include "cli/threads.h"
#include "error.h"
#include "io/checkpoint.h"
#include "tensor/ops.h"
#include "train/dataset.h"

namespace dikkat {

namespace {

struct EvalArgs {
  std::string model, data;
  bool json = false;
  int threads = 1;
};

void run_eval(const EvalArgs& a) {
  apply_threads(a.threads);
  LoadedModel m = load_model_dir(a.model);
  const std::vector<int32_t> tokens = m.tokenizer.encode(read_training_text(a.data), a.data);
  const int64_t t = m.config.model.context;
  if (int64_t(tokens.size()) < 2) throw Error(a.data + ": needs at least two characters");
  // Consecutive windows of up to `context` predictions cover the text once: every token after
  // the first is predicted exactly once, seeing the earlier tokens of its window.
  const int64_t n = int64_t(tokens.size()), windows_per_batch = 16;
  double total_nll = 0.0;
  int64_t predicted = 0;
  for (int64_t start = 0; start + 1 < n;) {
    const int64_t len = std::min<int64_t>(t, n - 1 - start);
    std::vector<int32_t> x, y;
    int64_t batch = 0;
    // Full windows go in batches; a shorter final window goes alone.
    while (batch < windows_per_batch && n - 1 - start >= len && start + 1 < n) {
      x.insert(x.end(), tokens.begin() + start, tokens.begin() + start + len);
      y.insert(y.end(), tokens.begin() + start + 1, tokens.begin() + start + len + 1);
      start += len;
      ++batch;
    }
    Graph g = Graph::inference();
    const float mean =
        cross_entropy(g, m.model->forward(g, x, batch, len, nullptr), y)->value.data[0];
    total_nll += double(mean) * double(batch * len);
    predicted += batch * len;
  }
  const double loss = total_nll / double(predicted);
  const double perplexity = std::exp(loss), bpc = loss / std::numbers::ln2;
  if (a.json) {
    std::printf("%s\n", nlohmann::json{{"model", a.model},
                                       {"data", a.data},
                                       {"tokens", predicted},
                                       {"loss", loss},
                                       {"perplexity", perplexity},
                                       {"bits_per_char", bpc}}
                            .dump()
                            .c_str());
  } else {
    std::printf(
        "%s on %s (%lld predicted characters)\n  loss %.4f nats/char\n"
        "  perplexity %.3f\n  bits per character %.4f\n",
        a.model.c_str(), a.data.c_str(), (long long)predicted, loss, perplexity, bpc);
  }
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand("eval", "loss, perplexity and bits per character on a text");
  cmd->add_option("--model", args->model, "model directory")->required();
  cmd->add_option("--data", args->data, "UTF-8 text to score")->required();
  cmd->add_flag("--json", args->json, "print one JSON object instead of text");
  add_threads_option(*cmd, args->threads);
  cmd->callback([args] { run_eval(*args); });
}

}  // namespace dikkat
