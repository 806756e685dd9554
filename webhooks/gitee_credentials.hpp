#pragma once
// Gitee's X-Gitee-Timestamp and X-Gitee-Token in one canonical form, so that the
// signature check and the replay guard see the same credential however a client
// spelled it (percent-encoding, leading zeros). Pure.
#include <string>
#include <string_view>
#include <variant>

namespace lb::webhooks {

struct gitee_credentials {
    long long millis = 0;
    std::string timestamp;  // the decimal digits the signature covers (no leading zeros)
    std::string token;      // percent-decoded when the header held '%'
};

// The headers as received; the error names the header at fault.
std::variant<gitee_credentials, std::string> read_gitee_credentials(std::string_view timestamp, std::string_view token);

// The replay guard's key of a canonical pair.
std::string gitee_replay_key(const gitee_credentials& credentials);

}  // namespace lb::webhooks
