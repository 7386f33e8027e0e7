#pragma once
// sacreBLEU's default BLEU tokenizer "13a": the rules of mteval-v13a.pl, the script WMT used to
// score translations, so that BLEU counts the same words as every paper that reports it.
#include <string>
#include <string_view>

namespace dikkat {

// What BLEU splits a line into words with (sacreBLEU's --tokenize).
enum class BleuTokenizer {
  k13a,  // mteval-v13a's punctuation rules, then whitespace
  kNone  // whitespace only: for text that is already tokenized
};

// The name sacreBLEU's signature gives the tokenizer ("13a", "none").
const char* tokenizer_name(BleuTokenizer tokenizer);

// The line with its tokens separated by single spaces, in sacreBLEU 2.x's order:
//   1. remove "<skipped>", join "-\n", turn "\n" into a space, and unescape &quot; &amp; &lt; &gt;
//      (each a plain replace-all over the whole line, one after another);
//   2. put spaces around every ASCII punctuation and symbol character except the apostrophe,
//      comma, hyphen and period: ! " # $ % & ( ) * + / : ; < = > ? @ [ \ ] ^ _ ` { | } ~;
//   3. split off a period or comma that follows a non-digit ("a." -> "a . "), then one that is
//      followed by a non-digit (".a" -> " . a"), so "3.14" and "1,000" stay whole;
//   4. split off a hyphen that follows a digit ("1-2" -> "1 - 2");
//   5. collapse whitespace (Python's: U+00A0 and the other Unicode spaces count) to single spaces.
// Steps 3 and 4 scan left to right and never reuse a character a replacement consumed, as
// Python's re.sub does. Only ASCII digits count as digits.
std::u32string tokenize_13a(std::u32string_view line);

// The line's tokens with `tokenizer`, joined by single spaces.
std::u32string tokenize_for_bleu(std::u32string_view line, BleuTokenizer tokenizer);

}  // namespace dikkat
