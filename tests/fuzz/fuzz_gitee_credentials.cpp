// X-Gitee-Timestamp and X-Gitee-Token (the input is "timestamp\ntoken"): canonical form,
// replay key, and both verification modes.
#include <cstdint>
#include <string>

#include "gitee_credentials.hpp"
#include "signatures.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto split = text.find('\n');
    auto timestamp = text.substr(0, split);
    auto token = split == std::string_view::npos ? std::string_view() : text.substr(split + 1);
    auto read = lb::webhooks::read_gitee_credentials(timestamp, token);
    auto* credentials = std::get_if<lb::webhooks::gitee_credentials>(&read);
    if (!credentials) return 0;
    // A canonical token without '%' is a fixed point: reading it again gives the same replay key.
    if (credentials->token.find('%') == std::string::npos) {
        auto again = lb::webhooks::read_gitee_credentials(credentials->timestamp, credentials->token);
        auto* same = std::get_if<lb::webhooks::gitee_credentials>(&again);
        if (!same || lb::webhooks::gitee_replay_key(*same) != lb::webhooks::gitee_replay_key(*credentials)) __builtin_trap();
    }
    lb::webhooks::gitee_token_valid("signature", "secret", credentials->timestamp, credentials->token);
    lb::webhooks::gitee_token_valid("password", "secret", credentials->timestamp, credentials->token);
    return 0;
}
