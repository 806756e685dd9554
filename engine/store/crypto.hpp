#pragma once
// The project's one crypto unit (OpenSSL underneath): SHA-256, HMAC-SHA256, base64 and the
// constant-time compare, used by the webhooks' signatures, the participants' tokens, the
// exports' checksums and every token check of the gateway.
#include <string>
#include <string_view>

namespace lb::engine {

// Compares in time that depends only on the lengths, never on where the bytes differ.
bool constant_time_equals(std::string_view a, std::string_view b);

std::string sha256_hex(std::string_view data);
// The raw 32-byte MAC, and the same in lower-case hex.
std::string hmac_sha256(std::string_view key, std::string_view message);
std::string hmac_sha256_hex(std::string_view key, std::string_view message);
std::string base64(std::string_view bytes);
// RFC 4648's URL alphabet without padding: PKCE challenges, state and session ids.
std::string base64url(std::string_view bytes);
// The raw 32-byte digest.
std::string sha256(std::string_view data);

}  // namespace lb::engine
