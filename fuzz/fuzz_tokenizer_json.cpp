// Any bytes as a model's tokenizer.json (dikkat's character layout or Hugging Face's BPE):
// loaded or an Error; a loaded tokenizer round-trips its own vocabulary.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "error.h"
#include "tokenize/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    const dikkat::Tokenizer t = dikkat::Tokenizer::from_json(j, "tokenizer.json");
    for (int32_t id = 0; id < t.vocab_size() && id < 512; ++id) t.decode_one(id);
    t.encode("Ali ata bak. ali ata bak.", "fuzz");
  } catch (const dikkat::Error&) {
  }
  return 0;
}
