// Award records read back from the ledger and the award log, and submission records.
#include <cstdint>
#include <string>

#include "award.hpp"
#include "ledger_entry.hpp"
#include "reproductions.hpp"
#include "standings.hpp"
#include "untrusted_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    if (auto a = lb::engine::read_award_record(text)) {
        // What was read can be written again and read back to the same award.
        auto again = lb::engine::read_award_record(a->to_json_text());
        if (!again || again->subject != a->subject || again->points != a->points) __builtin_trap();
    }
    lb::engine::read_ledger_entry(text);
    lb::engine::submission::from_text(text);
    lb::engine::to_text(lb::engine::event_to_json("1-0", text, "0"));
    return 0;
}
