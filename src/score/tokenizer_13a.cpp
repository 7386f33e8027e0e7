#include "score/tokenizer_13a.h"

#include "score/python_str.h"

namespace dikkat {
namespace {

void replace_all(std::u32string& s, std::u32string_view from, std::u32string_view to) {
  if (s.find(from) == std::u32string::npos) return;
  std::u32string out;
  out.reserve(s.size());
  size_t pos = 0;
  for (size_t hit; (hit = s.find(from, pos)) != std::u32string::npos; pos = hit + from.size()) {
    out.append(s, pos, hit - pos);
    out.append(to);
  }
  out.append(s, pos, std::u32string::npos);
  s = std::move(out);
}

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_period_or_comma(char32_t c) { return c == U'.' || c == U','; }

// mteval's character class [\{-\~\[-\` -\&\(-\+\:-\@\/]: ASCII punctuation and symbols (and the
// space) except ' , - .
bool is_split_symbol(char32_t c) {
  return (c >= 0x7B && c <= 0x7E) || (c >= 0x5B && c <= 0x60) || (c >= 0x20 && c <= 0x26) ||
         (c >= 0x28 && c <= 0x2B) || (c >= 0x3A && c <= 0x40) || c == U'/';
}

// Rewrites every non-overlapping pair (a, b) with first(a) && second(b), scanning left to right,
// as Python's re.sub does for a two-character pattern.
template <typename First, typename Second, typename Emit>
std::u32string rewrite_pairs(const std::u32string& s, First first, Second second, Emit emit) {
  std::u32string out;
  out.reserve(s.size() + s.size() / 4);
  size_t i = 0;
  while (i < s.size()) {
    if (i + 1 < s.size() && first(s[i]) && second(s[i + 1])) {
      emit(out, s[i], s[i + 1]);
      i += 2;
    } else {
      out.push_back(s[i++]);
    }
  }
  return out;
}

std::u32string join_words(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::u32string_view word : split_python_whitespace(text)) {
    if (!out.empty()) out.push_back(U' ');
    out.append(word);
  }
  return out;
}

}  // namespace

const char* tokenizer_name(BleuTokenizer tokenizer) {
  return tokenizer == BleuTokenizer::k13a ? "13a" : "none";
}

std::u32string tokenize_13a(std::u32string_view line) {
  std::u32string s(line);
  replace_all(s, U"<skipped>", U"");
  replace_all(s, U"-\n", U"");
  replace_all(s, U"\n", U" ");
  replace_all(s, U"&quot;", U"\"");
  replace_all(s, U"&amp;", U"&");
  replace_all(s, U"&lt;", U"<");
  replace_all(s, U"&gt;", U">");

  std::u32string spaced = U" ";
  spaced.reserve(s.size() * 2 + 2);
  for (char32_t c : s) {
    if (is_split_symbol(c)) {
      spaced.push_back(U' ');
      spaced.push_back(c);
      spaced.push_back(U' ');
    } else {
      spaced.push_back(c);
    }
  }
  spaced.push_back(U' ');

  const auto not_digit = [](char32_t c) { return !is_digit(c); };
  spaced = rewrite_pairs(spaced, not_digit, is_period_or_comma,
                         [](std::u32string& out, char32_t a, char32_t b) {
                           out.push_back(a), out.push_back(U' '), out.push_back(b);
                           out.push_back(U' ');
                         });
  spaced = rewrite_pairs(spaced, is_period_or_comma, not_digit,
                         [](std::u32string& out, char32_t a, char32_t b) {
                           out.push_back(U' '), out.push_back(a), out.push_back(U' ');
                           out.push_back(b);
                         });
  spaced = rewrite_pairs(
      spaced, is_digit, [](char32_t c) { return c == U'-'; },
      [](std::u32string& out, char32_t a, char32_t b) {
        out.push_back(a), out.push_back(U' '), out.push_back(b);
        out.push_back(U' ');
      });
  return join_words(spaced);
}

std::u32string tokenize_for_bleu(std::u32string_view line, BleuTokenizer tokenizer) {
  return tokenizer == BleuTokenizer::k13a ? tokenize_13a(line) : join_words(line);
}

}  // namespace dikkat
