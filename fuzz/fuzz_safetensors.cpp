// Any bytes as a safetensors file: the reader either accepts them (and then every tensor can be
// read as its dtype) or throws dikkat::Error; it never crashes or reads out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "error.h"
#include "io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto r = dikkat::SafetensorsReader::parse(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.safetensors");
    for (const auto& [name, entry] : r.entries()) {
      try {
        if (entry.dtype == "I32")
          r.i32(name);
        else
          r.f32(name);
      } catch (const dikkat::Error&) {
      }
    }
  } catch (const dikkat::Error&) {
  }
  return 0;
}
