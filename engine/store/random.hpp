#pragma once
#include <cstddef>
#include <string>

namespace lb::engine {

// Hex of `bytes` bytes from OpenSSL's generator; "" if it could not draw them.
std::string random_hex(std::size_t bytes);

}  // namespace lb::engine
