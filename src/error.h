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

// A file or directory that is not there (or cannot be opened): the same one-line message, told
// apart so that callers with their own exception kinds (the Python module's FileNotFoundError)
// can map it.
class FileError : public Error {
 public:
  using Error::Error;
};

}  // namespace dikkat
