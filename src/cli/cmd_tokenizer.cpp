// dikkat tokenizer train|encode|decode: byte-level BPE tokenizers (GPT-2's kind): learn one from
// text, and turn text into token ids and back.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "error.h"
#include "io/file_io.h"
#include "tokenize/bpe_tokenizer.h"
#include "tokenize/gpt2_pretokenizer.h"

namespace dikkat {

namespace {

struct TokenizerTrainArgs {
  std::vector<std::string> data, specials;
  int64_t vocab_size = 0;
  std::string out;
  bool quiet = false;
};

struct EncodeArgs {
  std::string tokenizer, text, format = "text";
  bool allow_special = false, time = false;
  int64_t repeat = 1;
  CLI::Option* text_opt = nullptr;
};

struct DecodeArgs {
  std::string tokenizer, ids;
  CLI::Option* ids_opt = nullptr;
};

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Reads up to `max` more bytes of stdin onto `buffer`; false at the end of input.
bool read_stdin(std::string& buffer, size_t max) {
  const size_t old = buffer.size();
  buffer.resize(old + max);
  const size_t got = std::fread(buffer.data() + old, 1, max, stdin);
  buffer.resize(old + got);
  if (std::ferror(stdin)) throw Error("stdin: read failed");
  return got > 0;
}

std::string read_all_stdin() {
  std::string text;
  while (read_stdin(text, size_t(1) << 20)) {
  }
  return text;
}

// Prints ids as "1 2 3" or "[1,2,3]", piece by piece.
class IdPrinter {
 public:
  explicit IdPrinter(bool json) : json_(json) {}
  void print(const std::vector<int32_t>& ids) {
    std::string s;
    char buf[16];
    for (const int32_t id : ids) {
      if (count_++ > 0) s += json_ ? ',' : ' ';
      s.append(buf, std::to_chars(buf, buf + sizeof buf, id).ptr);
    }
    if (json_ && !opened_) s.insert(0, "["), opened_ = true;
    std::fwrite(s.data(), 1, s.size(), stdout);
  }
  void finish() {
    std::fputs(json_ ? (opened_ ? "]\n" : "[]\n") : "\n", stdout);
    std::fflush(stdout);
  }

 private:
  bool json_, opened_ = false;
  size_t count_ = 0;
};

void run_train(const TokenizerTrainArgs& a) {
  const auto n_special = int64_t(a.specials.size());
  if (a.vocab_size < 256 + n_special)
    throw Error("--vocab-size " + std::to_string(a.vocab_size) + ": must be at least " +
                std::to_string(256 + n_special) + " (256 byte tokens + " +
                std::to_string(n_special) + " special token" + (n_special == 1 ? ")" : "s)"));
  std::vector<std::string> texts;
  size_t bytes = 0;
  for (const std::string& path : a.data) {
    texts.push_back(read_file(path));
    if (texts.back().empty()) throw Error(path + ": file is empty");
    bytes += texts.back().size();
  }
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  bool line_open = false, reported = false;
  BpeProgressFn progress;
  if (!a.quiet)
    progress = [&](const BpeTrainProgress& p) {
      if (!reported && p.seconds < 1.0) return;  // short runs need no progress
      reported = true;
      std::fprintf(stderr, "%stokens %lld/%lld | %lld merges | %.0f merges/s | %.1fs%s",
                   terminal ? "\r\033[K" : "", (long long)p.tokens, (long long)p.target_tokens,
                   (long long)p.merges, p.seconds > 0 ? double(p.merges) / p.seconds : 0.0,
                   p.seconds, terminal ? "" : "\n");
      line_open = terminal;
    };
  const Clock::time_point start = Clock::now();
  const BpeTokenizer tok = BpeTokenizer::train(texts, a.vocab_size, a.specials, progress);
  const double seconds = seconds_since(start);
  if (line_open) std::fputs("\n", stderr);
  tok.save(a.out);
  if (a.quiet) return;
  std::printf("trained %lld tokens (%zu merges, %lld special) on %zu bytes in %.2fs -> %s\n",
              (long long)tok.vocab_size(), tok.merges().size(), (long long)n_special, bytes,
              seconds, a.out.c_str());
  if (tok.vocab_size() < a.vocab_size)
    std::printf("stopped below --vocab-size %lld: every pair of adjacent tokens is merged\n",
                (long long)a.vocab_size);
}

void run_encode(const EncodeArgs& a) {
  const BpeTokenizer tok = BpeTokenizer::load(a.tokenizer);
  IdPrinter printer(a.format == "json");
  const bool from_flag = a.text_opt->count() > 0;
  if (!a.time && !a.allow_special && !from_flag) {
    // Stream stdin: encode up to each safe cut as soon as it has arrived.
    std::string pending;
    std::vector<int32_t> ids;
    for (size_t old_size = 0; read_stdin(pending, size_t(1) << 20); old_size = pending.size()) {
      // Only cuts whose three bytes reach into the new data are new; no rescanning.
      const size_t from = old_size < 2 ? 0 : old_size - 2;
      const size_t found = gpt2_stream_cut(std::string_view(pending).substr(from));
      if (found == 0) continue;
      const size_t cut = from + found;
      ids.clear();
      tok.encode_to(std::string_view(pending).substr(0, cut), ids);
      printer.print(ids);
      pending.erase(0, cut);
    }
    ids.clear();
    tok.encode_to(pending, ids);
    printer.print(ids);
    printer.finish();
    return;
  }
  const std::string text = from_flag ? a.text : read_all_stdin();
  const auto encode = [&] {
    return a.allow_special ? tok.encode_with_special(text) : tok.encode(text);
  };
  if (!a.time) {
    printer.print(encode());
    printer.finish();
    return;
  }
  // The encode call alone, repeated: no file reading, loading or printing in the figure.
  std::vector<double> seconds;
  std::vector<int32_t> ids;
  for (int64_t i = 0; i < a.repeat; ++i) {
    const Clock::time_point start = Clock::now();
    ids = encode();
    seconds.push_back(seconds_since(start));
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  printer.print(ids);
  printer.finish();
  std::fprintf(stderr, "encode: %zu bytes -> %zu tokens | median of %lld: %.3f ms | %.2f MB/s\n",
               text.size(), ids.size(), (long long)a.repeat, median * 1e3,
               median > 0 ? double(text.size()) / median / 1e6 : 0.0);
}

// Ids separated by spaces, commas or line breaks, optionally in [ ]; errors name the line.
std::vector<int32_t> parse_ids(const std::string& text, const std::string& source,
                               int64_t vocab_size, const std::string& tokenizer) {
  std::vector<int32_t> ids;
  int64_t line = 1;
  size_t i = 0;
  const auto at = [&] {
    return source + (source == "--ids" ? "" : ": line " + std::to_string(line)) + ": ";
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == '[' || c == ']') {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() &&
           std::string_view(" \t\r\n,[]").find(text[end]) == std::string_view::npos)
      ++end;
    const std::string word = text.substr(i, end - i);
    int64_t id = -1;
    const auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), id);
    if (ec != std::errc() || ptr != word.data() + word.size() || word[0] == '-')
      throw Error(at() + "\"" + word + "\" is not a token id");
    if (id >= vocab_size)
      throw Error(at() + "token id " + word + " is outside the vocabulary of " + tokenizer +
                  " (ids 0.." + std::to_string(vocab_size - 1) + ")");
    ids.push_back(int32_t(id));
    i = end;
  }
  return ids;
}

void run_decode(const DecodeArgs& a) {
  const BpeTokenizer tok = BpeTokenizer::load(a.tokenizer);
  const bool from_flag = a.ids_opt->count() > 0;
  const std::vector<int32_t> ids =
      parse_ids(from_flag ? a.ids : read_all_stdin(), from_flag ? "--ids" : "stdin",
                tok.vocab_size(), a.tokenizer);
  const std::string bytes = tok.decode(ids);
  std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

void add_tokenizer_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "tokenizer", "byte-level BPE tokenizers (GPT-2's kind): train, encode, decode");
  cmd->require_subcommand(1);
  cmd->footer(
      "A tokenizer file is Hugging Face's tokenizer.json (what train writes) or a tiktoken rank\n"
      "file (*.tiktoken, such as GPT-2's, which gets <|endoftext|> as the id after its last\n"
      "rank). See docs/tokenizer.md.");

  auto train = std::make_shared<TokenizerTrainArgs>();
  CLI::App* t = cmd->add_subcommand("train", "learn a byte-level BPE vocabulary from text files");
  t->footer(
      "Text is cut into chunks by GPT-2's pre-tokenizer and merges never cross a chunk. Each\n"
      "step merges the most frequent adjacent pair; ties go to the smallest (left id, right id),\n"
      "so the same files and flags always give the same tokenizer. Ids 0..255 are the bytes,\n"
      "learned tokens follow, special tokens come last. Progress goes to stderr about once a\n"
      "second on long runs.");
  t->add_option("--data", train->data, "training text files (any bytes)")
      ->required()
      ->expected(1, -1);
  t->add_option("--vocab-size", train->vocab_size,
                "tokens in all: 256 bytes + merges + special tokens")
      ->required();
  t->add_option("--out", train->out, "tokenizer.json to write")->required();
  t->add_option("--special", train->specials,
                "special token, e.g. <|endoftext|> (repeatable; its text in --data is not learned)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  t->add_flag("--quiet", train->quiet, "print nothing but errors");
  t->callback([train] { run_train(*train); });

  auto enc = std::make_shared<EncodeArgs>();
  CLI::App* e = cmd->add_subcommand("encode", "text (--text or stdin) to token ids");
  e->footer(
      "Reads stdin when --text is not given, and prints the ids separated by spaces (or a JSON\n"
      "list). Any bytes encode, invalid UTF-8 included. Special tokens' text is ordinary text\n"
      "unless --allow-special is given. --time prints the speed of the encode call alone\n"
      "(median of --repeat calls) on stderr.");
  e->add_option("--tokenizer", enc->tokenizer, "tokenizer.json or .tiktoken rank file")->required();
  enc->text_opt = e->add_option("--text", enc->text, "text to encode (default: stdin)");
  e->add_option("--format", enc->format, "text (ids separated by spaces) or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  e->add_flag("--allow-special", enc->allow_special,
              "encode special tokens' literal text (<|endoftext|>) as their ids");
  e->add_flag("--time", enc->time, "report the encode call's time and MB/s on stderr");
  e->add_option("--repeat", enc->repeat, "with --time: encode this many times, report the median")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  e->callback([enc] { run_encode(*enc); });

  auto dec = std::make_shared<DecodeArgs>();
  CLI::App* d = cmd->add_subcommand("decode", "token ids (--ids or stdin) to text");
  d->footer(
      "Ids may be separated by spaces, commas or line breaks, and may sit in [ ] (encode's\n"
      "--format json). Writes the exact bytes, with no newline added.");
  d->add_option("--tokenizer", dec->tokenizer, "tokenizer.json or .tiktoken rank file")->required();
  dec->ids_opt = d->add_option("--ids", dec->ids, "ids to decode (default: stdin)");
  d->callback([dec] { run_decode(*dec); });
}

}  // namespace dikkat
