#pragma once
#include <charconv>
#include <cstdlib>

namespace dikkat {

// The double whose shortest decimal form equals the float's, so 0.1f is written to JSON as 0.1
// rather than 0.10000000149011612; reading it back as float gives the same float.
inline double json_number(float f) {
  char buf[32];
  const auto end = std::to_chars(buf, buf + sizeof buf - 1, f).ptr;
  *end = '\0';
  return std::strtod(buf, nullptr);
}

}  // namespace dikkat
