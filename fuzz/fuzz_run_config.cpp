// Any bytes as a checkpoint's config.json: parsed and checked field by field, or an Error.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "error.h"
#include "nn/architectures.h"
#include "run/checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    const dikkat::RunConfig c = dikkat::parse_run_config(j, "config.json");
    // A config that passes must describe a model that can be built, unless it is simply too big
    // for a fuzzing process. validate() bounds every field, so these products cannot overflow.
    const dikkat::ModelConfig& m = c.model;
    if (m.vocab_size * m.n_embd < (1 << 20) && m.n_layer < 8 &&
        m.n_embd * m.n_embd * m.ffn_mult < (1 << 20) && m.context < 4096)
      dikkat::make_model(m);
  } catch (const dikkat::Error&) {
  }
  return 0;
}
