#pragma once
// Whole-file reads and crash-safe writes.
#include <string>
#include <string_view>

namespace dikkat {

// The file's bytes; Error "<path>: cannot open (<reason>)" when it cannot be read.
std::string read_file(const std::string& path);

// Writes `bytes` to `path` through "<path>.tmp", flushed to disk and then renamed over `path`,
// so a reader (or a crash at any moment) sees the old file or the new one, never half of one.
void write_file_atomic(const std::string& path, std::string_view bytes);

}  // namespace dikkat
