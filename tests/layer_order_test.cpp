// The folders of src/ form layers (docs/engine.md draws them): a file may include its own folder
// and any folder below it, never one above. This test reads every source file and fails on an
// include that runs upwards, or on a folder that has no place in the order yet.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Lowest first. Keep in step with docs/engine.md's drawing.
const std::vector<std::string> kLayers = {"tensor", "io",    "tokenize", "draw",    "nn",
                                          "score",  "generate", "run",   "train",   "inspect",
                                          "serve",  "cli"};

int64_t layer_of(const std::string& folder) {
  const auto it = std::find(kLayers.begin(), kLayers.end(), folder);
  return it == kLayers.end() ? -1 : it - kLayers.begin();
}

TEST(LayerOrder, EveryIncludeRunsToTheSameOrALowerLayer) {
  const fs::path src = fs::path(DIKKAT_SOURCE_DIR) / "src";
  const std::regex include_line(R"(^\s*#\s*include\s+"([a-z_]+)/[^"]+")");
  int64_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(src)) {
    if (!entry.is_regular_file()) continue;
    const std::string ext = entry.path().extension().string();
    if (ext != ".cpp" && ext != ".h") continue;
    const fs::path relative = fs::relative(entry.path(), src);
    if (relative.begin() == relative.end() || std::next(relative.begin()) == relative.end())
      continue;  // src/error.h sits below every layer
    const std::string folder = relative.begin()->string();
    const int64_t own = layer_of(folder);
    ASSERT_GE(own, 0) << "src/" << folder << " has no place in the layer order (kLayers here, "
                      << "and docs/engine.md)";
    ++files;
    std::ifstream in(entry.path());
    std::string line;
    for (int64_t number = 1; std::getline(in, line); ++number) {
      std::smatch m;
      if (!std::regex_search(line, m, include_line)) continue;
      const int64_t target = layer_of(m[1]);
      EXPECT_GE(target, 0) << "src/" << relative.string() << ":" << number << " includes from "
                           << m[1] << "/, which is not a layer";
      EXPECT_LE(target, own) << "src/" << relative.string() << ":" << number << " (" << folder
                             << ") includes " << m[1] << "/, a higher layer";
    }
  }
  EXPECT_GT(files, 100);  // the walk found the sources
}

}  // namespace
