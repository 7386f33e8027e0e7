// dikkat serve, train --serve and export-html as a user runs them: the address printed, the API
// answering over it, the live metrics of a run being trained, a self-contained HTML file with the
// same numbers as the terminal, and one clear line for each bad input.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "io/file_io.h"
#include "serve/float_base64.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::expect_one_line_error;
using testing::fixture_path;
using testing::run_dikkat;
using testing::shell_quote;

const std::string kShakespeare = fixture_path("models/shakespeare-cpu");

// `dikkat <args>` in the background, its stdout in a file; killed when the object goes.
class Background {
 public:
  Background(const std::string& args, const std::string& out) : out_(out) {
    pid_ = fork();
    if (pid_ == 0) {
      const std::string cmd = std::string("exec ") + DIKKAT_BINARY + " " + args + " >" + out + " 2>&1";
      execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
      _exit(127);
    }
  }
  ~Background() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  // The port of the "listening on http://127.0.0.1:PORT" line (0 after 30 s without one).
  int port() const {
    const std::regex line("listening on http://127\\.0\\.0\\.1:([0-9]+)");
    for (int i = 0; i < 3000; ++i) {
      std::smatch m;
      std::ifstream in(out_);  // not there until the child's shell opens it
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (std::regex_search(text, m, line)) return std::stoi(m[1]);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return 0;
  }

 private:
  std::string out_;
  pid_t pid_;
};

TEST(ServeCommand, PrintsItsAddressAndAnswersThere) {
  testing::TempDir tmp;
  Background serve("serve --model " + kShakespeare + " --port 0", tmp.file("out"));
  const int port = serve.port();
  ASSERT_GT(port, 0) << read_file(tmp.file("out"));
  httplib::Client client("127.0.0.1", port);
  const auto r = client.Get("/api/models");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(nlohmann::json::parse(r->body)["models"][0]["name"], "shakespeare-cpu");
}

TEST(ServeCommand, BadInputIsOneLine) {
  expect_one_line_error(run_dikkat("serve --model /no/such/dir --port 0"), "--model /no/such/dir");
  expect_one_line_error(run_dikkat("serve --model " + kShakespeare + " --host 203.0.113.9 --port 0"),
                        "--host 203.0.113.9");
}

TEST(TrainServe, TheLiveMetricsAreTheLinesOfTheRunsMetricsFile) {
  testing::TempDir tmp;
  testing::write_text(tmp.file("text.txt"), std::string(3000, 'a') + "banana bandana\n");
  Background train("train --data " + tmp.file("text.txt") + " --preset seed248 --steps 40 " +
                       "--eval-every 20 --serve --port 0 --out " + tmp.file("run"),
                   tmp.file("out"));
  const int port = train.port();
  ASSERT_GT(port, 0) << read_file(tmp.file("out"));
  httplib::Client client("127.0.0.1", port);
  nlohmann::json rows;
  for (int i = 0; i < 3000; ++i) {
    const auto r = client.Get("/api/metrics?model=m0");
    ASSERT_TRUE(r);
    rows = nlohmann::json::parse(r->body)["rows"];
    if (!rows.empty() && rows.back()["step"] == 40) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto file = testing::read_metrics(tmp.file("run"));
  ASSERT_EQ(rows.size(), file.size());
  EXPECT_EQ(rows.back(), file.back());
  EXPECT_TRUE(rows.back().contains("sample")) << rows.back().dump();  // an evaluation step
  const auto model = client.Get("/api/models");
  EXPECT_TRUE(nlohmann::json::parse(model->body)["models"][0]["ready"]);
}

// The answers recorded in an exported page.
nlohmann::json recorded_answers(const std::string& html) {
  const std::string start = "window.DIKKAT_EXPORT = ";
  const size_t from = html.find(start);
  const size_t to = html.find(";</script>", from);
  if (from == std::string::npos || to == std::string::npos) return nullptr;
  return nlohmann::json::parse(html.substr(from + start.size(), to - from - start.size()));
}

TEST(ExportHtml, WritesOnePageWithTheTerminalsNumbersAndNoAddressOutside) {
  testing::TempDir tmp;
  const auto r = run_dikkat("export-html --model " + kShakespeare + " --text 'To be' -o " +
                            tmp.file("view.html"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = read_file(tmp.file("view.html"));
  for (const char* outside : {"src=\"http", "href=\"http", "src=\"//", "href=\"//", "@import"})
    EXPECT_EQ(html.find(outside), std::string::npos) << outside;
  EXPECT_EQ(html.find("src=\"app.js\""), std::string::npos);  // inlined
  const nlohmann::json recorded = recorded_answers(html);
  ASSERT_TRUE(recorded.is_object());
  EXPECT_EQ(recorded["text"], "To be");
  const auto cli = run_dikkat("attention --model " + kShakespeare +
                              " --text 'To be' --layer 4 --head 2 --format json");
  const auto table = nlohmann::json::parse(cli.out)["tables"][0]["weights"];
  int found = 0;
  for (const auto& request : recorded["requests"])
    if (request["path"] == "/api/attention" && request["params"]["layer"] == "4" &&
        request["params"]["head"] == "2") {
      ++found;
      const auto w = testing::floats_from_base64(request["response"]["weights"]);
      for (size_t i = 0; i < w.size(); ++i) EXPECT_EQ(w[i], table[i / 5][i % 5].get<float>());
    }
  EXPECT_EQ(found, 1);
}

TEST(ExportHtml, NoTextCanEndTheScriptThatHoldsTheAnswers) {
  testing::TempDir tmp;
  const auto r = run_dikkat("export-html --model " + fixture_path("models/seed248") +
                            " --text '<!--</SCRIPT' -o " + tmp.file("view.html"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = read_file(tmp.file("view.html"));
  const nlohmann::json recorded = recorded_answers(html);
  ASSERT_TRUE(recorded.is_object());
  EXPECT_EQ(recorded["text"], "<!--</SCRIPT");
  const size_t data = html.find("window.DIKKAT_EXPORT");
  EXPECT_EQ(html.find("<", data), html.find(";</script>", data) + 1);  // no '<' in the data
}

TEST(ExportHtml, BadInputIsOneLineAndWritesNothing) {
  testing::TempDir tmp;
  expect_one_line_error(run_dikkat("export-html --model " + kShakespeare + " --text 'çç' -o " +
                                   tmp.file("v.html")),
                        "--text");
  EXPECT_FALSE(std::filesystem::exists(tmp.file("v.html")));
  expect_one_line_error(
      run_dikkat("export-html --model /no/dir --text a -o " + tmp.file("v.html")), "/no/dir");
}

}  // namespace
}  // namespace dikkat
