#pragma once
// tiktoken rank files ("<base64 token bytes> <rank>" per line, as gpt2.tiktoken / r50k_base).
//
// tiktoken keeps no merge list: it merges any two adjacent parts whose joined bytes are a token,
// lowest rank first. dikkat recovers the merge list from the ranks (the way tiktoken's own
// educational code does): each token of rank r is encoded with only the tokens of rank below r,
// which must leave exactly two parts, and those two are its merge. Encoding with these merges
// gives GPT-2's ids exactly (tested on Tiny Shakespeare and Turkish text).
#include <string>
#include <string_view>

#include "tokenize/bpe_tokenizer.h"

namespace dikkat {

// The tokenizer of a rank file's text; `source` (the path) names it in errors, with the line.
BpeTokenizer parse_tiktoken_ranks(std::string_view text, const std::string& source);

}  // namespace dikkat
