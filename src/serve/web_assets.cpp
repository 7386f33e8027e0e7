#include "serve/web_assets.h"

#include <array>

#include "io/file_io.h"

namespace dikkat {

// Written by cmake/embed_web_assets.cmake into the build tree.
std::string_view built_in_web_file(std::string_view name);

std::optional<WebAsset> web_asset(std::string_view name, const std::string& dir) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kTypes = {{
      {"index.html", "text/html; charset=utf-8"},
      {"app.js", "text/javascript; charset=utf-8"},
      {"app.css", "text/css; charset=utf-8"},
  }};
  for (const auto& [file, type] : kTypes)
    if (name == file)
      return WebAsset{type, dir.empty() ? std::string(built_in_web_file(name))
                                        : read_file(dir + "/" + std::string(name))};
  return std::nullopt;
}

}  // namespace dikkat
