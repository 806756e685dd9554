#include "gitee_credentials.hpp"

#include <algorithm>

#include "form_body.hpp"
#include "signatures.hpp"
#include "utf8.hpp"

namespace lb::webhooks {

std::variant<gitee_credentials, std::string> read_gitee_credentials(std::string_view timestamp, std::string_view token) {
    bool digits = !timestamp.empty() && timestamp.size() <= 16 &&
                  std::all_of(timestamp.begin(), timestamp.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (!digits) return std::string("X-Gitee-Timestamp: missing or not milliseconds");
    // A leading zero would be a second spelling of one instant (and Gitee never sends one).
    if (timestamp.size() > 1 && timestamp[0] == '0') return std::string("X-Gitee-Timestamp: leading zeros are not accepted");
    gitee_credentials out;
    out.timestamp = std::string(timestamp);
    out.millis = std::stoll(out.timestamp);
    if (token.empty() || token.size() > 512) return std::string("X-Gitee-Token: missing or longer than 512 bytes");
    out.token = std::string(token);
    // Gitee's documentation: URL-decode the token first only if it contains '%'.
    if (token.find('%') != std::string_view::npos) {
        auto decoded = percent_decode(token, false);
        if (!decoded) return std::string("X-Gitee-Token: a bad %-escape");
        out.token = std::move(*decoded);
    }
    if (!engine::valid_utf8(out.token) || engine::has_control_characters(out.token))
        return std::string("X-Gitee-Token: not printable UTF-8");
    return out;
}

std::string gitee_replay_key(const gitee_credentials& credentials) {
    return sha256_hex(credentials.timestamp + "\n" + credentials.token);
}

}  // namespace lb::webhooks
