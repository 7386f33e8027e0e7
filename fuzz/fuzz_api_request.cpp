// Any bytes as a request to dikkat serve's API: the first byte picks the route, the rest is the
// JSON body (POST routes) or, read as a JSON object, the query parameters (GET routes). Every
// outcome must be an answer or an ApiError; nothing else may escape, crash or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "serve/api_error.h"
#include "serve/view_api.h"

namespace {

dikkat::ViewApi& api() {
  // A 248-parameter GPT with a step-0 checkpoint: every route does real work quickly.
  static dikkat::ViewApi instance({DIKKAT_FIXTURE_DIR "/models/seed248"});
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& routes = dikkat::ViewApi::get_routes();
  const size_t route = data[0] % (routes.size() + 2);
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    const dikkat::RequestParams params = dikkat::RequestParams::from_json_body(body);
    if (route < routes.size()) {
      (api().*routes[route].second)(params);
    } else if (route == routes.size()) {
      api().translate(params);
    } else {
      const auto generation = api().check_generation(params);
      // Bounded: the fuzzer explores parameters, not long generations.
      if (generation.tokens <= 64)
        api().generate(generation, [](int32_t, const std::string&) { return true; });
    }
  } catch (const dikkat::ApiError&) {
  }
  return 0;
}
