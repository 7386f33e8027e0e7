#include "serve/base64.h"

#include <openssl/evp.h>

#include <bit>

namespace dikkat {

static_assert(std::endian::native == std::endian::little,
              "the page reads float32 arrays as little-endian");

std::string base64_floats(std::span<const float> values) {
  const size_t bytes = values.size_bytes();
  std::string out(4 * ((bytes + 2) / 3) + 1, '\0');  // EVP_EncodeBlock adds a NUL
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(values.data()), int(bytes));
  out.resize(size_t(n));
  return out;
}

}  // namespace dikkat
