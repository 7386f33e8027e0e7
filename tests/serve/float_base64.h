#pragma once
// The page's side of the API's float arrays: base64 back to float32, for the tests.
#include <openssl/evp.h>

#include <cstring>
#include <string>
#include <vector>

namespace dikkat::testing {

inline std::vector<float> floats_from_base64(const std::string& text) {
  std::vector<unsigned char> bytes(text.size() / 4 * 3 + 3);
  const int n = EVP_DecodeBlock(bytes.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                int(text.size()));
  if (n < 0) return {};
  // EVP_DecodeBlock counts the padding's zero bytes; the float count comes from the text.
  const size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
  std::vector<float> out((size_t(n) - padding) / 4);
  std::memcpy(out.data(), bytes.data(), out.size() * 4);
  return out;
}

}  // namespace dikkat::testing
