#include "common/host_http.hpp"

#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>


namespace lb::gateway {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct url_parts {
    bool tls = false;
    std::string host, port, target;
};

std::optional<url_parts> split_url(const std::string& url) {
    url_parts out;
    std::string rest;
    if (url.starts_with("https://")) out.tls = true, rest = url.substr(8);
    else if (url.starts_with("http://")) rest = url.substr(7);
    else return std::nullopt;
    auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    out.target = slash == std::string::npos ? "/" : rest.substr(slash);
    auto colon = authority.rfind(':');
    if (colon != std::string::npos && authority.find(']') == std::string::npos) {
        out.host = authority.substr(0, colon);
        out.port = authority.substr(colon + 1);
    } else {
        out.host = authority;
        out.port = out.tls ? "443" : "80";
    }
    if (out.host.empty() || out.port.empty()) return std::nullopt;
    return out;
}

template <class Stream>
http_reply exchange(Stream& stream, beast::tcp_stream& timed, const url_parts& where, const http_call& call) {
    http::request<http::string_body> request{call.method == "POST" ? http::verb::post : http::verb::get, where.target, 11};
    request.set(http::field::host, where.host);
    request.set(http::field::user_agent, "leaderboard-reconcile");
    for (const auto& [name, value] : call.headers) request.set(name, value);
    if (call.method == "POST") {
        request.body() = call.body;
        request.prepare_payload();
    }
    timed.expires_after(call.timeout);
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(call.body_limit);
    http::read(stream, buffer, parser);
    http_reply reply;
    auto& response = parser.get();
    reply.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
        std::string name(field.name_string());
        for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        reply.headers[name] = std::string(field.value());
    }
    reply.body = std::move(response.body());
    return reply;
}

}  // namespace

http_reply send_http(const http_call& call) {
    auto where = split_url(call.url);
    if (!where) return {0, {}, "", "not an http:// or https:// URL"};
    try {
        net::io_context io;
        tcp::resolver resolver(io);
        auto endpoints = resolver.resolve(where->host, where->port);
        if (!where->tls) {
            beast::tcp_stream stream(io);
            stream.expires_after(call.timeout);
            stream.connect(endpoints);
            auto reply = exchange(stream, stream, *where, call);
            beast::error_code ignored;
            stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
            return reply;
        }
        net::ssl::context tls(net::ssl::context::tls_client);
        tls.set_default_verify_paths();
        tls.set_verify_mode(net::ssl::verify_peer);
        beast::ssl_stream<beast::tcp_stream> stream(io, tls);
        if (!SSL_set_tlsext_host_name(stream.native_handle(), where->host.c_str())) return {0, {}, "", "TLS: cannot set the server name"};
        stream.set_verify_callback(net::ssl::host_name_verification(where->host));
        beast::get_lowest_layer(stream).expires_after(call.timeout);
        beast::get_lowest_layer(stream).connect(endpoints);
        stream.handshake(net::ssl::stream_base::client);
        auto reply = exchange(stream, beast::get_lowest_layer(stream), *where, call);
        beast::error_code ignored;
        stream.shutdown(ignored);
        return reply;
    } catch (const std::exception& error) {
        return {0, {}, "", error.what()};
    }
}

}  // namespace lb::gateway
