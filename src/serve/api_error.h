#pragma once
// A request the API refuses: the HTTP status, the field at fault (empty when no single field
// is) and one sentence saying what is wrong. The server answers it as
// {"error": message, "field": field} with that status.
#include <string>

#include "error.h"

namespace dikkat {

class ApiError : public Error {
 public:
  ApiError(int status, std::string field, const std::string& message)
      : Error(message), status_(status), field_(std::move(field)) {}
  int status() const { return status_; }
  const std::string& field() const { return field_; }

 private:
  int status_;
  std::string field_;
};

}  // namespace dikkat
