#include "serve/export_html.h"

#include "error.h"
#include "inspect/bigram_table.h"
#include "tokenize/tokenizer.h"
#include "serve/web_assets.h"

namespace dikkat {

namespace {

class Recorder {
 public:
  explicit Recorder(ViewApi& api) : api_(api) {}

  nlohmann::json& get(const std::string& path, const std::map<std::string, std::string>& params) {
    for (const auto& [route, handler] : ViewApi::get_routes())
      if ("/api" + route == path) {
        requests_.push_back(
            {{"path", path}, {"params", params}, {"response", (api_.*handler)(RequestParams(params))}});
        return requests_.back()["response"];
      }
    throw Error("export-html: no API route " + path);
  }
  nlohmann::json take() { return std::move(requests_); }

 private:
  ViewApi& api_;
  nlohmann::json requests_ = nlohmann::json::array();
};

// Inline text must not end the <script> or <style> element that holds it.
std::string escape_for_element(std::string text, const std::string& closing) {
  for (size_t at = 0; (at = text.find(closing, at)) != std::string::npos; at += 2)
    text.replace(at, 2, "<\\/");
  return text;
}

void replace_once(std::string& page, const std::string& what, const std::string& with) {
  const size_t at = page.find(what);
  if (at == std::string::npos) throw Error("export-html: the page has no " + what);
  page.replace(at, what.size(), with);
}

}  // namespace

nlohmann::json record_views(ViewApi& api, const std::string& text, const std::string& target,
                            bool snapshots) {
  Recorder r(api);
  nlohmann::json& models = r.get("/api/models", {});
  // Without snapshots the page offers step 0 and the latest step only: the answers it can give.
  nlohmann::json& listed = models["models"][0]["checkpoints"];
  if (!snapshots && listed.is_array()) {
    nlohmann::json kept = nlohmann::json::array();
    for (const auto& c : listed)
      if (c["step"] == 0 || &c == &listed.back()) kept.push_back(c);
    listed = kept;
  }
  const nlohmann::json model = models["models"][0];
  const std::string id = model["id"];
  if (!model["ready"]) throw Error("--model " + model["dir"].get<std::string>() + ": no weights yet");
  std::map<std::string, std::string> input = {{"model", id}, {"text", text}};
  if (!target.empty()) input["target"] = target;
  r.get("/api/vocab", {{"model", id}});
  r.get("/api/tokenize", {{"model", id}, {"text", text}});
  const nlohmann::json checkpoints =
      model.contains("checkpoints") ? model["checkpoints"] : nlohmann::json::array();
  for (size_t c = 0; c < std::max<size_t>(1, checkpoints.size()); ++c)
    for (const auto& kind : model["attention_kinds"]) {
      auto params = input;
      params["kind"] = kind;
      // The latest weights are asked for without naming them, as the page does.
      if (c + 1 < checkpoints.size()) params["checkpoint"] = checkpoints[c]["file"];
      const nlohmann::json overview = r.get("/api/attention/overview", params);
      for (int64_t l = 1; l <= overview["layers"].get<int64_t>(); ++l)
        for (int64_t h = 1; h <= overview["heads"].get<int64_t>(); ++h) {
          params["layer"] = std::to_string(l), params["head"] = std::to_string(h);
          r.get("/api/attention", params);
        }
    }
  const nlohmann::json trace = r.get("/api/trace", input);
  for (const auto& step : trace["steps"]) {
    auto params = input;
    params["name"] = step["name"];
    r.get("/api/trace/step", params);
  }
  // A masked language model's next-token view and fill box read the text's [MASK]s.
  const bool masked_lm = model["task"] == "masked_language_model";
  const bool has_mask = text.find(kMaskToken) != std::string::npos;
  auto logits = input;
  logits.erase("target");  // a translator's first target token
  if (!masked_lm || has_mask) r.get("/api/logits", logits);
  if (!target.empty()) r.get("/api/logits", input);  // and the token after the given target
  const bool has_step0 = model["checkpoints"].size() > 1;
  for (int dims = 2; dims <= std::min<int64_t>(3, model["n_embd"].get<int64_t>()); ++dims) {
    r.get("/api/embeddings", {{"model", id}, {"dims", std::to_string(dims)}});
    if (has_step0)
      r.get("/api/embeddings", {{"model", id},
                                {"dims", std::to_string(dims)},
                                {"compare", "model_step0.safetensors"}});
  }
  if (masked_lm && has_mask) r.get("/api/fill", {{"model", id}, {"text", text}});
  if (model["next_token_table"]) {
    r.get("/api/bigram", {{"model", id}, {"text", text}});
    if (model["vocab_size"].get<int64_t>() <= kWholeBigramVocabulary) r.get("/api/bigram", {{"model", id}});
  }
  if (model["has_metrics"]) r.get("/api/metrics", {{"model", id}});
  return {{"text", text}, {"target", target}, {"requests", r.take()}};
}

std::string export_html(const nlohmann::json& recorded, const std::string& assets_dir) {
  std::string page = web_asset("index.html", assets_dir)->body;
  const std::string css = web_asset("app.css", assets_dir)->body;
  const std::string js = web_asset("app.js", assets_dir)->body;
  // '<' only occurs inside JSON strings, where \u003c means the same: no text can then end the
  // <script> element or open a comment in it, whatever its case.
  std::string data;
  for (const char c : recorded.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
    if (c == '<')
      data.append("\\u003c");
    else
      data.push_back(c);
  replace_once(page, R"(<link rel="stylesheet" href="app.css">)",
               "<style>" + escape_for_element(css, "</style") + "</style>");
  replace_once(page, R"(<script defer src="app.js"></script>)",
               "<script>window.DIKKAT_EXPORT = " + data +
                   ";</script>\n<script>" + escape_for_element(js, "</script") + "</script>");
  return page;
}

}  // namespace dikkat
