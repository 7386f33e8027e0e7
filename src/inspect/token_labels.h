#pragma once
// How tables and drawings name a token: its text with the invisible made visible, so a space,
// a newline or a tab is a cell label a reader can see.
#include <string>
#include <string_view>
#include <vector>

namespace dikkat {

// ' ' -> "␣", '\n' -> "↵", '\t' -> "⇥", '\r' -> "␍", other control characters -> "U+XXXX";
// everything else unchanged. `text` is UTF-8.
std::string visible_token(std::string_view text);
std::vector<std::string> visible_tokens(const std::vector<std::string>& texts);

}  // namespace dikkat
