#include "tokenize/tokenizer.h"

#include <nlohmann/json.hpp>

#include "error.h"
#include "tokenize/utf8.h"

namespace dikkat {

Tokenizer Tokenizer::from_json(const nlohmann::json& j, const std::string& source) {
  try {
    if (j.is_object() && j.contains("model"))
      return Tokenizer(BpeTokenizer::from_hf_json(j, source));
    return Tokenizer(CharTokenizer::from_json(j, source));
  } catch (const nlohmann::json::exception& e) {
    // A field of the wrong JSON type that a reader did not check (found by fuzzing).
    throw Error(source + ": " + e.what());
  }
}

nlohmann::json Tokenizer::to_json() const {
  return is_bpe() ? std::get<BpeTokenizer>(impl_).to_hf_json()
                  : std::get<CharTokenizer>(impl_).to_json();
}

int64_t Tokenizer::vocab_size() const {
  return std::visit([](const auto& t) { return t.vocab_size(); }, impl_);
}

std::vector<int32_t> Tokenizer::encode(std::string_view utf8, const std::string& what) const {
  const std::u32string text = decode_utf8(utf8, what);  // also validates BPE input
  if (is_bpe()) return std::get<BpeTokenizer>(impl_).encode(utf8);
  return std::get<CharTokenizer>(impl_).encode(text, what);
}

std::vector<int32_t> Tokenizer::encode_with_special(std::string_view utf8,
                                                    const std::string& what) const {
  if (!is_bpe()) return std::get<CharTokenizer>(impl_).encode_with_special(utf8, what);
  decode_utf8(utf8, what);  // validates
  std::string text(utf8);
  const std::string spaced = " " + std::string(kMaskToken);
  for (size_t at = text.find(spaced); at != std::string::npos; at = text.find(spaced, at))
    text.erase(at, 1);
  return std::get<BpeTokenizer>(impl_).encode_with_special(text);
}

std::string Tokenizer::decode_one(int32_t id) const {
  if (is_bpe()) return std::get<BpeTokenizer>(impl_).token_bytes(id);
  return std::get<CharTokenizer>(impl_).decode_one(id);
}

std::string Tokenizer::decode(std::span<const int32_t> ids) const {
  if (is_bpe()) return std::get<BpeTokenizer>(impl_).decode(ids);
  return std::get<CharTokenizer>(impl_).decode(std::vector<int32_t>(ids.begin(), ids.end()));
}

std::string Tokenizer::decode_text(std::span<const int32_t> ids) const {
  return valid_utf8(decode(ids));
}

std::optional<int32_t> Tokenizer::end_of_text() const { return special_id("<|endoftext|>"); }

std::optional<int32_t> Tokenizer::special_id(std::string_view text) const {
  return std::visit([&](const auto& t) { return t.special_id(text); }, impl_);
}

bool Tokenizer::is_special(int32_t id) const {
  return std::visit([&](const auto& t) { return t.is_special(id); }, impl_);
}

}  // namespace dikkat
