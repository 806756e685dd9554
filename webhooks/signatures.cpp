#include "signatures.hpp"

namespace lb::webhooks {

std::string gitee_signature(std::string_view secret, std::string_view timestamp) {
    return engine::base64(engine::hmac_sha256(secret, std::string(timestamp) + "\n" + std::string(secret)));
}

bool gitee_token_valid(std::string_view mode, std::string_view secret, std::string_view timestamp, std::string_view token) {
    if (secret.empty() || token.empty()) return false;
    if (mode == "password") return constant_time_equals(token, secret);
    return constant_time_equals(token, gitee_signature(secret, timestamp));
}

bool github_signature_valid(std::string_view secret, std::string_view body, std::string_view header) {
    if (secret.empty()) return false;
    return constant_time_equals(header, "sha256=" + hmac_sha256_hex(secret, body));
}

}  // namespace lb::webhooks
