#include "load_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace lb::bench {
namespace {

struct connection {
    int fd = -1;
    std::string out;
    std::size_t sent = 0;
    std::string in;
    std::chrono::steady_clock::time_point started;
    bool busy = false;
};

int open_connection(const std::string& host, int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

// A complete response in `in`? Returns its length, or 0 when more bytes are needed.
std::size_t response_length(const std::string& in, int& status) {
    auto end = in.find("\r\n\r\n");
    if (end == std::string::npos) return 0;
    status = std::atoi(in.c_str() + 9);
    std::size_t length = 0;
    auto header = in.find("Content-Length: ");
    if (header == std::string::npos || header > end) header = in.find("content-length: ");
    if (header != std::string::npos && header < end) length = std::strtoul(in.c_str() + header + 16, nullptr, 10);
    return in.size() >= end + 4 + length ? end + 4 + length : 0;
}

}  // namespace

std::string run_load(const load_run& run) {
    std::vector<connection> conns(static_cast<std::size_t>(run.connections));
    for (auto& c : conns) {
        c.fd = open_connection(run.host, run.port);
        if (c.fd < 0) return "cannot connect to " + run.host + ":" + std::to_string(run.port);
    }
    auto deadline = std::chrono::steady_clock::now() + run.duration;
    std::vector<pollfd> polls(conns.size());
    char buffer[65536];
    while (true) {
        bool any = false;
        auto now = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < conns.size(); ++i) {
            auto& c = conns[i];
            if (!c.busy && now < deadline) {
                c.out = run.next_request(static_cast<int>(i));
                c.sent = 0;
                c.busy = !c.out.empty();
                c.started = now;
            }
            any = any || c.busy;
            polls[i] = {c.fd, static_cast<short>(c.busy ? (c.sent < c.out.size() ? POLLOUT : POLLIN) : 0), 0};
        }
        if (!any) break;
        ::poll(polls.data(), polls.size(), 100);
        for (std::size_t i = 0; i < conns.size(); ++i) {
            auto& c = conns[i];
            if (polls[i].revents & POLLOUT) {
                auto n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
                if (n > 0) c.sent += static_cast<std::size_t>(n);
            }
            if (polls[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                auto n = ::recv(c.fd, buffer, sizeof buffer, 0);
                if (n <= 0) return "the server closed a connection";
                c.in.append(buffer, static_cast<std::size_t>(n));
                int status = 0;
                if (auto length = response_length(c.in, status)) {
                    run.on_result({status, std::chrono::steady_clock::now() - c.started});
                    c.in.erase(0, length);
                    c.busy = false;
                }
            }
        }
    }
    for (auto& c : conns) ::close(c.fd);
    return "";
}

}  // namespace lb::bench
