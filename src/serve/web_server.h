#pragma once
// dikkat serve's HTTP side: the page's files, the JSON API of ViewApi under /api/, and two
// Server-Sent Event streams (generation token by token, a run's metrics as they are written).
// Loopback by default; every answer carries a Content-Security-Policy that lets the page load
// nothing from anywhere but this server.
#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "serve/view_api.h"

namespace httplib {
class Server;
}

namespace dikkat {

struct WebServerOptions {
  std::string host = "127.0.0.1";
  int port = 8000;         // 0: any free port
  std::string assets_dir;  // serve the page from here instead of the built-in copy
};

class WebServer {
 public:
  WebServer(ViewApi& api, WebServerOptions options);
  ~WebServer();

  // Binds the socket (Error naming --host/--port when it cannot) and returns the port.
  int bind();
  // Answers requests until stop(); bind() first.
  void run();
  // run() on a thread of its own (for dikkat train --serve), and waiting for it to end.
  void run_in_background();
  void wait();
  void stop();

  static constexpr size_t kMaxBodyBytes = 1 << 20;
  static constexpr const char* kContentSecurityPolicy =
      "default-src 'self'; img-src 'self' data: blob:";

 private:
  void add_routes();

  ViewApi& api_;
  WebServerOptions options_;
  int port_ = 0;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> loop_ended_{false};  // the background thread's listening loop has returned
};

}  // namespace dikkat
