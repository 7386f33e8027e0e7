#pragma once
// The answers of dikkat serve's JSON API (docs/serve-api.md), computed by what src/inspect
// already has, without any HTTP: the server maps routes onto these calls and export-html records
// their answers for one text. Every method checks its parameters through RequestParams and
// throws ApiError for a request it cannot answer.
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "serve/request_params.h"
#include "serve/served_model.h"

namespace dikkat {

struct Analysis;  // one (model, text, target) run through a model, kept for further questions

class ViewApi {
 public:
  // The models in order, with ids m0, m1, ... Each directory must hold a config.json already or
  // be a training run's output directory that will (Error otherwise, naming --model).
  explicit ViewApi(const std::vector<std::string>& model_dirs);
  ~ViewApi();

  // The GET routes (without the /api prefix) and their handler, in the order of the docs.
  using Handler = nlohmann::json (ViewApi::*)(const RequestParams&);
  static const std::vector<std::pair<std::string, Handler>>& get_routes();

  nlohmann::json models(const RequestParams&);
  nlohmann::json vocab(const RequestParams& p);
  nlohmann::json tokenize(const RequestParams& p);
  nlohmann::json attention(const RequestParams& p);
  nlohmann::json attention_overview(const RequestParams& p);
  nlohmann::json trace(const RequestParams& p);
  nlohmann::json trace_step(const RequestParams& p);
  nlohmann::json logits(const RequestParams& p);
  nlohmann::json embeddings(const RequestParams& p);
  nlohmann::json metrics(const RequestParams& p);
  nlohmann::json bigram(const RequestParams& p);
  nlohmann::json fill(const RequestParams& p);
  nlohmann::json translate(const RequestParams& p);

  // POST /api/generate, in two halves so that every error is answered before the stream starts:
  // check() reads and checks the body; run() then calls on_token with each token as it is chosen
  // (return false to stop: the client went away) and returns the whole continuation.
  struct Generation {
    std::shared_ptr<const LoadedModel> model;
    std::vector<int32_t> prompt;
    int64_t tokens;
    float temperature, top_p;
    int64_t top_k;
    uint64_t seed;
  };
  Generation check_generation(const RequestParams& p);
  std::string generate(const Generation& g,
                       const std::function<bool(int32_t id, const std::string& text)>& on_token);

  // metrics.jsonl of the model named by `model` (for the live stream).
  std::string metrics_path(const RequestParams& p);

  ServedModel& model(const RequestParams& p);
  std::vector<std::unique_ptr<ServedModel>>& served() { return models_; }

 private:
  std::shared_ptr<const Analysis> analysis(const RequestParams& p);

  std::vector<std::unique_ptr<ServedModel>> models_;
  std::mutex cache_mutex_;
  std::list<std::shared_ptr<const Analysis>> cache_;  // most recent first
};

}  // namespace dikkat
