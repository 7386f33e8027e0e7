// Hugging Face's tokenizer.json for byte-level BPE (GPT-2's layout), and load/save.
//
// Hugging Face stores each token as text in GPT-2's byte-level alphabet: every byte becomes one
// printable character (bytes_to_unicode in GPT-2's encoder.py): the printable Latin-1 bytes
// ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves, the other 68 take U+0100 onwards in byte
// order, so a space is 'Ġ' (U+0120) and a newline 'Ċ' (U+010A).
#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "error.h"
#include "io/file_io.h"
#include "tokenize/bpe_tiktoken_file.h"
#include "tokenize/bpe_tokenizer.h"
#include "tokenize/utf8.h"

namespace dikkat {

namespace {

struct ByteLevelAlphabet {
  std::array<std::string, 256> byte_to_text;  // UTF-8 of each byte's character
  std::array<int16_t, 512> char_to_byte;      // -1: not in the alphabet

  ByteLevelAlphabet() {
    char_to_byte.fill(-1);
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      const char32_t c = printable ? char32_t(b) : next++;
      byte_to_text[b] = encode_utf8(c);
      char_to_byte[c] = int16_t(b);
    }
  }
};

const ByteLevelAlphabet& alphabet() {
  static const ByteLevelAlphabet a;
  return a;
}

std::string to_byte_level(std::string_view bytes) {
  std::string s;
  for (const char c : bytes) s += alphabet().byte_to_text[uint8_t(c)];
  return s;
}

std::string json_quoted(const std::string& s) { return nlohmann::json(s).dump(); }

class HfReader {
 public:
  explicit HfReader(const std::string& source) : source_(source) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw Error(source_ + ": " + field + ": " + what);
  }

  // `obj[key]` when present and not null.
  const nlohmann::json* get(const nlohmann::json& obj, const char* key) const {
    const auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
  }

  // A flag that must have the value `want`; `dflt` is Hugging Face's default when absent.
  void expect_flag(const nlohmann::json& obj, const std::string& path, const char* key, bool want,
                   bool dflt) const {
    const nlohmann::json* v = get(obj, key);
    if (v && !v->is_boolean()) fail(path + "." + key, "expected true or false");
    if ((v ? v->get<bool>() : dflt) != want)
      fail(path + "." + key, std::string("must be ") + (want ? "true" : "false") +
                                 " (dikkat reads GPT-2's byte-level BPE)");
  }

  // Part of the pipeline that must be absent, null or {"type": "ByteLevel", ...}.
  void expect_byte_level(const nlohmann::json& j, const char* key, bool required) const {
    const nlohmann::json* v = get(j, key);
    if (!v) {
      if (required) fail(key, "missing (dikkat reads GPT-2's ByteLevel pre-tokenizer)");
      return;
    }
    const nlohmann::json* type = v->is_object() ? get(*v, "type") : nullptr;
    if (!type || !type->is_string() || type->get<std::string>() != "ByteLevel")
      fail(std::string(key) + ".type",
           "expected \"ByteLevel\" (dikkat reads GPT-2's byte-level BPE)");
  }

  std::string bytes_of(const std::string& text, const std::string& field) const {
    const std::u32string chars = decode_utf8(text, source_ + ": " + field);
    std::string bytes;
    for (const char32_t c : chars) {
      const int b = c < alphabet().char_to_byte.size() ? alphabet().char_to_byte[c] : -1;
      if (b < 0)
        fail(field, json_quoted(text) + " holds " + describe_code_point(c) +
                        ", which is not in the byte-level alphabet");
      bytes += char(b);
    }
    if (bytes.empty()) fail(field, "empty token");
    return bytes;
  }

  int32_t token_id(const nlohmann::json& v, const std::string& field) const {
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > INT32_MAX - 1)
      fail(field, "expected a token id (an integer from 0), got " + v.dump());
    return int32_t(v.get<int64_t>());
  }

 private:
  const std::string& source_;
};

}  // namespace

BpeTokenizer BpeTokenizer::from_hf_json(const nlohmann::json& j, const std::string& source) {
  const HfReader r(source);
  if (!j.is_object()) throw Error(source + ": expected a JSON object (a tokenizer.json)");
  const nlohmann::json* model = r.get(j, "model");
  if (!model || !model->is_object()) r.fail("model", "missing (expected a BPE model)");
  const nlohmann::json* type = r.get(*model, "type");
  if (!type || !type->is_string() || type->get<std::string>() != "BPE")
    r.fail("model.type", (type ? type->dump() : std::string("missing")) +
                             "; dikkat reads byte-level BPE models (\"BPE\")");
  if (r.get(j, "normalizer"))
    r.fail("normalizer", "must be null (GPT-2's byte-level BPE has none)");
  r.expect_byte_level(j, "pre_tokenizer", true);
  const nlohmann::json& pre = *r.get(j, "pre_tokenizer");
  r.expect_flag(pre, "pre_tokenizer", "add_prefix_space", false, true);
  r.expect_flag(pre, "pre_tokenizer", "use_regex", true, true);
  r.expect_byte_level(j, "decoder", false);
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"})
    if (const nlohmann::json* v = r.get(*model, key); v && *v != "")
      r.fail(std::string("model.") + key, "must be empty in byte-level BPE");
  r.expect_flag(*model, "model", "byte_fallback", false, false);
  r.expect_flag(*model, "model", "ignore_merges", false, false);
  if (const nlohmann::json* v = r.get(*model, "dropout"); v && *v != 0)
    r.fail("model.dropout", "BPE dropout is not supported");

  const nlohmann::json* vocab = r.get(*model, "vocab");
  if (!vocab || !vocab->is_object()) r.fail("model.vocab", "missing (expected {token: id})");
  std::vector<SpecialToken> specials;
  int64_t n = 0;
  if (const nlohmann::json* added = r.get(j, "added_tokens")) {
    if (!added->is_array()) r.fail("added_tokens", "expected a list");
    for (size_t i = 0; i < added->size(); ++i) {
      const std::string field = "added_tokens[" + std::to_string(i) + "]";
      const nlohmann::json& a = (*added)[i];
      const nlohmann::json* content = a.is_object() ? r.get(a, "content") : nullptr;
      if (!content || !content->is_string() || !a.contains("id"))
        r.fail(field, "expected {\"id\": ..., \"content\": \"...\"}");
      specials.push_back({content->get<std::string>(), r.token_id(a["id"], field + ".id")});
      n = std::max<int64_t>(n, specials.back().id + 1);
    }
  }
  for (const auto& [key, value] : vocab->items())
    n = std::max<int64_t>(n, r.token_id(value, "model.vocab[" + json_quoted(key) + "]") + 1);

  std::vector<std::string> tokens(n);
  std::vector<int8_t> filled(n, 0);
  for (const SpecialToken& sp : specials) filled[sp.id] = 2;
  for (const auto& [key, value] : vocab->items()) {
    const std::string field = "model.vocab[" + json_quoted(key) + "]";
    const int32_t id = value.get<int32_t>();
    if (filled[id] == 2) {
      for (const SpecialToken& sp : specials)
        if (sp.id == id && sp.text != key)
          r.fail(field, "has id " + std::to_string(id) + ", which added_tokens gives to " +
                            json_quoted(sp.text));
      continue;
    }
    if (filled[id])
      r.fail(field,
             "id " + std::to_string(id) + " is also " + json_quoted(to_byte_level(tokens[id])));
    tokens[id] = r.bytes_of(key, field);
    filled[id] = 1;
  }
  for (int64_t id = 0; id < n; ++id)
    if (!filled[id])
      r.fail("model.vocab", "no token has id " + std::to_string(id) + " (ids must run 0.." +
                                std::to_string(n - 1) + " without gaps)");

  const nlohmann::json* merges_json = r.get(*model, "merges");
  if (!merges_json || !merges_json->is_array())
    r.fail("model.merges", "missing (expected a list of \"left right\")");
  std::vector<BpeMerge> merges;
  merges.reserve(merges_json->size());
  const auto id_of = [&](const std::string& text, const std::string& field) {
    const auto it = vocab->find(text);
    if (it == vocab->end()) r.fail(field, json_quoted(text) + " is not in model.vocab");
    return it->get<int32_t>();
  };
  for (size_t i = 0; i < merges_json->size(); ++i) {
    const std::string field = "model.merges[" + std::to_string(i) + "]";
    const nlohmann::json& m = (*merges_json)[i];
    std::string left, right;
    if (m.is_string()) {  // "left right" (tokenizers < 0.20 write only this)
      const std::string s = m.get<std::string>();
      const size_t space = s.find(' ');
      if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos)
        r.fail(field, json_quoted(s) + " is not \"left right\"");
      left = s.substr(0, space), right = s.substr(space + 1);
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      left = m[0].get<std::string>(), right = m[1].get<std::string>();
    } else {
      r.fail(field, m.dump() + " is not \"left right\" or [\"left\", \"right\"]");
    }
    merges.push_back({id_of(left, field), id_of(right, field), id_of(left + right, field)});
  }
  return BpeTokenizer(std::move(tokens), std::move(merges), std::move(specials), source);
}

namespace {

nlohmann::ordered_json hf_json(const BpeTokenizer& tok) {
  using ojson = nlohmann::ordered_json;
  ojson added = ojson::array();
  for (const SpecialToken& sp : tok.special_tokens())
    added.push_back({{"id", sp.id},
                     {"content", sp.text},
                     {"single_word", false},
                     {"lstrip", false},
                     {"rstrip", false},
                     {"normalized", false},
                     {"special", true}});
  // Keys are appended directly: ordered_json's operator[] searches linearly, which is
  // quadratic over GPT-2's 50,257 tokens. A special token's text can equal another token's
  // byte-level form (a special "Ġ" beside the token " "), which the file could not hold.
  ojson vocab = ojson::object();
  auto& entries = vocab.get_ref<ojson::object_t&>();
  entries.reserve(size_t(tok.vocab_size()));
  std::unordered_set<std::string> keys;
  for (int32_t id = 0; id < tok.vocab_size(); ++id) {
    std::string key = tok.is_special(id) ? tok.token_bytes(id) : to_byte_level(tok.token_bytes(id));
    if (!keys.insert(key).second)
      throw Error("tokenizer.json cannot hold two tokens written " + json_quoted(key) +
                  " (the second is id " + std::to_string(id) + ")");
    entries.emplace_back(std::move(key), id);
  }
  ojson merges = ojson::array();
  for (const BpeMerge& m : tok.merges())
    merges.push_back(to_byte_level(tok.token_bytes(m.left)) + " " +
                     to_byte_level(tok.token_bytes(m.right)));
  const auto byte_level = [](bool add_prefix_space, bool trim_offsets) {
    return ojson{{"type", "ByteLevel"},
                 {"add_prefix_space", add_prefix_space},
                 {"trim_offsets", trim_offsets},
                 {"use_regex", true}};
  };
  ojson j;
  j["version"] = "1.0";
  j["truncation"] = nullptr;
  j["padding"] = nullptr;
  j["added_tokens"] = std::move(added);
  j["normalizer"] = nullptr;
  j["pre_tokenizer"] = byte_level(false, true);
  j["post_processor"] = byte_level(true, false);
  j["decoder"] = byte_level(true, true);
  j["model"] = ojson{{"type", "BPE"},
                     {"dropout", nullptr},
                     {"unk_token", nullptr},
                     {"continuing_subword_prefix", ""},
                     {"end_of_word_suffix", ""},
                     {"fuse_unk", false},
                     {"byte_fallback", false},
                     {"vocab", std::move(vocab)},
                     {"merges", std::move(merges)}};
  return j;
}

}  // namespace

nlohmann::json BpeTokenizer::to_hf_json() const { return nlohmann::json(hf_json(*this)); }

void BpeTokenizer::save(const std::string& path) const {
  write_file_atomic(path, hf_json(*this).dump(2) + "\n");
}

BpeTokenizer BpeTokenizer::load(const std::string& path) {
  const std::string text = read_file(path);
  const auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  const size_t first = text.find_first_not_of(" \t\r\n");
  const bool json = ends_with(".json") ||
                    (!ends_with(".tiktoken") && first != std::string::npos && text[first] == '{');
  if (!json) return parse_tiktoken_ranks(text, path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte counts the bytes read, the offending one included.
    const size_t upto = std::min(e.byte > 0 ? e.byte - 1 : 0, text.size());
    size_t line = 1, line_start = 0;
    for (size_t i = 0; i < upto; ++i)
      if (text[i] == '\n') ++line, line_start = i + 1;
    const size_t column = upto - line_start + 1;
    std::string reason = e.what();
    if (const size_t colon = reason.find(": ", reason.find("column")); colon != std::string::npos)
      reason = reason.substr(colon + 2);
    if (const size_t last = reason.find("; last read"); last != std::string::npos)
      reason.erase(last);
    for (char& c : reason)
      if (c == '\n' || c == '\r') c = ' ';
    throw Error(path + ":" + std::to_string(line) + ":" + std::to_string(column) +
                ": not valid JSON (" + reason + ")");
  }
  return from_hf_json(j, path);
}

}  // namespace dikkat
