#include "serve/web_server.h"

#include <httplib.h>

#include <chrono>
#include <csignal>
#include <mutex>
#include <nlohmann/json.hpp>

#include "serve/api_error.h"
#include "serve/metrics_tail.h"
#include "serve/web_assets.h"

namespace dikkat {

namespace {

// The model's computations run one at a time: they use every one of dikkat's threads, and two
// at once only take turns on the same cores.
std::mutex compute_mutex;

// Nothing is compressed: on loopback it only costs time (Brotli at httplib's level takes over a
// second for a 500 x 500 table). httplib compresses a body whose type is text/* or exactly
// application/json, so JSON goes with its charset, and the page's files through a provider of
// known length, which it sends as they are.
constexpr const char* kJson = "application/json; charset=utf-8";

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), kJson);
}

void send_asset(httplib::Response& res, const WebAsset& asset) {
  auto body = std::make_shared<std::string>(asset.body);
  res.set_content_provider(body->size(), std::string(asset.content_type),
                           [body](size_t offset, size_t length, httplib::DataSink& sink) {
                             return sink.write(body->data() + offset, length);
                           });
}

void send_error(httplib::Response& res, int status, const std::string& field,
                const std::string& message) {
  nlohmann::json body = {{"error", message}};
  if (!field.empty()) body["field"] = field;
  send_json(res, status, body);
}

// Runs `answer`, turning whatever it throws into a JSON error: the request's fault (ApiError)
// with its status; a model or file that cannot be read (Error) as 500 with the message.
template <typename F>
void answer_request(httplib::Response& res, F&& answer) {
  try {
    answer();
  } catch (const ApiError& e) {
    send_error(res, e.status(), e.field(), e.what());
  } catch (const Error& e) {
    send_error(res, 500, "", e.what());
  } catch (const std::bad_alloc&) {
    send_error(res, 503, "", "out of memory");
  }
}

RequestParams query_params(const httplib::Request& req) {
  std::map<std::string, std::string> values;
  for (const auto& [key, value] : req.params) values[key] = value;
  return RequestParams(std::move(values));
}

std::string sse_event(const std::string& event, const std::string& data, int64_t id = -1) {
  std::string out = "event: " + event + "\n";
  if (id >= 0) out += "id: " + std::to_string(id) + "\n";
  return out + "data: " + data + "\n\n";
}

bool write_text(httplib::DataSink& sink, const std::string& text) {
  return sink.is_writable() && sink.write(text.data(), text.size());
}

// Browsers send Host: the address they connected to. Anything else is a page on another site
// reaching this server through a DNS name it controls (DNS rebinding), refused.
bool host_allowed(const std::string& host, const std::string& bound_host, int port) {
  const std::string p = ":" + std::to_string(port);
  return host == bound_host + p || host == "127.0.0.1" + p || host == "localhost" + p ||
         host == "[::1]" + p;
}

}  // namespace

WebServer::WebServer(ViewApi& api, WebServerOptions options)
    : api_(api), options_(std::move(options)), server_(std::make_unique<httplib::Server>()) {
  // A client that goes away mid-stream must not end the process.
  std::signal(SIGPIPE, SIG_IGN);
  add_routes();
}

WebServer::~WebServer() {
  stop();
  if (thread_.joinable()) thread_.join();
}

int WebServer::bind() {
  port_ = options_.port == 0 ? server_->bind_to_any_port(options_.host)
                             : (server_->bind_to_port(options_.host, options_.port)
                                    ? options_.port
                                    : -1);
  if (port_ < 0)
    throw Error("--host " + options_.host + " --port " + std::to_string(options_.port) +
                ": cannot listen there (in use, or not an address of this machine)");
  return port_;
}

void WebServer::run() { server_->listen_after_bind(); }

void WebServer::run_in_background() {
  thread_ = std::thread([this] {
    run();
    loop_ended_ = true;
  });
}

void WebServer::wait() {
  if (thread_.joinable()) thread_.join();
}

void WebServer::stop() {
  stopping_ = true;
  // stop() before the listening loop has started is lost; wait for it (unless it has already
  // run and ended: a second stop, as the destructor's after an explicit one).
  if (thread_.joinable())
    while (!server_->is_running() && !loop_ended_)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server_->stop();
}

void WebServer::add_routes() {
  httplib::Server& s = *server_;
  s.set_payload_max_length(kMaxBodyBytes);
  s.set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                         {"X-Content-Type-Options", "nosniff"},
                         {"Referrer-Policy", "no-referrer"},
                         {"Cache-Control", "no-store"}});
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (host_allowed(req.get_header_value("Host"), options_.host, port_))
      return httplib::Server::HandlerResponse::Unhandled;
    send_error(res, 403, "Host", "Host: '" + req.get_header_value("Host").substr(0, 80) +
                                     "' is not the address this server listens on");
    return httplib::Server::HandlerResponse::Handled;
  });
  // httplib's own refusals (no route, a body over the limit, a malformed request) get a JSON
  // body too; answers that already have one keep it.
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const std::string message =
        res.status == 404   ? "no such path: " + req.path.substr(0, 80)
        : res.status == 413 ? "the request body is over " + std::to_string(kMaxBodyBytes) + " bytes"
        : res.status == 414 ? std::string("the request's address is too long")
                            : "the request was refused (HTTP " + std::to_string(res.status) + ")";
    send_error(res, res.status, "", message);
  });
  s.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        send_error(res, 500, "", "internal error");
      });

  s.Get("/", [this](const httplib::Request&, httplib::Response& res) {
    answer_request(res, [&] {
      send_asset(res, *web_asset("index.html", options_.assets_dir));
    });
  });
  s.Get(R"(/(app\.js|app\.css|index\.html))",
        [this](const httplib::Request& req, httplib::Response& res) {
          answer_request(res, [&] {
            send_asset(res, *web_asset(req.matches[1].str(), options_.assets_dir));
          });
        });

  for (const auto& route : ViewApi::get_routes()) {
    const ViewApi::Handler handler = route.second;
    // Listing models, a vocabulary or the metrics runs no model: it need not wait for one.
    const bool runs_a_model =
        route.first != "/models" && route.first != "/vocab" && route.first != "/metrics";
    s.Get("/api" + route.first,
          [this, handler, runs_a_model](const httplib::Request& req, httplib::Response& res) {
            answer_request(res, [&] {
              std::unique_lock lock(compute_mutex, std::defer_lock);
              if (runs_a_model) lock.lock();
              send_json(res, 200, (api_.*handler)(query_params(req)));
            });
          });
  }
  s.Post("/api/translate", [this](const httplib::Request& req, httplib::Response& res) {
    answer_request(res, [&] {
      const RequestParams params = RequestParams::from_json_body(req.body);
      std::lock_guard lock(compute_mutex);
      send_json(res, 200, api_.translate(params));
    });
  });
  s.Post("/api/generate", [this](const httplib::Request& req, httplib::Response& res) {
    answer_request(res, [&] {
      auto generation = std::make_shared<ViewApi::Generation>([&] {
        std::lock_guard lock(compute_mutex);
        return api_.check_generation(RequestParams::from_json_body(req.body));
      }());
      res.set_chunked_content_provider(
          "text/event-stream", [this, generation](size_t, httplib::DataSink& sink) {
            try {
              std::lock_guard lock(compute_mutex);
              const std::string text =
                  api_.generate(*generation, [&](int32_t id, const std::string& piece) {
                    const nlohmann::json token = {{"id", id}, {"text", piece}};
                    return !stopping_ && write_text(sink, sse_event("token", token.dump(
                                                                                 -1, ' ', false,
                                                                                 nlohmann::json::error_handler_t::replace)));
                  });
              write_text(sink, sse_event("done", nlohmann::json{{"text", text}}.dump(
                                                     -1, ' ', false,
                                                     nlohmann::json::error_handler_t::replace)));
            } catch (const std::exception& e) {
              write_text(sink, sse_event("error", nlohmann::json{{"error", e.what()}}.dump()));
            }
            sink.done();
            return true;
          });
    });
  });
  s.Get("/api/metrics/stream", [this](const httplib::Request& req, httplib::Response& res) {
    answer_request(res, [&] {
      int64_t skip = 0;
      const std::string last = req.get_header_value("Last-Event-ID");
      if (!last.empty())
        skip = RequestParams({{"Last-Event-ID", last}}).integer("Last-Event-ID", 0, INT64_MAX);
      struct Follow {
        MetricsTail tail;
        int idle_polls = 0;
      };
      auto follow = std::make_shared<Follow>(
          Follow{MetricsTail(api_.metrics_path(query_params(req)), skip), 0});
      res.set_chunked_content_provider(
          "text/event-stream", [this, follow](size_t, httplib::DataSink& sink) {
            // One poll per call; httplib calls again until the sink is done or the server stops.
            try {
              if (stopping_) {
                sink.done();
                return true;
              }
              const auto lines = follow->tail.poll();
              std::string out = follow->tail.restarted() ? sse_event("reset", "{}") : "";
              for (const MetricsTail::Line& line : lines)
                out += sse_event("metrics", line.text, line.number);
              if (out.empty()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(250));
                if (++follow->idle_polls % 4 == 0) out = ": keep-alive\n\n";
              }
              return out.empty() || write_text(sink, out);
            } catch (const std::exception&) {
              return false;
            }
          });
    });
  });
  // The wrong method on an API route is a 405, not a 404.
  for (const auto& route : ViewApi::get_routes())
    s.Post("/api" + route.first, [](const httplib::Request& req, httplib::Response& res) {
      send_error(res, 405, "", req.path + " answers GET");
    });
  for (const char* route : {"/api/translate", "/api/generate"})
    s.Get(route, [](const httplib::Request& req, httplib::Response& res) {
      send_error(res, 405, "", req.path + " answers POST with a JSON body");
    });
}

}  // namespace dikkat
