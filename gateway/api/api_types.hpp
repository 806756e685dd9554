#pragma once
// Requests and responses as the API handlers see them: plain structs, so the
// handlers and their tests never include Beast.
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace lb::gateway {

struct api_request {
    std::string method;
    std::string target;  // path and query as received
    std::string authorization;
    std::string content_type;
    std::string body;
    std::map<std::string, std::string> headers;  // the X-* headers, names lower-cased (webhooks need them)
};

struct api_response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

using respond_fn = std::function<void(api_response)>;

api_response json_error(int status, std::string_view code, std::string_view message);

}  // namespace lb::gateway
