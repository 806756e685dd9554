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

TEST_CASE("the crypto unit: RFC 4231's HMAC-SHA256 vector, SHA-256 and base64 of known inputs") {
    using namespace lb::engine;
    CHECK(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There") == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(base64("") == "");
    CHECK(base64("f") == "Zg==");
    CHECK(base64("foobar") == "Zm9vYmFy");
    CHECK(hmac_sha256("Jefe", "what do ya want for nothing?").size() == 32);
}
