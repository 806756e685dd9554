#include "signatures.hpp"

#include "hex.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

namespace lb::webhooks {

using engine::to_hex;

bool constant_time_equals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

std::string hmac_sha256(std::string_view key, std::string_view message) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), digest, &length);
    return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace

std::string sha256_hex(std::string_view data) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    return to_hex(digest, sizeof digest);
}

std::string gitee_signature(std::string_view secret, std::string_view timestamp) {
    std::string message = std::string(timestamp) + "\n" + std::string(secret);
    std::string digest = hmac_sha256(secret, message);
    std::string encoded(4 * ((digest.size() + 2) / 3) + 1, '\0');
    int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                 reinterpret_cast<const unsigned char*>(digest.data()), static_cast<int>(digest.size()));
    encoded.resize(static_cast<std::size_t>(length));
    return encoded;
}

bool gitee_token_valid(std::string_view mode, std::string_view secret, std::string_view timestamp, std::string_view token) {
    if (secret.empty() || token.empty()) return false;
    if (mode == "password") return constant_time_equals(token, secret);
    return constant_time_equals(token, gitee_signature(secret, timestamp));
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    std::string digest = hmac_sha256(key, message);
    return to_hex(reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
}

bool github_signature_valid(std::string_view secret, std::string_view body, std::string_view header) {
    if (secret.empty()) return false;
    return constant_time_equals(header, "sha256=" + hmac_sha256_hex(secret, body));
}

}  // namespace lb::webhooks
