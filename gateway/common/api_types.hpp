#pragma once
// Requests and responses as the API handlers see them: plain structs, so the
// handlers and their tests never include Beast.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace lb::gateway {

struct api_request {
    std::string method;
    std::string target;  // path and query as received
    std::string authorization;
    std::string content_type;
    std::string body;
    std::map<std::string, std::string> headers;  // X-*, Idempotency-Key, Cookie, Origin, Accept-Language, names lower-cased
    std::string peer;                            // the socket's remote address
    std::string repeated_header;                 // a singular header sent twice (refused), lower-cased
};

struct api_response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

using respond_fn = std::function<void(api_response)>;

// {"error": code, "message": message}; the message names the field at fault.
api_response json_error(int status, std::string_view code, std::string_view message);
api_response json_ok(const nlohmann::json& body, int status = 200);
api_response redis_failure(const std::string& detail);  // 503 with the store's error

}  // namespace lb::gateway
