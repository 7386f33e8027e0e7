#pragma once
// One exception type for every user-facing failure: the message already names the file, flag or
// field and what was expected, so the CLI prints it as a single line and exits non-zero.
#include <stdexcept>
#include <string>

namespace dikkat {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace dikkat
