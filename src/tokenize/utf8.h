#pragma once
// Strict UTF-8 decoding, repair, and encoding of Unicode code points.
#include <string>
#include <string_view>
#include <vector>

namespace dikkat {

// Decodes `bytes`; on malformed input (bad lead byte, truncated or overlong sequence, surrogate,
// code point above U+10FFFF) throws Error "<source>: invalid UTF-8 at byte offset N".
std::u32string decode_utf8(std::string_view bytes, const std::string& source);
// `bytes` with every byte that does not start a well-formed character replaced by U+FFFD (as
// Hugging Face's byte-level decoders do): how a byte-level model's output, which may cut a
// character, becomes text for files, scores and JSON.
std::string valid_utf8(std::string_view bytes);
std::string encode_utf8(char32_t cp);
std::string encode_utf8(std::u32string_view text);
// "'ç' (U+00E7)": how errors and tables name a character.
std::string describe_code_point(char32_t cp);

}  // namespace dikkat
