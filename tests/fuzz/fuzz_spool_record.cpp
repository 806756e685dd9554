// Lines of the delivery spool, as a crash or a bad disk may leave them.
#include <cstdint>
#include <string>

#include "spool_record.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view line(reinterpret_cast<const char*>(data), size);
    auto read = lb::webhooks::read_spool_record(line);
    if (auto* record = std::get_if<lb::webhooks::spool_record>(&read)) {
        // A record read back is written and read again unchanged.
        auto again = lb::webhooks::read_spool_record(lb::webhooks::spool_record_line(*record));
        auto* same = std::get_if<lb::webhooks::spool_record>(&again);
        if (!same || same->delivery != record->delivery || same->pr.subject() != record->pr.subject()) __builtin_trap();
    }
    return 0;
}
