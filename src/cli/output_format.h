#pragma once
// --format for the look-inside commands: text for people (the default), json or csv for programs.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace dikkat {

enum class OutputFormat { kText, kJson, kCsv };

// Adds `--format text|json|csv` to `cmd`, storing into `format`.
void add_format_option(CLI::App& cmd, OutputFormat& format);

// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string csv_field(const std::string& s);

// A JSON document as text. Token texts of a byte-level BPE may end inside a UTF-8 character;
// such bytes become U+FFFD here instead of failing the whole output (the ids stay exact).
std::string json_text(const nlohmann::json& j, int indent = -1);

}  // namespace dikkat
