#include "serve/view_api.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "generate/text_generator.h"
#include "generate/translator.h"
#include "inspect/attention_maps.h"
#include "inspect/bigram_table.h"
#include "inspect/fill_mask.h"
#include "inspect/model_text.h"
#include "inspect/next_token.h"
#include "inspect/next_token_logits.h"
#include "inspect/pca.h"
#include "inspect/token_labels.h"
#include "serve/api_error.h"
#include "serve/base64.h"

namespace dikkat {

namespace fs = std::filesystem;

// Everything the views ask about one input: its trace and its attention tables by kind.
struct Analysis {
  std::shared_ptr<const LoadedModel> model;
  std::string text, target;
  InspectedText inspected;
  std::map<std::string, AttentionMaps> maps;  // by kind
};

namespace {

constexpr size_t kCachedInputs = 3;
const InspectionNames kFieldNames{"text", "target"};

// Runs `f`, turning an Error about the request's text into a 400 naming its field (the
// messages start with the field's name, as the terminal's start with the flag's).
template <typename F>
auto about_text(F&& f) {
  try {
    return f();
  } catch (const ApiError&) {
    throw;
  } catch (const Error& e) {
    const std::string message = e.what();
    for (const char* field : {"target", "prompt", "text"})
      if (message.starts_with(field)) throw ApiError(400, field, message);
    throw ApiError(400, "", message);
  }
}

std::vector<std::string> vocabulary_texts(const LoadedModel& m) {
  std::vector<std::string> texts;
  for (int64_t id = 0; id < m.config.model.vocab_size; ++id)
    texts.push_back(m.tokenizer.decode_one(int32_t(id)));
  return texts;
}

const AttentionMaps& maps_of_kind(const Analysis& a, const RequestParams& p,
                                  const ServedModel& served) {
  const std::string kind = p.text("kind");
  const auto it = a.maps.find(kind);
  if (it == a.maps.end()) {
    const nlohmann::json kinds = attention_kind_names(*a.model->model);
    throw ApiError(400, "kind",
                   "kind: " + served.id() + " has " +
                       (kinds.empty() ? std::string("no attention")
                                      : "attention of kinds " + kinds.dump() + " only") +
                       ", not '" + kind.substr(0, 40) + "'");
  }
  return it->second;
}

nlohmann::json translation_fields(const Analysis& a) {
  if (!translates(*a.model)) return nlohmann::json::object();
  return {{"target", a.model->tokenizer.decode_text(a.inspected.target_ids)},
          {"translated", a.inspected.translated}};
}

// Each cell of a thumbnail is the largest weight of the block of the table it covers, so a
// single sharp weight stays visible when a 500 x 500 table becomes 48 x 48.
std::vector<float> max_pool(const float* table, int64_t rows, int64_t cols, int64_t out_rows,
                            int64_t out_cols) {
  std::vector<float> out(size_t(out_rows * out_cols), 0.0f);
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t tr = r * out_rows / rows;
    for (int64_t c = 0; c < cols; ++c) {
      float& cell = out[size_t(tr * out_cols + c * out_cols / cols)];
      cell = std::max(cell, table[r * cols + c]);
    }
  }
  return out;
}

std::vector<std::vector<double>> project_rows(const PcaBasis& basis, const Tensor& table) {
  std::vector<std::vector<double>> out;
  for (int64_t i = 0; i < table.size(0); ++i)
    out.push_back(basis.project(table.ptr() + i * table.size(1)));
  return out;
}

}  // namespace

ViewApi::ViewApi(const std::vector<std::string>& model_dirs) {
  for (const std::string& dir : model_dirs) {
    if (!fs::is_directory(dir)) throw Error("--model " + dir + ": no such directory");
    std::string id = std::to_string(models_.size());
    id.insert(id.begin(), 'm');  // GCC 12 warns falsely (-Wrestrict) about "m" + std::string
    models_.push_back(std::make_unique<ServedModel>(id, dir));
  }
  if (models_.empty()) throw Error("--model: give at least one model directory");
}

ViewApi::~ViewApi() = default;

const std::vector<std::pair<std::string, ViewApi::Handler>>& ViewApi::get_routes() {
  static const std::vector<std::pair<std::string, Handler>> routes = {
      {"/models", &ViewApi::models},
      {"/vocab", &ViewApi::vocab},
      {"/tokenize", &ViewApi::tokenize},
      {"/attention", &ViewApi::attention},
      {"/attention/overview", &ViewApi::attention_overview},
      {"/trace", &ViewApi::trace},
      {"/trace/step", &ViewApi::trace_step},
      {"/logits", &ViewApi::logits},
      {"/embeddings", &ViewApi::embeddings},
      {"/metrics", &ViewApi::metrics},
      {"/bigram", &ViewApi::bigram},
      {"/fill", &ViewApi::fill}};
  return routes;
}

ServedModel& ViewApi::model(const RequestParams& p) {
  const std::string id = p.text("model");
  for (auto& m : models_)
    if (m->id() == id) return *m;
  throw ApiError(404, "model", "model: no model '" + id.substr(0, 40) + "' (see /api/models)");
}

nlohmann::json ViewApi::models(const RequestParams&) {
  nlohmann::json list = nlohmann::json::array();
  for (auto& m : models_) list.push_back(m->describe());
  return {{"models", list}};
}

nlohmann::json ViewApi::vocab(const RequestParams& p) {
  const auto m = model(p).latest();
  const std::vector<std::string> texts = vocabulary_texts(*m);
  return {{"texts", texts}, {"labels", visible_tokens(texts)}};
}

nlohmann::json ViewApi::tokenize(const RequestParams& p) {
  const auto m = model(p).latest();
  const TextTokens t = about_text([&] {
    int64_t dropped = 0;
    return window_tokens(*m, p.text("text"), dropped, "text");
  });
  return {{"ids", t.ids}, {"texts", t.tokens}, {"labels", t.labels}};
}

std::shared_ptr<const Analysis> ViewApi::analysis(const RequestParams& p) {
  ServedModel& served = model(p);
  const auto m = p.has("checkpoint") ? served.checkpoint(p.text("checkpoint"), "checkpoint")
                                     : served.latest();
  const std::string text = p.text("text"), target = p.text_or("target", "");
  {
    std::lock_guard lock(cache_mutex_);
    for (auto it = cache_.begin(); it != cache_.end(); ++it)
      if ((*it)->model == m && (*it)->text == text && (*it)->target == target) {
        cache_.splice(cache_.begin(), cache_, it);
        return cache_.front();
      }
  }
  auto a = std::make_shared<Analysis>();
  a->model = m, a->text = text, a->target = target;
  a->inspected = about_text([&] { return inspect_text(*m, text, target, true, kFieldNames); });
  for (const AttentionKind& kind : a->inspected.kinds)
    a->maps[kind.name] = attention_maps(a->inspected, kind);
  std::lock_guard lock(cache_mutex_);
  cache_.push_front(a);
  if (cache_.size() > kCachedInputs) cache_.pop_back();
  return a;
}

nlohmann::json ViewApi::attention(const RequestParams& p) {
  const auto a = analysis(p);
  const AttentionMaps& m = maps_of_kind(*a, p, model(p));
  const int64_t layer = p.integer("layer", 1, m.layers), head = p.integer("head", 1, m.heads);
  nlohmann::json out = {{"kind", p.text("kind")},
                        {"step", a->model->step},
                        {"layer", layer},
                        {"head", head},
                        {"layers", m.layers},
                        {"heads", m.heads},
                        {"rows", m.rows},
                        {"cols", m.cols},
                        {"row_labels", m.row_labels},
                        {"col_labels", m.col_labels},
                        {"causal", m.causal},
                        {"weights", base64_floats({m.table(layer - 1, head - 1),
                                                   size_t(m.rows * m.cols)})}};
  out.update(translation_fields(*a));
  return out;
}

nlohmann::json ViewApi::attention_overview(const RequestParams& p) {
  const auto a = analysis(p);
  const AttentionMaps& m = maps_of_kind(*a, p, model(p));
  const int64_t size = p.integer_or("size", 48, 1, 512);
  const int64_t out_rows = std::min(size, m.rows), out_cols = std::min(size, m.cols);
  nlohmann::json thumbs = nlohmann::json::array();
  for (int64_t l = 0; l < m.layers; ++l)
    for (int64_t h = 0; h < m.heads; ++h)
      thumbs.push_back(base64_floats(max_pool(m.table(l, h), m.rows, m.cols, out_rows, out_cols)));
  nlohmann::json out = {{"kind", p.text("kind")},   {"layers", m.layers},
                        {"heads", m.heads},         {"rows", m.rows},
                        {"cols", m.cols},           {"row_labels", m.row_labels},
                        {"col_labels", m.col_labels}, {"causal", m.causal},
                        {"thumb_rows", out_rows},   {"thumb_cols", out_cols},
                        {"thumbs", thumbs}};
  out.update(translation_fields(*a));
  return out;
}

nlohmann::json ViewApi::trace(const RequestParams& p) {
  const auto a = analysis(p);
  const InspectedText& t = a->inspected;
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& e : t.trace.entries())
    steps.push_back({{"name", e.name},
                     {"description", e.text.en},
                     {"description_tr", e.text.tr},
                     {"shape", e.value.shape},
                     {"rows", t.sequence(e.rows).labels}});
  const std::span<const float> logits = t.last_logits();
  nlohmann::json next = nlohmann::json::array();
  for (const NextToken& n : most_likely_next(logits.data(), int64_t(logits.size()), 1.0f, 10,
                                             a->model->tokenizer))
    next.push_back(
        {{"id", n.id}, {"text", n.text}, {"label", n.label}, {"probability", n.probability}});
  nlohmann::json out = {{"steps", steps}, {"next", next}};
  if (translates(*a->model)) {
    out["source_labels"] = t.input.labels;
    out["target_labels"] = t.target.labels;
  } else {
    out["tokens"] = t.input.labels;
  }
  out.update(translation_fields(*a));
  return out;
}

nlohmann::json ViewApi::trace_step(const RequestParams& p) {
  const auto a = analysis(p);
  const std::string name = p.text("name");
  const ActivationTrace::Entry* e = a->inspected.trace.find_entry(name);
  if (!e) throw ApiError(400, "name", "name: the trace has no step '" + name.substr(0, 60) + "'");
  return {{"name", name},
          {"shape", e->value.shape},
          {"rows", a->inspected.sequence(e->rows).labels},
          {"values", base64_floats({e->value.ptr(), size_t(e->value.numel())})}};
}

nlohmann::json ViewApi::logits(const RequestParams& p) {
  ServedModel& served = model(p);
  const auto m = served.latest();
  const std::string text = p.text("text"), target = p.text_or("target", "");
  const NextTokenLogits next =
      about_text([&] { return next_token_logits(*m, text, target, kFieldNames); });
  return {{"vocab_size", next.logits.size()},
          {"logits", base64_floats(next.logits)},
          {"tokens", next.labels},
          {"dropped", next.dropped}};
}

nlohmann::json ViewApi::embeddings(const RequestParams& p) {
  ServedModel& served = model(p);
  const auto m = served.latest();
  const int64_t width = m->config.model.n_embd;
  const int64_t dims = p.integer_or("dims", width <= 3 ? width : 2, 1, 3);
  if (dims > width)
    throw ApiError(400, "dims", "dims: " + std::to_string(dims) + " is more than n_embd = " +
                                    std::to_string(width));
  const Tensor& now = m->model->token_embedding()->value;
  std::shared_ptr<const LoadedModel> before;
  if (p.has("compare")) before = served.checkpoint(p.text("compare"), "compare");
  std::vector<float> all(now.data.begin(), now.data.end());
  if (before) {
    const FloatBuffer& b = before->model->token_embedding()->value.data;
    all.insert(all.end(), b.begin(), b.end());
  }
  // One basis for both sets, fitted on all their rows together, so arrows mean movement.
  const PcaBasis basis = fit_pca(all.data(), int64_t(all.size()) / width, width, dims);
  return {{"dims", basis.components.size()},
          {"exact", basis.identity},
          {"explained", basis.explained},
          {"labels", visible_tokens(vocabulary_texts(*m))},
          {"now", project_rows(basis, now)},
          {"now_step", m->step},
          {"before", before ? nlohmann::json(project_rows(basis, before->model->token_embedding()->value))
                            : nlohmann::json(nullptr)},
          {"before_step", before ? nlohmann::json(before->step) : nlohmann::json(nullptr)}};
}

std::string ViewApi::metrics_path(const RequestParams& p) { return model(p).metrics_path(); }

nlohmann::json ViewApi::metrics(const RequestParams& p) {
  const std::string path = metrics_path(p);
  std::ifstream in(path);
  nlohmann::json rows = nlohmann::json::array();
  std::string line;
  // Only whole lines: a run being trained may be half way through writing the last one.
  while (std::getline(in, line) && !in.eof()) {
    nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
    if (row.is_object() && row.contains("step")) rows.push_back(std::move(row));
  }
  return {{"rows", rows}};
}

nlohmann::json ViewApi::bigram(const RequestParams& p) {
  ServedModel& served = model(p);
  const auto m = served.latest();
  if (!m->model->next_token_table())
    throw ApiError(400, "model", "model: " + served.id() + " has no next-token table (" +
                                     m->model->summary() + ")");
  const BigramTable t = about_text([&] { return bigram_table(*m, p.text_or("text", ""), "text"); });
  return {{"ids", t.ids},
          {"labels", t.labels},
          {"size", t.ids.size()},
          {"vocab_size", t.vocab_size},
          {"probabilities", base64_floats(t.probabilities)}};
}

nlohmann::json ViewApi::fill(const RequestParams& p) {
  ServedModel& served = model(p);
  const auto m = served.latest();
  if (m->model->task() != ModelTask::kMaskedLanguageModel)
    throw ApiError(400, "model", "model: " + served.id() + " is not a masked language model (" +
                                     m->model->summary() + ")");
  const int64_t top = p.integer_or("top", 5, 1, 100);
  const FillResult r = about_text([&] { return fill_masks(*m, p.text("text"), top, "text"); });
  return {{"tokens", r.inspected.input.labels}, {"masks", masks_json(r)}, {"filled", r.filled}};
}

nlohmann::json ViewApi::translate(const RequestParams& p) {
  ServedModel& served = model(p);
  const auto m = served.latest();
  if (!translates(*m))
    throw ApiError(400, "model", "model: " + served.id() + " is a language model, not a translator");
  const int64_t context = m->config.model.context;
  TranslateOptions options;
  options.beam = p.integer_or("beam", 4, 1, 32);
  options.length_penalty = float(p.number_or("length_penalty", 1.0, 0.0, 10.0));
  options.max_len = p.integer_or("max_len", 0, 0, context - 1);
  const std::string text = p.text("text");
  const std::vector<int32_t> source = about_text([&] { return m->tokenizer.encode(text, "text"); });
  if (int64_t(source.size()) + 1 > context)
    throw ApiError(400, "text", "text: " + std::to_string(source.size()) +
                                    " tokens and the end token exceed the model's context of " +
                                    std::to_string(context));
  const std::vector<int32_t> ids =
      dikkat::translate(*m->model, {source}, *m->tokenizer.end_of_text(), options)[0];
  std::vector<std::string> texts;
  for (int32_t id : ids) texts.push_back(m->tokenizer.decode_one(id));
  return {{"translation", m->tokenizer.decode_text(ids)},
          {"ids", ids},
          {"tokens", visible_tokens(texts)}};
}

ViewApi::Generation ViewApi::check_generation(const RequestParams& p) {
  ServedModel& served = model(p);
  Generation g;
  g.model = served.latest();
  if (translates(*g.model))
    throw ApiError(400, "model", "model: " + served.id() + " is a translator (use /api/translate)");
  const std::string prompt = p.text("prompt");
  g.prompt = about_text([&] { return g.model->tokenizer.encode(prompt, "prompt"); });
  g.tokens = p.integer_or("tokens", 100, 1, 4096);
  g.temperature = float(p.number_or("temperature", 1.0, 0.0, 100.0));
  g.top_k = p.integer_or("top_k", 0, 0, g.model->config.model.vocab_size);
  g.top_p = float(p.number_or("top_p", 1.0, 0.0, 1.0));
  if (g.top_p <= 0.0f) throw ApiError(400, "top_p", "top_p: must be more than 0");
  g.seed = uint64_t(p.integer_or("seed", 1337, 0, INT64_MAX));
  return g;
}

namespace {
struct ClientGone {};
}  // namespace

std::string ViewApi::generate(
    const Generation& g, const std::function<bool(int32_t id, const std::string& text)>& on_token) {
  std::mt19937_64 rng(g.seed);
  std::string text;
  try {
    generate_tokens(
        *g.model->model, g.prompt, g.tokens, {g.temperature, g.top_k, g.top_p}, rng,
        [&](int32_t id) {
          const std::string piece = g.model->tokenizer.decode_one(id);
          text += piece;
          if (!on_token(id, piece)) throw ClientGone{};
        },
        g.model->tokenizer.end_of_text().value_or(-1));
  } catch (const ClientGone&) {
  }
  return text;
}

}  // namespace dikkat
