#pragma once
#include <cstddef>
#include <string>

namespace lb::engine {

// Hex of `bytes` bytes from OpenSSL's generator; "" if it could not draw them.
std::string random_hex(std::size_t bytes);
// 32 bytes as 43 characters of base64url (state, PKCE verifiers, session ids); "" on failure.
std::string random_token();

}  // namespace lb::engine
