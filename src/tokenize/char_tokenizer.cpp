#include "tokenize/char_tokenizer.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "error.h"
#include "tokenize/special_token_split.h"
#include "tokenize/utf8.h"

namespace dikkat {

namespace {
constexpr char32_t kSeedUnknown = U'_';
const std::u32string kSeedSymbols = U"abcdefghijklmnopqrstuvwxyz .,?!_";
}  // namespace

CharTokenizer::CharTokenizer(std::u32string symbols, char32_t unknown,
                             std::vector<std::string> specials)
    : symbols_(std::move(symbols)), unknown_(unknown), specials_(std::move(specials)) {
  for (size_t i = 0; i < symbols_.size(); ++i) index_.emplace(symbols_[i], int32_t(i));
}

CharTokenizer CharTokenizer::from_text(std::u32string_view text,
                                       const std::vector<std::string>& special_tokens) {
  std::u32string symbols(text);
  std::sort(symbols.begin(), symbols.end());
  symbols.erase(std::unique(symbols.begin(), symbols.end()), symbols.end());
  for (size_t i = 0; i < special_tokens.size(); ++i)
    if (special_tokens[i].empty() ||
        std::find(special_tokens.begin(), special_tokens.begin() + long(i), special_tokens[i]) !=
            special_tokens.begin() + long(i))
      throw Error("special token '" + special_tokens[i] + "' is empty or listed twice");
  return CharTokenizer(std::move(symbols), 0, special_tokens);
}

std::optional<int32_t> CharTokenizer::special_id(std::string_view text) const {
  for (size_t i = 0; i < specials_.size(); ++i)
    if (specials_[i] == text) return int32_t(symbols_.size() + i);
  return std::nullopt;
}

std::vector<int32_t> CharTokenizer::encode_with_special(std::string_view utf8,
                                                        const std::string& what) const {
  std::vector<std::string_view> texts(specials_.begin(), specials_.end());
  std::vector<int32_t> ids;
  split_on_special_tokens(
      utf8, texts,
      [&](std::string_view segment) {
        const std::vector<int32_t> part = encode(decode_utf8(segment, what), what);
        ids.insert(ids.end(), part.begin(), part.end());
      },
      [&](size_t i) { ids.push_back(int32_t(symbols_.size() + i)); });
  return ids;
}

CharTokenizer CharTokenizer::seed_alphabet() { return CharTokenizer(kSeedSymbols, kSeedUnknown); }

nlohmann::json CharTokenizer::to_json() const {
  nlohmann::json symbols = nlohmann::json::array();
  for (char32_t cp : symbols_) symbols.push_back(encode_utf8(cp));
  nlohmann::json j = {{"type", "char"}, {"symbols", symbols}};
  if (unknown_) j["unknown"] = encode_utf8(unknown_);
  if (!specials_.empty()) j["special_tokens"] = specials_;
  return j;
}

CharTokenizer CharTokenizer::from_json(const nlohmann::json& j, const std::string& source) {
  auto fail = [&](const std::string& what) { throw Error(source + ": " + what); };
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string() || j["type"] != "char")
    fail("not a character tokenizer (expected \"type\": \"char\")");
  if (!j.contains("symbols") || !j["symbols"].is_array() || j["symbols"].empty())
    fail("\"symbols\" must be a non-empty array of one-character strings");
  std::u32string symbols;
  for (const auto& s : j["symbols"]) {
    if (!s.is_string()) fail("\"symbols\" holds a non-string entry");
    const std::u32string cp = decode_utf8(s.get<std::string>(), source);
    if (cp.size() != 1) fail("symbol '" + s.get<std::string>() + "' is not one character");
    symbols += cp;
  }
  std::u32string sorted = symbols;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    fail("\"symbols\" lists a character twice");
  char32_t unknown = 0;
  if (j.contains("unknown")) {
    if (!j["unknown"].is_string()) fail("\"unknown\" must be a one-character string");
    const std::u32string u = decode_utf8(j["unknown"].get<std::string>(), source);
    if (u.size() != 1 || symbols.find(u[0]) == std::u32string::npos)
      fail("\"unknown\" must be one of the symbols");
    unknown = u[0];
  }
  std::vector<std::string> specials;
  if (j.contains("special_tokens")) {
    if (!j["special_tokens"].is_array()) fail("\"special_tokens\" must be an array of strings");
    for (const auto& s : j["special_tokens"]) {
      if (!s.is_string() || s.get<std::string>().empty())
        fail("\"special_tokens\" holds an empty or non-string entry");
      decode_utf8(s.get<std::string>(), source);
      if (std::find(specials.begin(), specials.end(), s.get<std::string>()) != specials.end())
        fail("special token '" + s.get<std::string>() + "' is listed twice");
      specials.push_back(s.get<std::string>());
    }
  }
  return CharTokenizer(std::move(symbols), unknown, std::move(specials));
}

char32_t CharTokenizer::fold(char32_t cp) const {
  if (cp >= U'A' && cp <= U'Z') return cp - U'A' + U'a';
  switch (cp) {
    case U'ç':
    case U'Ç':
      return U'c';
    case U'ğ':
    case U'Ğ':
      return U'g';
    case U'ı':
    case U'İ':
      return U'i';
    case U'ö':
    case U'Ö':
      return U'o';
    case U'ş':
    case U'Ş':
      return U's';
    case U'ü':
    case U'Ü':
      return U'u';
    case U'\n':
    case U'\t':
    case U'\r':
      return U' ';
    default:
      return cp;
  }
}

std::vector<int32_t> CharTokenizer::encode(std::u32string_view text,
                                           const std::string& what) const {
  std::vector<int32_t> ids;
  ids.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char32_t cp = unknown_ ? fold(text[i]) : text[i];
    auto it = index_.find(cp);
    if (it != index_.end()) {
      ids.push_back(it->second);
    } else if (unknown_) {
      ids.push_back(index_.at(unknown_));
    } else {
      throw Error(what + ": character " + describe_code_point(text[i]) + " at position " +
                  std::to_string(i) + " is not in the model's vocabulary");
    }
  }
  return ids;
}

std::string CharTokenizer::decode_one(int32_t id) const {
  if (id < 0 || id >= vocab_size()) throw Error("token id " + std::to_string(id) + " out of range");
  if (is_special(id)) return specials_[size_t(id) - symbols_.size()];
  return encode_utf8(symbols_[id]);
}

std::string CharTokenizer::decode(const std::vector<int32_t>& ids) const {
  std::string out;
  for (int32_t id : ids) out += decode_one(id);
  return out;
}

}  // namespace dikkat
