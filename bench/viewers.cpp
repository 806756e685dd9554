// Simulated phones for the fan-out benchmark: many WebSocket viewers on one thread
// (epoll), each subscribed by query string, histogramming "received - sent" for every
// "bench t=<epoch ms>" title in the frames it reads. Far cheaper per frame than a
// Node.js client, so the simulator stops being the bottleneck it measures.
// usage: bench_viewers --port P --count N [--first K] [--silent 0.1] [--board participants]
// Prints "ready" once every viewer got its snapshot; on a line "report" on stdin prints
// one JSON line (histogram in 0.5 ms buckets) and exits.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr int buckets = 20000;  // 0.5 ms each, up to 10 s

struct viewer {
    int fd = -1;
    bool upgraded = false;
    bool snapshot = false;
    bool quiet = false;  // never reads after connecting
    std::string in;
};

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name) return argv[i + 1];
    return fallback;
}

double now_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct totals {
    std::vector<unsigned> histogram = std::vector<unsigned>(buckets + 1);
    unsigned long long frames = 0, bytes = 0, snapshots = 0;
};

// Consumes whole frames from v.in (server frames are never masked).
void read_frames(viewer& v, totals& t, int& ready) {
    std::size_t at = 0;
    while (v.in.size() - at >= 2) {
        auto* p = reinterpret_cast<const unsigned char*>(v.in.data() + at);
        std::size_t header = 2, length = p[1] & 0x7f;
        if (length == 126) {
            if (v.in.size() - at < 4) break;
            length = (std::size_t(p[2]) << 8) | p[3];
            header = 4;
        } else if (length == 127) {
            if (v.in.size() - at < 10) break;
            length = 0;
            for (int i = 0; i < 8; ++i) length = (length << 8) | p[2 + i];
            header = 10;
        }
        if (v.in.size() - at < header + length) break;
        int opcode = p[0] & 0x0f;
        std::string_view text(v.in.data() + at + header, length);
        at += header + length;
        if (opcode != 1) continue;  // pings are answered by nobody: the server only needs TCP alive here
        ++t.frames;
        t.bytes += length;
        if (text.find("\"type\":\"snapshot\"") != std::string_view::npos) {
            ++t.snapshots;
            if (!v.snapshot) {
                v.snapshot = true;
                ++ready;
            }
        }
        double received = now_ms();
        for (auto hit = text.find("bench t="); hit != std::string_view::npos; hit = text.find("bench t=", hit + 8)) {
            double sent = std::strtod(std::string(text.substr(hit + 8, 24)).c_str(), nullptr);
            long bucket = std::lround((received - sent) * 2);
            ++t.histogram[static_cast<std::size_t>(std::clamp(bucket, 0L, long(buckets)))];
        }
    }
    v.in.erase(0, at);
}

}  // namespace

int main(int argc, char** argv) {
    int port = std::stoi(arg(argc, argv, "--port", "8080"));
    int count = std::stoi(arg(argc, argv, "--count", "100"));
    int first = std::stoi(arg(argc, argv, "--first", "0"));
    double silent = std::stod(arg(argc, argv, "--silent", "0"));
    std::string board = arg(argc, argv, "--board", "participants");
    int every = silent > 0 ? static_cast<int>(std::lround(1 / silent)) : 0;
    int epoll = epoll_create1(0);
    std::vector<viewer> viewers(static_cast<std::size_t>(count));
    std::string request = "GET /ws?contest=bench&board=" + board + "&limit=25 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\n\r\n";
    int ready = 0, quiet = 0;
    for (int i = 0; i < count; ++i) {
        int n = first + i;
        auto& v = viewers[static_cast<std::size_t>(i)];
        v.quiet = every > 0 && n % every == 0;
        v.fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl((127u << 24) | ((unsigned(n / 20000) << 8) + 2 + unsigned(n % 20000) % 250));
        bind(v.fd, reinterpret_cast<sockaddr*>(&local), sizeof local);
        sockaddr_in server{};
        server.sin_family = AF_INET;
        server.sin_port = htons(static_cast<uint16_t>(port));
        server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(v.fd, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
            std::cerr << "connect failed for viewer " << n << ": " << std::strerror(errno) << "\n";
            return 1;
        }
        int one = 1;
        setsockopt(v.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (write(v.fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) return 1;
        fcntl(v.fd, F_SETFL, fcntl(v.fd, F_GETFL) | O_NONBLOCK);
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u32 = static_cast<uint32_t>(i);
        epoll_ctl(epoll, EPOLL_CTL_ADD, v.fd, &event);
    }
    epoll_event stdin_event{};
    stdin_event.events = EPOLLIN;
    stdin_event.data.u32 = UINT32_MAX;
    epoll_ctl(epoll, EPOLL_CTL_ADD, 0, &stdin_event);
    totals t;
    bool announced = false;
    std::vector<epoll_event> events(1024);
    char buffer[65536];
    for (;;) {
        int got = epoll_wait(epoll, events.data(), static_cast<int>(events.size()), 1000);
        for (int e = 0; e < got; ++e) {
            if (events[e].data.u32 == UINT32_MAX) {
                std::string line;
                std::getline(std::cin, line);
                if (line != "report") continue;
                std::string histogram;
                for (int b = 0; b <= buckets; ++b)
                    if (t.histogram[static_cast<std::size_t>(b)]) histogram += (histogram.empty() ? "\"" : ",\"") + std::to_string(b) + "\":" + std::to_string(t.histogram[static_cast<std::size_t>(b)]);
                std::cout << "{\"frames\":" << t.frames << ",\"bytes\":" << t.bytes << ",\"snapshots\":" << t.snapshots
                          << ",\"readers\":" << count - quiet << ",\"histogram\":{" << histogram << "}}" << std::endl;
                return 0;
            }
            auto& v = viewers[events[e].data.u32];
            ssize_t n = read(v.fd, buffer, sizeof buffer);
            if (n <= 0) {
                if (n < 0 && errno == EAGAIN) continue;
                epoll_ctl(epoll, EPOLL_CTL_DEL, v.fd, nullptr);
                close(v.fd);
                v.fd = -1;
                continue;
            }
            v.in.append(buffer, static_cast<std::size_t>(n));
            if (!v.upgraded) {
                auto end = v.in.find("\r\n\r\n");
                if (end == std::string::npos) continue;
                if (v.in.compare(0, 12, "HTTP/1.1 101") != 0) {
                    std::cerr << "upgrade refused: " << v.in.substr(0, end) << "\n";
                    return 1;
                }
                v.upgraded = true;
                v.in.erase(0, end + 4);
            }
            read_frames(v, t, ready);
            // A silent viewer stops reading once it has its snapshot: the kernel buffers fill, then the server's queue.
            if (v.quiet && v.snapshot && v.fd >= 0) {
                epoll_ctl(epoll, EPOLL_CTL_DEL, v.fd, nullptr);
                ++quiet;
            }
        }
        if (!announced && ready == count) {
            announced = true;
            std::cout << "ready" << std::endl;
        }
    }
}
