// application/x-www-form-urlencoded bodies (GitHub's "payload" field) and %-decoding.
#include <cstdint>
#include <string>

#include "form_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto field = lb::webhooks::form_field(text, "payload");
    if (field && field->size() > text.size()) __builtin_trap();  // decoding never grows the text
    lb::webhooks::percent_decode(text, false);
    return 0;
}
