// DIKKAT_VECTOR_CLONES (tensor/fast_math.h) builds a function once per instruction set, but a
// lambda inside it is a separate function the attribute does not reach: a parallel loop's body
// written as a lambda in a cloned function runs baseline x86-64 code (a matrix-vector product
// ran 2.5x slower so). This test reads every source and fails on a cloned function whose body
// calls parallel_for / parallel_for_each; the vectorised work belongs in a cloned function the
// lambda calls.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// The names of the cloned functions in `code` whose bodies start a parallel loop.
std::vector<std::string> cloned_functions_with_parallel_loops(const std::string& code) {
  std::vector<std::string> found;
  const std::string marker = "DIKKAT_VECTOR_CLONES";
  for (size_t at = code.find(marker); at != std::string::npos; at = code.find(marker, at + 1)) {
    if (at >= 8 && code.compare(at - 8, 8, "#define ") == 0) continue;
    const size_t open = code.find('{', at);
    const size_t paren = code.find('(', at);
    if (open == std::string::npos || paren == std::string::npos) break;
    if (code.find(';', at) < open) continue;  // a declaration
    size_t depth = 0, close = open;
    for (; close < code.size(); ++close) {
      if (code[close] == '{') ++depth;
      if (code[close] == '}' && --depth == 0) break;
    }
    const std::string body = code.substr(open, close - open);
    if (body.find("parallel_for") != std::string::npos) {
      const size_t name_start = code.rfind(' ', paren) + 1;
      found.push_back(code.substr(name_start, paren - name_start));
    }
  }
  return found;
}

TEST(VectorClones, TheScanFindsALambdaLoopInsideAClone) {
  const std::string bad =
      "DIKKAT_VECTOR_CLONES void scale(float* x, int64_t n) {\n"
      "  parallel_for(n, 1, [&](int64_t b, int64_t e) { for (; b < e; ++b) x[b] *= 2; });\n"
      "}\n"
      "DIKKAT_VECTOR_CLONES void scale_range(float* x, int64_t b, int64_t e) {\n"
      "  for (; b < e; ++b) x[b] *= 2;\n"
      "}\n";
  EXPECT_EQ(cloned_functions_with_parallel_loops(bad), std::vector<std::string>{"scale"});
}

TEST(VectorClones, NoClonedFunctionRunsItsLoopInALambda) {
  int64_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(DIKKAT_SOURCE_DIR) / "src")) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".h")) continue;
    ++files;
    std::ifstream in(entry.path());
    std::stringstream code;
    code << in.rdbuf();
    for (const std::string& name : cloned_functions_with_parallel_loops(code.str()))
      ADD_FAILURE() << entry.path().string() << ": " << name
                    << " is DIKKAT_VECTOR_CLONES but runs its loop in a parallel_for lambda, "
                       "which is built for baseline x86-64; clone the function the lambda calls";
  }
  EXPECT_GT(files, 100);  // the walk found the sources
}

}  // namespace
