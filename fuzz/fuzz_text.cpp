// Any bytes as training text: strict UTF-8 decoding either gives code points that encode back
// to the same bytes or an Error naming the offset; byte-level BPE round-trips any bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "error.h"
#include "tokenize/bpe_tokenizer.h"
#include "tokenize/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    if (dikkat::encode_utf8(dikkat::decode_utf8(bytes, "fuzz.txt")) != bytes) __builtin_trap();
  } catch (const dikkat::Error&) {
  }
  static const dikkat::BpeTokenizer bpe =
      dikkat::BpeTokenizer::train({"ali ata bak. ali topu at. ayşe ipi atla."}, 300, {});
  if (bpe.decode(bpe.encode(bytes)) != bytes) __builtin_trap();
  return 0;
}
