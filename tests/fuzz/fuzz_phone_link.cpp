// The big screen's ?origin= for its phone QR code: only a plain origin passes, and whatever
// passes draws a square SVG of dark modules and nothing else.
#include <cstdint>
#include <string>

#include "api/phone_link.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto origin = lb::gateway::checked_origin(text);
    if (!origin) return 0;
    if (origin->find_first_of("/?#@\"<> ", 8) != std::string::npos) __builtin_trap();  // after "https://"
    auto svg = lb::gateway::qr_svg(lb::gateway::phone_link(*origin, "c"));
    if (!svg || !svg->starts_with("<svg ") || svg->find('<', 1) == std::string::npos || svg->find("script") != std::string::npos)
        __builtin_trap();
    return 0;
}
