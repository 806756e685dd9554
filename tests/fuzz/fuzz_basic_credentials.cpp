// An Authorization header as an AtomGit hook (or anyone) sends it: read whole or refused.
#include <cstdint>
#include <string_view>

#include "basic_credentials.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view header(reinterpret_cast<const char*>(data), size);
    auto read = lb::webhooks::read_basic_credentials(header);
    if (read) {
        // What it decodes is never longer than what was sent, and has no control characters.
        if (read->user.size() + read->password.size() + 1 > header.size()) __builtin_trap();
        for (char c : read->user + read->password)
            if (static_cast<unsigned char>(c) < 0x20) __builtin_trap();
    }
    return 0;
}
