#pragma once
// HTTP Basic credentials (RFC 7617), as AtomGit's repository hooks send the user and password
// that were put in the hook's URL. Pure.
#include <optional>
#include <string>
#include <string_view>

namespace lb::webhooks {

struct basic_credentials {
    std::string user;
    std::string password;
};

// An Authorization header's value: "Basic " + base64("user:password"); nullopt when it is not
// that (another scheme, bad base64, no colon, a control character, longer than 1,024 bytes).
std::optional<basic_credentials> read_basic_credentials(std::string_view header);

}  // namespace lb::webhooks
