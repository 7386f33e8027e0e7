#pragma once
// The tokenizer a model was trained with, whichever kind: characters (code points, from the text
// or seed 003's alphabet) or byte-level BPE. Everything past training (checkpoints, generate,
// eval, the look-inside commands) goes through this one type.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tokenize/bpe_tokenizer.h"
#include "tokenize/char_tokenizer.h"

namespace dikkat {

// The special tokens of a masked language model (BERT's): what a masked position reads, the
// start and end of an example, and padding.
inline constexpr std::string_view kMaskToken = "[MASK]";
inline constexpr std::string_view kClsToken = "[CLS]";
inline constexpr std::string_view kSepToken = "[SEP]";
inline constexpr std::string_view kPadToken = "[PAD]";

class Tokenizer {
 public:
  explicit Tokenizer(CharTokenizer chars) : impl_(std::move(chars)) {}
  explicit Tokenizer(BpeTokenizer bpe) : impl_(std::move(bpe)) {}

  // A model directory's tokenizer.json: dikkat's {"type": "char", ...} or Hugging Face's BPE
  // layout. `source` names the file in errors.
  static Tokenizer from_json(const nlohmann::json& j, const std::string& source);
  nlohmann::json to_json() const;

  bool is_bpe() const { return std::holds_alternative<BpeTokenizer>(impl_); }
  std::string kind() const { return is_bpe() ? "bpe" : "char"; }
  int64_t vocab_size() const;

  // UTF-8 text to ids. Invalid UTF-8 is an error naming `what` and the byte offset; for a
  // character vocabulary, so is a character it has never seen (unless it has an unknown symbol).
  std::vector<int32_t> encode(std::string_view utf8, const std::string& what) const;
  // The same, with the literal text of a special token ("[MASK]") read as its id. With BPE a
  // space just before [MASK] belongs to the mask (a BPE word token carries its leading space, so
  // the mask stands for " word", as RoBERTa's <mask> strips the space on its left).
  std::vector<int32_t> encode_with_special(std::string_view utf8, const std::string& what) const;
  // One token's text (for BPE, its bytes: a token may end inside a UTF-8 character).
  std::string decode_one(int32_t id) const;
  std::string decode(std::span<const int32_t> ids) const;
  // decode() made valid UTF-8 (utf8.h valid_utf8): a whole output for people and files.
  std::string decode_text(std::span<const int32_t> ids) const;
  // The id of <|endoftext|> when the vocabulary has it: generation stops there.
  std::optional<int32_t> end_of_text() const;
  std::optional<int32_t> special_id(std::string_view text) const;
  bool is_special(int32_t id) const;

 private:
  std::variant<CharTokenizer, BpeTokenizer> impl_;
};

}  // namespace dikkat
