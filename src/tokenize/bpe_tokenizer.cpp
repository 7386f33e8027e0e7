#include "tokenize/bpe_tokenizer.h"

#include <cstdio>
#include <cstring>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "error.h"
#include "tokenize/gpt2_pretokenizer.h"
#include "tokenize/special_token_split.h"
#include "tokenize/utf8.h"

namespace dikkat {

namespace {

// "'ab\x80'": token bytes for error messages.
std::string describe_bytes(std::string_view bytes) {
  std::string s = "'";
  for (const char c : bytes) {
    const auto b = uint8_t(c);
    if (b >= 0x20 && b < 0x7F && c != '\\' && c != '\'') {
      s += c;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", b);
      s += buf;
    }
  }
  return s + "'";
}

// Chunk -> token ids for one encode call. Words repeat (GPT-2 text has about 1 new chunk in 10),
// so most chunks cost a hash and a compare instead of a merge loop. Keys point into the text
// being encoded, which outlives the cache.
class ChunkCache {
 public:
  explicit ChunkCache(size_t text_size) {
    size_t capacity = 64;
    while (capacity < text_size / 8 && capacity < (size_t(1) << 16)) capacity *= 2;
    slots_.resize(capacity);
  }

  // The ids cached for `chunk` appended to `out`, or false.
  bool append(std::string_view chunk, size_t hash, std::vector<int32_t>& out) const {
    for (size_t i = hash & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (s.data == nullptr) return false;
      if (s.hash == hash && s.size == chunk.size() &&
          std::memcmp(s.data, chunk.data(), chunk.size()) == 0) {
        out.insert(out.end(), ids_.begin() + ptrdiff_t(s.first),
                   ids_.begin() + ptrdiff_t(s.first + s.count));
        return true;
      }
    }
  }

  void store(std::string_view chunk, size_t hash, const int32_t* ids, size_t count) {
    if (2 * (used_ + 1) > slots_.size()) grow();
    Slot s{chunk.data(), hash, chunk.size(), ids_.size(), count};
    ids_.insert(ids_.end(), ids, ids + count);
    place(s);
    ++used_;
  }

 private:
  struct Slot {
    const char* data = nullptr;
    size_t hash = 0, size = 0, first = 0, count = 0;
  };
  void place(const Slot& s) {
    size_t i = s.hash & (slots_.size() - 1);
    while (slots_[i].data != nullptr) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = s;
  }
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old)
      if (s.data != nullptr) place(s);
  }

  std::vector<Slot> slots_;
  std::vector<int32_t> ids_;
  size_t used_ = 0;
};

void encode_chunks(std::string_view text, const std::array<int32_t, 256>& byte_ids,
                   const BpeMergeTable& table, ChunkCache& cache, std::vector<int32_t>& out) {
  const std::hash<std::string_view> hasher;
  for_each_gpt2_chunk(text, [&](std::string_view chunk) {
    if (chunk.size() == 1) {
      out.push_back(byte_ids[uint8_t(chunk[0])]);
      return;
    }
    const size_t hash = hasher(chunk);
    if (cache.append(chunk, hash, out)) return;
    const size_t first = out.size();
    bpe_merge_chunk(chunk, byte_ids, table, out);
    cache.store(chunk, hash, out.data() + first, out.size() - first);
  });
}

}  // namespace

BpeTokenizer::BpeTokenizer(std::vector<std::string> tokens, std::vector<BpeMerge> merges,
                           std::vector<SpecialToken> specials, const std::string& source)
    : tokens_(std::move(tokens)), merges_(std::move(merges)), specials_(std::move(specials)) {
  const auto n = int64_t(tokens_.size());
  if (n > INT32_MAX) throw Error(source + ": more than 2^31 tokens");
  special_flags_.assign(tokens_.size(), 0);
  std::unordered_set<std::string_view> special_texts;
  for (const SpecialToken& sp : specials_) {
    if (sp.id < 0 || sp.id >= n)
      throw Error(source + ": special token " + describe_bytes(sp.text) + " has id " +
                  std::to_string(sp.id) + ", outside the " + std::to_string(n) + " ids");
    if (special_flags_[sp.id])
      throw Error(source + ": id " + std::to_string(sp.id) + " is given to two special tokens");
    if (sp.text.empty())
      throw Error(source + ": special token " + std::to_string(sp.id) + " is empty");
    if (!special_texts.insert(sp.text).second)
      throw Error(source + ": special token " + describe_bytes(sp.text) + " is listed twice");
    special_flags_[sp.id] = 1;
    tokens_[sp.id] = sp.text;
  }

  byte_ids_.fill(-1);
  std::unordered_map<std::string_view, int32_t> by_bytes;
  by_bytes.reserve(tokens_.size());
  for (int32_t id = 0; id < n; ++id) {
    if (special_flags_[id]) continue;
    const std::string& t = tokens_[id];
    if (t.empty()) throw Error(source + ": token " + std::to_string(id) + " has no bytes");
    const auto [it, fresh] = by_bytes.emplace(t, id);
    if (!fresh)
      throw Error(source + ": tokens " + std::to_string(it->second) + " and " + std::to_string(id) +
                  " are both " + describe_bytes(t));
    if (t.size() == 1) byte_ids_[uint8_t(t[0])] = id;
  }
  for (int b = 0; b < 256; ++b)
    if (byte_ids_[b] < 0)
      throw Error(source + ": no token for the byte " + describe_bytes(std::string(1, char(b))) +
                  " (byte-level BPE needs a token for each of the 256 bytes)");
  for (const SpecialToken& sp : specials_)
    if (const auto it = by_bytes.find(sp.text); it != by_bytes.end())
      throw Error(source + ": special token " + describe_bytes(sp.text) +
                  " has the same text as the ordinary token " + std::to_string(it->second));

  std::unordered_map<uint64_t, size_t> seen;
  seen.reserve(merges_.size());
  for (size_t k = 0; k < merges_.size(); ++k) {
    const BpeMerge& m = merges_[k];
    const std::string where = source + ": merge " + std::to_string(k) + " (" +
                              std::to_string(m.left) + " + " + std::to_string(m.right) + " -> " +
                              std::to_string(m.merged) + ")";
    for (const int32_t id : {m.left, m.right, m.merged})
      if (id < 0 || id >= n || special_flags_[id])
        throw Error(where + ": id " + std::to_string(id) + " is not an ordinary token");
    const std::string& l = tokens_[m.left];
    const std::string& r = tokens_[m.right];
    const std::string& t = tokens_[m.merged];
    if (t.size() != l.size() + r.size() || t.compare(0, l.size(), l) != 0 ||
        t.compare(l.size(), r.size(), r) != 0)
      throw Error(where + ": " + describe_bytes(l) + " + " + describe_bytes(r) + " is not " +
                  describe_bytes(t));
    const uint64_t key = (uint64_t(uint32_t(m.left)) << 32) | uint32_t(m.right);
    if (const auto [it, fresh] = seen.emplace(key, k); !fresh)
      throw Error(where + ": the same pair as merge " + std::to_string(it->second));
  }
  table_ = BpeMergeTable(merges_);
}

BpeTokenizer BpeTokenizer::train(const std::vector<std::string>& texts, int64_t vocab_size,
                                 const std::vector<std::string>& special_tokens,
                                 const BpeProgressFn& progress) {
  const auto n_special = int64_t(special_tokens.size());
  if (vocab_size < 256 + n_special)
    throw Error("vocab size " + std::to_string(vocab_size) + " is below " +
                std::to_string(256 + n_special) + ": 256 byte tokens + " +
                std::to_string(n_special) + " special token" + (n_special == 1 ? "" : "s"));
  if (vocab_size > INT32_MAX)
    throw Error("vocab size " + std::to_string(vocab_size) + " is above 2^31 - 1");
  for (const std::string& s : special_tokens) {
    if (s.empty()) throw Error("special tokens must not be empty");
    decode_utf8(s, "special token " + describe_bytes(s));  // tokenizer.json holds text only
  }
  bool any_text = false;
  for (const std::string& t : texts) any_text = any_text || !t.empty();
  if (!any_text) throw Error("empty training corpus: there is no text to learn merges from");

  const std::vector<BpeWordCount> words = count_gpt2_chunks(texts, special_tokens);
  BpeTrainResult learned = learn_bpe_merges(words, vocab_size - n_special, progress);
  std::vector<SpecialToken> specials;
  for (const std::string& s : special_tokens) {
    specials.push_back({s, int32_t(learned.tokens.size())});
    learned.tokens.push_back(s);
  }
  return BpeTokenizer(std::move(learned.tokens), std::move(learned.merges), std::move(specials),
                      "trained tokenizer");
}

void BpeTokenizer::encode_to(std::string_view bytes, std::vector<int32_t>& out) const {
  ChunkCache cache(bytes.size());
  encode_chunks(bytes, byte_ids_, table_, cache, out);
}

std::vector<int32_t> BpeTokenizer::encode(std::string_view bytes) const {
  std::vector<int32_t> out;
  out.reserve(bytes.size() / 3 + 16);
  encode_to(bytes, out);
  return out;
}

std::vector<int32_t> BpeTokenizer::encode_with_special(std::string_view bytes) const {
  std::vector<int32_t> out;
  out.reserve(bytes.size() / 3 + 16);
  std::vector<std::string_view> texts;
  for (const SpecialToken& sp : specials_) texts.push_back(sp.text);
  ChunkCache cache(bytes.size());
  split_on_special_tokens(
      bytes, texts,
      [&](std::string_view segment) { encode_chunks(segment, byte_ids_, table_, cache, out); },
      [&](size_t i) { out.push_back(specials_[i].id); });
  return out;
}

std::string BpeTokenizer::decode(std::span<const int32_t> ids) const {
  size_t size = 0;
  for (const int32_t id : ids) {
    if (id < 0 || id >= vocab_size())
      throw Error("token id " + std::to_string(id) + " is outside the vocabulary (ids 0.." +
                  std::to_string(vocab_size() - 1) + ")");
    size += tokens_[id].size();
  }
  std::string out;
  out.reserve(size);
  for (const int32_t id : ids) out += tokens_[id];
  return out;
}

std::string BpeTokenizer::token_bytes(int32_t id) const {
  if (id < 0 || id >= vocab_size())
    throw Error("token id " + std::to_string(id) + " is outside the vocabulary (ids 0.." +
                std::to_string(vocab_size() - 1) + ")");
  return tokens_[id];
}

std::optional<int32_t> BpeTokenizer::special_id(std::string_view text) const {
  for (const SpecialToken& sp : specials_)
    if (sp.text == text) return sp.id;
  return std::nullopt;
}

bool BpeTokenizer::is_special(int32_t id) const {
  return id >= 0 && id < vocab_size() && special_flags_[id];
}

}  // namespace dikkat
