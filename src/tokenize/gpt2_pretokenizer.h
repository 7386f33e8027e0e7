#pragma once
// GPT-2's pre-tokenizer: cuts text into the chunks that byte-level BPE merges within. It splits
// exactly as GPT-2's regex (tiktoken's gpt2 / r50k_base `pat_str`, Hugging Face's ByteLevel
// pre-tokenizer with use_regex)
//
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//
// but by hand, in one pass over the bytes, with no regex engine and no allocation.
//
// Character classes come from utf8proc (Unicode 15): letter = General_Category L* (Lu Ll Lt Lm
// Lo), number = N* (Nd Nl No), whitespace = the White_Space property (Z* plus U+0009..U+000D and
// U+0085), other = everything else. A byte that does not begin a well-formed UTF-8 sequence is a
// character of its own, one byte long, of class "other" (where U+FFFD would fall), so any byte
// string splits, and the chunks always concatenate back to the input.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace dikkat {

enum class CharClass : uint8_t { kLetter, kNumber, kSpace, kOther };

struct ClassifiedChar {
  CharClass cls;
  uint8_t length;  // bytes, 1..4
};

// The character that starts at text[pos] (pos < text.size()).
ClassifiedChar classify_char(std::string_view text, size_t pos);

// The end of the chunk that starts at `pos` (pos < text.size()); the next chunk starts there.
size_t gpt2_chunk_end(std::string_view text, size_t pos);

// Where a stream may be cut: the largest b, 0 < b < text.size(), such that splitting text[0, b)
// on its own gives exactly the chunks that the whole stream (text and whatever follows it) has
// before b; 0 when there is none yet. It is the end of a line whose last character and the next
// line's first character are both ASCII and not whitespace, so every chunk of text[0, b) ended
// for a reason inside text[0, b], whatever comes after.
size_t gpt2_stream_cut(std::string_view text);

// Calls emit(chunk) for each chunk of `text` in order.
template <typename Emit>
void for_each_gpt2_chunk(std::string_view text, Emit&& emit) {
  for (size_t pos = 0; pos < text.size();) {
    const size_t end = gpt2_chunk_end(text, pos);
    emit(text.substr(pos, end - pos));
    pos = end;
  }
}

}  // namespace dikkat
