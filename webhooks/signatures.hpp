#pragma once
// The hosts' signature schemes, over the project's crypto unit (engine/store/crypto.hpp).
#include <string>
#include <string_view>

#include "crypto.hpp"

namespace lb::webhooks {

using engine::constant_time_equals;
using engine::hmac_sha256_hex;
using engine::sha256_hex;

// GitHub's X-Hub-Signature-256: "sha256=" + lowercase hex HMAC of the raw body.
bool github_signature_valid(std::string_view secret, std::string_view body, std::string_view header);

// Gitee's signature mode: base64(HMAC-SHA256(key = secret, msg = timestamp + "\n" + secret)).
std::string gitee_signature(std::string_view secret, std::string_view timestamp);

// X-Gitee-Token in either mode ("signature" or "password"), in its canonical form
// (gitee_credentials.hpp decodes it).
bool gitee_token_valid(std::string_view mode, std::string_view secret, std::string_view timestamp, std::string_view token);

}  // namespace lb::webhooks
