#include "random.hpp"

#include <vector>

#include <openssl/rand.h>

#include "crypto.hpp"
#include "hex.hpp"

namespace lb::engine {

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) return "";
    return to_hex(buffer.data(), buffer.size());
}

std::string random_token() {
    unsigned char buffer[32];
    if (RAND_bytes(buffer, sizeof buffer) != 1) return "";
    return base64url(std::string_view(reinterpret_cast<const char*>(buffer), sizeof buffer));
}

}  // namespace lb::engine
