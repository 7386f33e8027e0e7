#pragma once
// --format for the look-inside commands: text for people (the default), json or csv for programs.
#include <CLI/CLI.hpp>
#include <string>

namespace dikkat {

enum class OutputFormat { kText, kJson, kCsv };

// Adds `--format text|json|csv` to `cmd`, storing into `format`.
void add_format_option(CLI::App& cmd, OutputFormat& format);

// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string csv_field(const std::string& s);

}  // namespace dikkat
