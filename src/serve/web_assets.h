#pragma once
// The page's files (index.html, app.js, app.css), built from web/ by esbuild at build time and
// compiled into the binary, so dikkat serve and export-html need nothing at run time.
#include <optional>
#include <string>
#include <string_view>

namespace dikkat {

struct WebAsset {
  std::string_view content_type;
  std::string body;
};

// `name` from the built-in copy, or from `dir` when it is not empty (for working on the page
// without rebuilding the binary). nullopt for any other name.
std::optional<WebAsset> web_asset(std::string_view name, const std::string& dir = "");

}  // namespace dikkat
