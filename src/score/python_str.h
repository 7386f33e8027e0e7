#pragma once
// The few behaviours of Python's str that sacreBLEU's scores depend on, on Unicode code points:
// which characters are whitespace (str.split(), str.rstrip()) and what str.lower() gives. A
// hypothesis split on U+00A0 or lower-cased with 'İ' must give the tokens sacreBLEU counts.
#include <string>
#include <string_view>
#include <vector>

namespace dikkat {

// str.isspace(): tab, LF, VT, FF, CR, U+001C..U+001F, space, U+0085, U+00A0, U+1680,
// U+2000..U+200A, U+2028, U+2029, U+202F, U+205F and U+3000.
bool is_python_space(char32_t c);

// str.split() with no argument: the runs of non-whitespace, as views into `text`.
std::vector<std::u32string_view> split_python_whitespace(std::u32string_view text);

// str.rstrip() with no argument.
std::u32string_view rstrip_python_whitespace(std::u32string_view text);

// str.lower(): Unicode's full lower-case mapping ('İ' becomes "i̇", two code points) and the
// final-sigma rule ('Σ' at the end of a word becomes 'ς'). The letter mappings come from
// utf8proc, so they follow its Unicode version rather than Python's.
std::u32string python_lower(std::u32string_view text);

}  // namespace dikkat
