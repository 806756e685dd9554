#pragma once
// A cap on open connections (HTTP and WebSocket alike). A session holds a place for
// as long as it lives; an upgraded connection hands its place on to the WebSocket.
#include <atomic>
#include <cstddef>
#include <memory>

namespace lb::gateway {

class connection_limit : public std::enable_shared_from_this<connection_limit> {
public:
    using place = std::shared_ptr<const void>;

    explicit connection_limit(std::size_t max) : max_(max) {}
    // A place, or null when max connections are open already.
    place take() {
        if (open_.fetch_add(1) >= max_) {
            open_.fetch_sub(1);
            return nullptr;
        }
        auto self = shared_from_this();
        return place(self.get(), [self](const void*) { self->open_.fetch_sub(1); });
    }
    std::size_t open() const { return open_.load(); }
    std::size_t max() const { return max_; }

private:
    std::size_t max_;
    std::atomic<std::size_t> open_{0};
};

}  // namespace lb::gateway
