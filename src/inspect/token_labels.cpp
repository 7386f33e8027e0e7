#include "inspect/token_labels.h"

#include <cstdio>

#include "tokenize/utf8.h"

namespace dikkat {

std::string visible_token(std::string_view text) {
  // Invalid UTF-8 cannot come from a tokenizer's vocabulary; show the bytes rather than throw.
  std::u32string cps;
  try {
    cps = decode_utf8(text, "token");
  } catch (...) {
    std::string hex;
    for (unsigned char b : text) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "<%02X>", b);
      hex += buf;
    }
    return hex;
  }
  std::string out;
  for (char32_t cp : cps) {
    switch (cp) {
      case U' ':
        out += "␣";
        break;
      case U'\n':
        out += "↵";
        break;
      case U'\t':
        out += "⇥";
        break;
      case U'\r':
        out += "␍";
        break;
      default:
        if (cp < 0x20 || cp == 0x7f) {
          char buf[12];
          std::snprintf(buf, sizeof buf, "U+%04X", unsigned(cp));
          out += buf;
        } else {
          out += encode_utf8(cp);
        }
    }
  }
  return out;
}

std::vector<std::string> visible_tokens(const std::vector<std::string>& texts) {
  std::vector<std::string> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back(visible_token(t));
  return out;
}

}  // namespace dikkat
