// Any bytes as a metrics.jsonl: rows, or an Error naming the line.
#include <cstddef>
#include <cstdint>
#include <string>

#include "error.h"
#include "run/metrics_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    dikkat::parse_metrics(std::string(reinterpret_cast<const char*>(data), size), "metrics.jsonl");
  } catch (const dikkat::Error&) {
  }
  return 0;
}
