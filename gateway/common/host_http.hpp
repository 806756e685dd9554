#pragma once
// A blocking HTTP/1.1 client for the hosts' REST APIs (https in production, http for a
// local stand-in). No Beast in this header: reconcile's logic stays testable apart.
#include <chrono>
#include <map>
#include <string>

namespace lb::gateway {

struct http_reply {
    int status = 0;                              // 0: no answer (error says why)
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string error;
};

struct http_call {
    std::string method = "GET";
    std::string url;                             // http://host[:port]/path?query or https://...
    std::map<std::string, std::string> headers;  // sent as given
    std::string body;
    std::chrono::seconds timeout{30};
    std::size_t body_limit = 32 * 1024 * 1024;   // a longer answer is an error, not a crash
};

http_reply send_http(const http_call& call);

}  // namespace lb::gateway
