#pragma once
// The parameters of one API request, from a query string or a JSON object body, read field by
// field: every getter checks presence, type and range and throws an ApiError (400) naming the
// field, so a handler never sees a value it did not ask for.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace dikkat {

class RequestParams {
 public:
  RequestParams() = default;
  explicit RequestParams(std::map<std::string, std::string> values) : values_(std::move(values)) {}
  // A JSON object whose values are strings, numbers or booleans; anything else is a 400
  // (an unparsable body names no field; a nested value names its key).
  static RequestParams from_json_body(const std::string& body);

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  const std::map<std::string, std::string>& values() const { return values_; }

  // A required text (may be required non-empty), at most `max_bytes` long (413 beyond).
  std::string text(const std::string& name, bool allow_empty = false,
                   size_t max_bytes = kMaxTextBytes) const;
  std::string text_or(const std::string& name, const std::string& fallback,
                      size_t max_bytes = kMaxTextBytes) const;
  // Decimal integers in [lo, hi].
  int64_t integer(const std::string& name, int64_t lo, int64_t hi) const;
  int64_t integer_or(const std::string& name, int64_t fallback, int64_t lo, int64_t hi) const;
  // Finite numbers in [lo, hi].
  double number_or(const std::string& name, double fallback, double lo, double hi) const;
  // One of `choices` (listed in the error).
  std::string choice(const std::string& name, std::initializer_list<const char*> choices) const;

  static constexpr size_t kMaxTextBytes = 64 * 1024;

 private:
  std::optional<std::string> find(const std::string& name) const;
  std::map<std::string, std::string> values_;
};

}  // namespace dikkat
