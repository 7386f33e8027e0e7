#include "tokenize/gpt2_pretokenizer.h"

#include <utf8proc.h>

#include <array>

namespace dikkat {

namespace {

constexpr std::array<CharClass, 128> make_ascii_classes() {
  std::array<CharClass, 128> t{};
  for (int c = 0; c < 128; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      t[c] = CharClass::kLetter;
    else if (c >= '0' && c <= '9')
      t[c] = CharClass::kNumber;
    else if (c == ' ' || (c >= '\t' && c <= '\r'))
      t[c] = CharClass::kSpace;
    else
      t[c] = CharClass::kOther;
  }
  return t;
}
constexpr std::array<CharClass, 128> kAsciiClasses = make_ascii_classes();

CharClass class_of_code_point(int32_t cp) {
  if (cp == 0x85) return CharClass::kSpace;  // NEXT LINE is White_Space but category Cc
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      return CharClass::kLetter;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return CharClass::kNumber;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return CharClass::kSpace;
    default:
      return CharClass::kOther;
  }
}

inline bool is_continuation(uint8_t b) { return (b & 0xC0) == 0x80; }

// The end of the run of `cls` characters that starts at `pos`.
size_t run_end(std::string_view text, size_t pos, CharClass cls) {
  const size_t n = text.size();
  while (pos < n) {
    const uint8_t b = uint8_t(text[pos]);
    if (b < 0x80) {
      if (kAsciiClasses[b] != cls) break;
      ++pos;
      continue;
    }
    const ClassifiedChar c = classify_char(text, pos);
    if (c.cls != cls) break;
    pos += c.length;
  }
  return pos;
}

}  // namespace

ClassifiedChar classify_char(std::string_view text, size_t pos) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data()) + pos;
  const size_t left = text.size() - pos;
  const uint8_t b0 = p[0];
  if (b0 < 0x80) return {kAsciiClasses[b0], 1};
  // Well-formed sequences only (Unicode Table 3-7): no overlongs, surrogates or > U+10FFFF.
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (left >= 2 && is_continuation(p[1]))
      return {class_of_code_point(((b0 & 0x1F) << 6) | (p[1] & 0x3F)), 2};
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    const uint8_t lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
    if (left >= 3 && p[1] >= lo && p[1] <= hi && is_continuation(p[2]))
      return {class_of_code_point(((b0 & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F)), 3};
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    const uint8_t lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (left >= 4 && p[1] >= lo && p[1] <= hi && is_continuation(p[2]) && is_continuation(p[3]))
      return {class_of_code_point(((b0 & 0x07) << 18) | ((p[1] & 0x3F) << 12) |
                                  ((p[2] & 0x3F) << 6) | (p[3] & 0x3F)),
              4};
  }
  return {CharClass::kOther, 1};  // not UTF-8: a one-byte "other" character, like U+FFFD
}

size_t gpt2_chunk_end(std::string_view text, size_t pos) {
  const size_t n = text.size();
  const char b = text[pos];
  // 's|'t|'re|'ve|'m|'ll|'d  (tried first, so "'s" splits off even inside a run of symbols)
  if (b == '\'' && pos + 1 < n) {
    const char c = text[pos + 1];
    if (c == 's' || c == 't' || c == 'm' || c == 'd') return pos + 2;
    if (pos + 2 < n) {
      const char c2 = text[pos + 2];
      if ((c == 'r' && c2 == 'e') || (c == 'v' && c2 == 'e') || (c == 'l' && c2 == 'l'))
        return pos + 3;
    }
  }
  // ' ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+' with the optional space taken
  if (b == ' ' && pos + 1 < n) {
    const ClassifiedChar next = classify_char(text, pos + 1);
    if (next.cls != CharClass::kSpace) return run_end(text, pos + 1 + next.length, next.cls);
  }
  // ... and without it
  const ClassifiedChar first = classify_char(text, pos);
  if (first.cls != CharClass::kSpace) return run_end(text, pos + first.length, first.cls);
  // '\s+(?!\S)|\s+': a whitespace run up to the end of the text is one chunk; before anything
  // else the run leaves its last character to start the next chunk (" word"), unless the run is
  // that one character.
  size_t last_start = pos, end = pos + first.length;
  while (end < n) {
    const ClassifiedChar c = classify_char(text, end);
    if (c.cls != CharClass::kSpace) break;
    last_start = end;
    end += c.length;
  }
  if (end == n || last_start == pos) return end;
  return last_start;
}

size_t gpt2_stream_cut(std::string_view text) {
  // "x\ny": the chunk before the newline ends at it (a class change), the newline is a chunk of
  // its own (one whitespace character before a non-space one, or at the end of the text: the
  // same chunk either way), and a chunk starting at y depends only on what follows it.
  const auto is_solid = [](char c) {
    const auto b = uint8_t(c);
    return b < 0x80 && kAsciiClasses[b] != CharClass::kSpace;
  };
  for (size_t b = text.size() - (text.empty() ? 0 : 1); b >= 2; --b)
    if (text[b - 1] == '\n' && is_solid(text[b - 2]) && is_solid(text[b])) return b;
  return 0;
}

}  // namespace dikkat
