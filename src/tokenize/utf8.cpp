#include "tokenize/utf8.h"

#include <cstdio>
#include <utility>

#include "error.h"

namespace dikkat {

namespace {

// The code point starting at bytes[i] and its length in bytes; length 0 when the bytes there do
// not start a well-formed character (bad lead byte, truncated or overlong sequence, surrogate,
// code point above U+10FFFF).
std::pair<char32_t, int> next_code_point(std::string_view bytes, size_t i) {
  const auto lead = static_cast<unsigned char>(bytes[i]);
  int extra = 0;
  char32_t cp = 0;
  if (lead < 0x80) return {lead, 1};
  if ((lead & 0xE0) == 0xC0) {
    extra = 1, cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2, cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3, cp = lead & 0x07;
  } else {
    return {0, 0};
  }
  if (i + extra >= bytes.size()) return {0, 0};  // truncated at the end of the input
  for (int k = 1; k <= extra; ++k) {
    const auto cont = static_cast<unsigned char>(bytes[i + k]);
    if ((cont & 0xC0) != 0x80) return {0, 0};
    cp = (cp << 6) | (cont & 0x3F);
  }
  static constexpr char32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {0, 0};
  return {cp, extra + 1};
}

}  // namespace

std::u32string decode_utf8(std::string_view bytes, const std::string& source) {
  std::u32string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    const auto [cp, length] = next_code_point(bytes, i);
    if (length == 0) throw Error(source + ": invalid UTF-8 at byte offset " + std::to_string(i));
    out.push_back(cp);
    i += size_t(length);
  }
  return out;
}

std::string valid_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    const int length = next_code_point(bytes, i).second;
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    out.append(bytes.substr(i, size_t(length)));
    i += size_t(length);
  }
  return out;
}

std::string encode_utf8(char32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += char(cp);
  } else if (cp < 0x800) {
    s += char(0xC0 | (cp >> 6));
    s += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += char(0xE0 | (cp >> 12));
    s += char(0x80 | ((cp >> 6) & 0x3F));
    s += char(0x80 | (cp & 0x3F));
  } else {
    s += char(0xF0 | (cp >> 18));
    s += char(0x80 | ((cp >> 12) & 0x3F));
    s += char(0x80 | ((cp >> 6) & 0x3F));
    s += char(0x80 | (cp & 0x3F));
  }
  return s;
}

std::string encode_utf8(std::u32string_view text) {
  std::string s;
  s.reserve(text.size());
  for (char32_t cp : text) s += encode_utf8(cp);
  return s;
}

std::string describe_code_point(char32_t cp) {
  char code[16];
  std::snprintf(code, sizeof code, "U+%04X", unsigned(cp));
  const bool printable = cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0);
  std::string out;
  if (printable) {
    out += '\'';
    out += encode_utf8(cp);
    out += "' ";
  }
  out += '(';
  out += code;
  out += ')';
  return out;
}

}  // namespace dikkat
