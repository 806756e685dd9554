#include <doctest/doctest.h>

#include "signatures.hpp"

using namespace lb::webhooks;

TEST_CASE("GitHub's documented test vector verifies") {
    const std::string secret = "It's a Secret to Everybody";
    const std::string header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    CHECK(hmac_sha256_hex(secret, "Hello, World!") == header.substr(7));
    CHECK(github_signature_valid(secret, "Hello, World!", header));
    CHECK_FALSE(github_signature_valid(secret, "Hello, World?", header));
    CHECK_FALSE(github_signature_valid("another secret", "Hello, World!", header));
    CHECK_FALSE(github_signature_valid(secret, "Hello, World!", header.substr(7)));  // without the "sha256=" prefix
    CHECK_FALSE(github_signature_valid("", "Hello, World!", header));                // no secret configured: refuse
}

TEST_CASE("constant-time comparison") {
    CHECK(constant_time_equals("token", "token"));
    CHECK_FALSE(constant_time_equals("token", "tokeN"));
    CHECK_FALSE(constant_time_equals("token", "token2"));
    CHECK(constant_time_equals("", ""));
}
