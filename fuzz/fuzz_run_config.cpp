// Any bytes as a checkpoint's config.json: parsed and checked field by field, or an Error.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "error.h"
#include "io/checkpoint.h"
#include "nn/gpt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    const dikkat::RunConfig c = dikkat::parse_run_config(j, "config.json");
    // A config that passes must describe a model that can be built, unless it is simply too big
    // for a fuzzing process.
    if (c.model.vocab_size * c.model.n_embd < (1 << 20) && c.model.n_layer < 8 &&
        c.model.n_embd * c.model.n_embd * c.model.ffn_mult < (1 << 20) && c.model.context < 4096)
      dikkat::Gpt model(c.model);
  } catch (const dikkat::Error&) {
  }
  return 0;
}
