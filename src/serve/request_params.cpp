#include "serve/request_params.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "serve/api_error.h"

namespace dikkat {

namespace {

[[noreturn]] void bad(const std::string& name, const std::string& what) {
  throw ApiError(400, name, name + ": " + what);
}

}  // namespace

RequestParams RequestParams::from_json_body(const std::string& body) {
  const nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw ApiError(400, "", "the request body must be a JSON object");
  std::map<std::string, std::string> values;
  for (const auto& [key, value] : j.items()) {
    if (value.is_string())
      values[key] = value.get<std::string>();
    else if (value.is_number_integer() || value.is_number_unsigned() || value.is_boolean())
      values[key] = value.dump();
    else if (value.is_number_float())
      values[key] = nlohmann::json(value.get<double>()).dump();
    else if (!value.is_null())
      bad(key, "must be a string, a number or a boolean");
  }
  return RequestParams(std::move(values));
}

std::optional<std::string> RequestParams::find(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string RequestParams::text(const std::string& name, bool allow_empty,
                                size_t max_bytes) const {
  const auto v = find(name);
  if (!v) bad(name, "is missing");
  if (v->empty() && !allow_empty) bad(name, "must not be empty");
  if (v->size() > max_bytes)
    throw ApiError(413, name,
                   name + ": " + std::to_string(v->size()) + " bytes is over the limit of " +
                       std::to_string(max_bytes));
  return *v;
}

std::string RequestParams::text_or(const std::string& name, const std::string& fallback,
                                   size_t max_bytes) const {
  return has(name) ? text(name, true, max_bytes) : fallback;
}

int64_t RequestParams::integer(const std::string& name, int64_t lo, int64_t hi) const {
  const auto v = find(name);
  if (!v) bad(name, "is missing");
  int64_t x = 0;
  const char* end = v->data() + v->size();
  const auto [ptr, ec] = std::from_chars(v->data(), end, x);
  if (v->empty() || ec != std::errc() || ptr != end) bad(name, "must be an integer, got '" + v->substr(0, 40) + "'");
  if (x < lo || x > hi)
    bad(name, std::to_string(x) + " is out of range " + std::to_string(lo) + ".." +
                  std::to_string(hi));
  return x;
}

int64_t RequestParams::integer_or(const std::string& name, int64_t fallback, int64_t lo,
                                  int64_t hi) const {
  return has(name) ? integer(name, lo, hi) : fallback;
}

double RequestParams::number_or(const std::string& name, double fallback, double lo,
                                double hi) const {
  const auto v = find(name);
  if (!v) return fallback;
  char* end = nullptr;
  const double x = std::strtod(v->c_str(), &end);
  if (v->empty() || end != v->c_str() + v->size() || !std::isfinite(x))
    bad(name, "must be a number, got '" + v->substr(0, 40) + "'");
  if (x < lo || x > hi) {
    char range[64];
    std::snprintf(range, sizeof range, "%g..%g", lo, hi);
    bad(name, v->substr(0, 40) + " is out of range " + range);
  }
  return x;
}

std::string RequestParams::choice(const std::string& name,
                                  std::initializer_list<const char*> choices) const {
  const std::string v = text(name);
  std::string list;
  for (const char* c : choices) {
    if (v == c) return v;
    if (!list.empty()) list += ", ";
    list += c;
  }
  bad(name, "must be one of " + list + ", got '" + v.substr(0, 40) + "'");
}

}  // namespace dikkat
