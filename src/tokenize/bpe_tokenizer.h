#pragma once
// Byte-level BPE, byte for byte as GPT-2's tokenizer: text is cut into chunks by GPT-2's
// pre-tokenizer (gpt2_pretokenizer.h), each chunk starts as one token per byte, and merge rules
// join adjacent tokens by rank (bpe_merge.h). Every byte string encodes, invalid UTF-8 included,
// and decode(encode(x)) == x.
//
// Where tokenizers come from:
//  - train(): learned from text (bpe_trainer.h): ids 0..255 are the bytes by value, learned
//    tokens follow in the order learned, special tokens come last;
//  - from_tiktoken_file(): a tiktoken rank file such as GPT-2's (ids are the ranks), plus
//    <|endoftext|> right after the last rank (50256 for GPT-2);
//  - from_hf_json() / load(): Hugging Face's tokenizer.json for byte-level BPE, which save()
//    writes; load() also reads .tiktoken files.
//
// Special tokens (such as <|endoftext|>) have ids but are never produced by encode(), which
// treats their text as ordinary text; encode_with_special() recognises their literal text.
#include <array>
#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tokenize/bpe_merge.h"
#include "tokenize/bpe_trainer.h"

namespace dikkat {

struct SpecialToken {
  std::string text;
  int32_t id;
};

class BpeTokenizer {
 public:
  // Learns a vocabulary of `vocab_size` tokens in all: 256 bytes, the merges learned from the
  // GPT-2 chunks of `texts`, then `special_tokens` (their text in `texts` is cut out before
  // counting, so no merge learns it). Stops early, with fewer tokens, when no pair is left to
  // merge. Ties between equally frequent pairs go to the smallest (left id, right id); the result
  // depends only on the texts and the arguments. `progress`, when set, is called about once a
  // second while merging. Errors: vocab_size below 256 + specials, an empty corpus, an empty,
  // repeated or non-UTF-8 special token.
  static BpeTokenizer train(const std::vector<std::string>& texts, int64_t vocab_size,
                            const std::vector<std::string>& special_tokens,
                            const BpeProgressFn& progress = {});

  // A tiktoken rank file: one "<base64 token bytes> <rank>" per line, ranks 0..N-1, every single
  // byte among them, each longer token the merge of two lower-ranked ones. Adds <|endoftext|>
  // as id N. Errors name the file and line.
  static BpeTokenizer from_tiktoken_file(const std::string& path);

  // Hugging Face tokenizer.json with model.type "BPE" and GPT-2's ByteLevel pre-tokenizer;
  // added_tokens become special tokens. `source` names the file in errors, which also name the
  // field ("model.merges[12]").
  static BpeTokenizer from_hf_json(const nlohmann::json& j, const std::string& source);

  // A tokenizer.json, or a tiktoken rank file when the name ends in ".tiktoken" (or the file
  // does not start with '{'). Errors name the file and line (JSON syntax) or field.
  static BpeTokenizer load(const std::string& path);

  // Hugging Face's layout (GPT-2's tokenizer.json): vocab in byte-level characters, merges as
  // "left right" strings in rank order, special tokens in added_tokens.
  nlohmann::json to_hf_json() const;
  // Writes to_hf_json() (vocab in id order) through a temporary file and a rename.
  void save(const std::string& path) const;

  // Ordinary text: special tokens' text is encoded like any other.
  std::vector<int32_t> encode(std::string_view bytes) const;
  // Like encode(), but the literal text of a special token becomes its id (the longest one
  // where several start at the same byte).
  std::vector<int32_t> encode_with_special(std::string_view bytes) const;
  // encode() appending to `out`: a stream cut at gpt2_stream_cut() points, piece by piece,
  // gives the same ids as the whole text at once.
  void encode_to(std::string_view bytes, std::vector<int32_t>& out) const;

  // The bytes of the tokens, joined; Error for an id outside the vocabulary.
  std::string decode(std::span<const int32_t> ids) const;
  // One token's bytes (a special token's text). A token may end inside a UTF-8 character.
  std::string token_bytes(int32_t id) const;

  int64_t vocab_size() const { return int64_t(tokens_.size()); }
  std::optional<int32_t> special_id(std::string_view text) const;
  const std::vector<SpecialToken>& special_tokens() const { return specials_; }
  bool is_special(int32_t id) const;
  // Merge rules in rank order.
  const std::vector<BpeMerge>& merges() const { return merges_; }

  // Checks the parts and builds the tables. tokens[id] holds each token's bytes (a special
  // token's text); every byte must be a non-special token of its own, non-special tokens must
  // be distinct, and each merge must join two tokens into the one whose bytes are theirs.
  // `source` names the origin in errors.
  BpeTokenizer(std::vector<std::string> tokens, std::vector<BpeMerge> merges,
               std::vector<SpecialToken> specials, const std::string& source);

 private:
  std::vector<std::string> tokens_;
  std::vector<BpeMerge> merges_;
  std::vector<SpecialToken> specials_;
  std::vector<uint8_t> special_flags_;  // by id
  std::array<int32_t, 256> byte_ids_{};
  BpeMergeTable table_;
};

}  // namespace dikkat
