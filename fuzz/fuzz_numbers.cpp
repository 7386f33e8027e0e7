// Any words as command-line arguments of the kinds dikkat parses into numbers (CLI11 options of
// the same types as train's and generate's), and any text after "bpe:" as a vocabulary size:
// a value or an error, never a crash.
#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "error.h"
#include "run/train_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  dikkat::TrainConfig config;
  config.tokenizer = "bpe:" + input;
  try {
    config.bpe_vocab_size();
  } catch (const dikkat::Error&) {
  }
  // NUL-separated words become argv.
  std::vector<std::string> words = {"dikkat"};
  std::string word;
  for (char c : input) {
    if (c == '\0') {
      words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  words.push_back(word);
  std::vector<const char*> argv;
  for (const auto& w : words) argv.push_back(w.c_str());
  CLI::App app;
  int64_t steps = 0, layer = 0;
  float lr = 0, temperature = 1, top_p = 1;
  uint64_t seed = 0;
  std::vector<float> temperatures;
  app.add_option("--steps", steps)->check(CLI::NonNegativeNumber);
  app.add_option("--layer", layer);
  app.add_option("--lr", lr);
  app.add_option("--temperature", temperature)->check(CLI::NonNegativeNumber);
  app.add_option("--top-p", top_p)->check(CLI::Range(0.0f, 1.0f));
  app.add_option("--seed", seed);
  app.add_option("--temperatures", temperatures)->delimiter(',');
  try {
    app.parse(int(argv.size()), argv.data());
  } catch (const CLI::ParseError&) {
  }
  return 0;
}
