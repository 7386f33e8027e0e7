#include "run/metrics_file.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "error.h"
#include "io/file_io.h"

namespace dikkat {

std::vector<MetricsRow> read_metrics(const std::string& path) {
  return parse_metrics(read_file(path), path);
}

std::vector<MetricsRow> parse_metrics(const std::string& text, const std::string& path) {
  std::istringstream in(text);
  std::vector<MetricsRow> rows;
  std::string line;
  for (int64_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception&) {
      throw Error(where + "not valid JSON (a line cut short, or not a metrics file?)");
    }
    if (!j.is_object()) throw Error(where + "expected a JSON object");
    if (!j.contains("step") || !j["step"].is_number_integer())
      throw Error(where + "\"step\" is missing or not an integer");
    MetricsRow r{j["step"].get<int64_t>(), NAN, NAN, NAN, NAN, NAN};
    auto number_field = [&](const char* key, double& out) {
      if (!j.contains(key) || j[key].is_null()) return;  // JSON writes a NaN loss as null
      if (!j[key].is_number()) throw Error(where + "\"" + key + "\" is not a number");
      out = j[key].get<double>();
    };
    number_field("train_loss", r.train_loss);
    number_field("val_loss", r.val_loss);
    number_field("eval_train_loss", r.eval_train_loss);
    number_field("lr", r.lr);
    number_field("tokens_per_s", r.tokens_per_s);
    rows.push_back(r);
  }
  if (rows.empty()) throw Error(path + ": no metrics in the file");
  return rows;
}

}  // namespace dikkat
