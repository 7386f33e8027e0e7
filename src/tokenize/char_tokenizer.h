#pragma once
// Character-level tokenizer over Unicode code points: one token per code point, so Turkish
// ç ğ ı İ ö ş ü are single tokens. Two kinds of vocabulary:
//  - from text: the sorted set of code points of the training text (nanoGPT's shakespeare_char);
//    a prompt character outside it is an error naming that character;
//  - a fixed alphabet with an unknown symbol (the seed248 preset): text is folded into it first
//    (see fold_to_alphabet) and anything else becomes the unknown symbol.
// Special tokens (a masked language model's [MASK], [CLS], [SEP], [PAD]) come after the symbols,
// one id each; encode_with_special reads their literal text, encode treats it as characters.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dikkat {

class CharTokenizer {
 public:
  // The distinct code points of `text`, in code point order, then `special_tokens` (their text
  // in `text` counts as characters too).
  static CharTokenizer from_text(std::u32string_view text,
                                 const std::vector<std::string>& special_tokens = {});
  // seed 003's 32 symbols: "abcdefghijklmnopqrstuvwxyz .,?!" and '_' for anything else.
  static CharTokenizer seed_alphabet();
  static CharTokenizer from_json(const nlohmann::json& j, const std::string& source);
  nlohmann::json to_json() const;

  int64_t vocab_size() const { return int64_t(symbols_.size() + specials_.size()); }
  const std::u32string& symbols() const { return symbols_; }
  bool has_unknown() const { return unknown_ != 0; }

  // `what` names the text in errors ("prompt", a file name). Throws Error for an unseen character
  // when the vocabulary has no unknown symbol.
  std::vector<int32_t> encode(std::u32string_view text, const std::string& what) const;
  // The same, with the literal text of a special token read as its id.
  std::vector<int32_t> encode_with_special(std::string_view utf8, const std::string& what) const;
  std::optional<int32_t> special_id(std::string_view text) const;
  bool is_special(int32_t id) const { return id >= int32_t(symbols_.size()) && id < vocab_size(); }
  std::string decode(const std::vector<int32_t>& ids) const;
  std::string decode_one(int32_t id) const;

 private:
  CharTokenizer(std::u32string symbols, char32_t unknown, std::vector<std::string> specials = {});
  // seed248 folding: ASCII to lower case, Turkish letters to their base letter (ç->c, ğ->g,
  // ı/İ->i, ö->o, ş->s, ü->u), newline and tab to space.
  char32_t fold(char32_t cp) const;

  std::u32string symbols_;
  char32_t unknown_;  // 0 when the vocabulary has none
  std::vector<std::string> specials_;  // UTF-8 texts, ids after the symbols
  std::unordered_map<char32_t, int32_t> index_;
};

}  // namespace dikkat
