// dikkat serve's HTTP side, through a real socket: the page with its security headers, JSON
// errors for everything it refuses (wrong path, method, Host, body), and both event streams.
#include "serve/web_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>

#include "serve/float_base64.h"
#include "test_support.h"

namespace dikkat {
namespace {

using testing::fixture_path;

class WebServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_ = std::make_unique<ViewApi>(std::vector<std::string>{
        fixture_path("models/shakespeare-cpu"), tmp_.path().string()});
    server_ = std::make_unique<WebServer>(*api_, WebServerOptions{"127.0.0.1", 0, ""});
    port_ = server_->bind();
    server_->run_in_background();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(30, 0);
  }
  void TearDown() override { server_->stop(); }

  testing::TempDir tmp_;  // a training run's directory: metrics, no weights yet
  std::unique_ptr<ViewApi> api_;
  std::unique_ptr<WebServer> server_;
  std::unique_ptr<httplib::Client> client_;
  int port_ = 0;
};

void expect_json_error(const httplib::Result& r, int status, const std::string& field) {
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, status) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
  const auto body = nlohmann::json::parse(r->body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << r->body;
  EXPECT_FALSE(body.value("error", "").empty()) << r->body;
  if (!field.empty()) {
    EXPECT_EQ(body.value("field", ""), field) << r->body;
  }
}

TEST_F(WebServerTest, ThePageComesWithAPolicyThatAllowsOnlyThisServer) {
  const auto r = client_->Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Security-Policy"), WebServer::kContentSecurityPolicy);
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(r->body.find("<title>dikkat</title>"), std::string::npos);
  for (const char* path : {"/app.js", "/app.css"}) EXPECT_EQ(client_->Get(path)->status, 200);
}

TEST_F(WebServerTest, AnApiAnswerIsJsonWithTheSameNumbersAsViewApi) {
  const auto r = client_->Get(
      "/api/attention?model=m0&text=To%20be&kind=self&layer=1&head=1");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
  const auto body = nlohmann::json::parse(r->body);
  EXPECT_EQ(body["row_labels"], nlohmann::json({"T", "o", "␣", "b", "e"}));
  EXPECT_FLOAT_EQ(testing::floats_from_base64(body["weights"])[0], 1.0f);  // the first row
}

TEST_F(WebServerTest, WhatItRefusesGetsAJsonErrorWithA4xx) {
  expect_json_error(client_->Get("/api/attention?model=m0&text=x&kind=self&layer=99&head=1"), 400,
                    "layer");
  expect_json_error(client_->Get("/api/attention?model=nope&text=x"), 404, "model");
  expect_json_error(client_->Get("/api/no-such-view"), 404, "");
  expect_json_error(client_->Get("/etc/passwd"), 404, "");
  expect_json_error(client_->Post("/api/models", "{}", "application/json"), 405, "");
  expect_json_error(client_->Get("/api/generate"), 405, "");
  expect_json_error(client_->Post("/api/generate", "{not json", "application/json"), 400, "");
  expect_json_error(client_->Post("/api/translate", R"({"model":"m0","text":"a"})",
                                  "application/json"),
                    400, "model");
  expect_json_error(client_->Get("/api/vocab?model=m1"), 409, "model");  // no weights yet
  expect_json_error(client_->Post("/api/generate", std::string(WebServer::kMaxBodyBytes + 10, ' '),
                                  "application/json"),
                    413, "");
}

TEST_F(WebServerTest, NothingIsCompressedEvenWhenTheBrowserAsksForIt) {
  client_->set_decompress(false);
  const httplib::Headers accept = {{"Accept-Encoding", "gzip, deflate, br"}};
  for (const char* path : {"/", "/app.js", "/app.css", "/api/models",
                           "/api/attention?model=m0&text=To%20be&kind=self&layer=1&head=1"}) {
    const auto r = client_->Get(path, accept);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_FALSE(r->has_header("Content-Encoding")) << path;
  }
}

TEST_F(WebServerTest, AnotherHostNameIsRefused) {
  const auto r = client_->Get("/api/models", {{"Host", "attacker.example:" + std::to_string(port_)}});
  expect_json_error(r, 403, "Host");
}

TEST_F(WebServerTest, GenerationStreamsOneEventPerTokenThenDone) {
  const auto r = client_->Post("/api/generate",
                               R"({"model":"m0","prompt":"ROMEO:","tokens":12,"seed":3})",
                               "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/event-stream");
  std::string tokens, done;
  int events = 0;
  std::istringstream lines(r->body);
  std::string line, event;
  while (std::getline(lines, line)) {
    if (line.starts_with("event: ")) event = line.substr(7);
    if (!line.starts_with("data: ")) continue;
    const auto data = nlohmann::json::parse(line.substr(6));
    if (event == "token") tokens += data["text"].get<std::string>(), ++events;
    if (event == "done") done = data["text"];
  }
  EXPECT_EQ(events, 12);
  EXPECT_EQ(tokens, done);
  const auto cli = testing::run_dikkat("generate --model " + fixture_path("models/shakespeare-cpu") +
                                       " --prompt ROMEO: --tokens 12 --seed 3");
  EXPECT_EQ(cli.out, "ROMEO:" + done + "\n");
}

TEST_F(WebServerTest, TheMetricsStreamSendsEveryLineThenEachNewOneAndResumesAfterLastEventId) {
  const std::string path = tmp_.file("metrics.jsonl");
  testing::write_text(path, "{\"step\":1,\"train_loss\":4.0}\n{\"step\":2,\"train_loss\":3.5}\n");
  std::vector<std::string> data, ids;
  std::string pending;
  bool appended = false;
  auto receive = [&](const char* bytes, size_t n) {
    pending.append(bytes, n);
    for (size_t end; (end = pending.find("\n\n")) != std::string::npos;) {
      const std::string block = pending.substr(0, end);
      pending.erase(0, end + 2);
      std::istringstream lines(block);
      for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("data: ")) data.push_back(line.substr(6));
        if (line.starts_with("id: ")) ids.push_back(line.substr(4));
      }
    }
    if (data.size() == 2 && !appended) {
      std::ofstream(path, std::ios::app) << "{\"step\":3,\"train_loss\":3.1}\n";
      appended = true;
    }
    return data.size() < 3;  // stop reading after the appended line
  };
  client_->Get("/api/metrics/stream?model=m1", receive);
  ASSERT_EQ(data.size(), 3u);
  EXPECT_EQ(nlohmann::json::parse(data[2])["train_loss"], 3.1);
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "3"}));

  data.clear(), ids.clear(), pending.clear();
  appended = true;
  auto two_events = [&](const char* bytes, size_t n) {
    receive(bytes, n);
    return data.empty();
  };
  client_->Get("/api/metrics/stream?model=m1", {{"Last-Event-ID", "2"}}, two_events);
  ASSERT_EQ(ids, std::vector<std::string>{"3"});
}

}  // namespace
}  // namespace dikkat
