// Any bytes as a tiktoken rank file: parsed or an Error naming the line; a parsed one encodes
// and decodes text back to itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "error.h"
#include "tokenize/bpe_tiktoken_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const dikkat::BpeTokenizer t = dikkat::parse_tiktoken_ranks(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.tiktoken");
    const std::string text = "Ali ata bak, 123 kez!";
    if (t.decode(t.encode(text)) != text) __builtin_trap();
  } catch (const dikkat::Error&) {
  }
  return 0;
}
