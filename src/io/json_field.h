#pragma once
// One field of a JSON object read from outside (config.json) into a C++ value, with its JSON
// type checked first. nlohmann's get<> converts a float to an integer without checking the
// range (undefined behaviour for a literal like 6e92, found by fuzzing) and throws its own
// exceptions for other mismatches; here every mismatch is an Error naming `what` and the key.
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>

#include "error.h"

namespace dikkat {

// Leaves `out` unchanged when `j` has no `key`.
template <typename T>
void read_json_field(const nlohmann::json& j, const char* key, T& out, const std::string& what) {
  if (!j.contains(key)) return;
  const nlohmann::json& v = j.at(key);
  auto fail = [&](const char* expected) {
    throw Error(what + ": field '" + key + "' must be " + expected + ", got " + v.dump());
  };
  if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_boolean()) fail("true or false");
    out = v.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    if (!v.is_number_integer()) fail("an integer");
    if (v.is_number_unsigned()) {
      const uint64_t u = v.get<uint64_t>();
      if (u > uint64_t(std::numeric_limits<T>::max())) fail("an integer that fits 64 bits");
      out = T(u);
    } else {
      const int64_t i = v.get<int64_t>();
      if (std::is_unsigned_v<T> && i < 0) fail("a non-negative integer");
      out = T(i);
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!v.is_number()) fail("a number");
    const double d = v.get<double>();
    if (!std::isfinite(d) || std::fabs(d) > double(std::numeric_limits<T>::max()))
      fail("a finite number");
    out = T(d);
  } else {
    if (!v.is_string()) fail("a string");
    out = v.get<std::string>();
  }
}

}  // namespace dikkat
