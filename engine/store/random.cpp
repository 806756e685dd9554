#include "random.hpp"

#include <vector>

#include <openssl/rand.h>

#include "hex.hpp"

namespace lb::engine {

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) return "";
    return to_hex(buffer.data(), buffer.size());
}

}  // namespace lb::engine
