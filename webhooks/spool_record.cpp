#include "spool_record.hpp"

#include <algorithm>

#include "award.hpp"
#include "untrusted_json.hpp"

namespace lb::webhooks {

std::string spool_record_line(const spool_record& record) {
    return engine::to_text({{"delivery", record.delivery}, {"pr", engine::facts_to_json(record.pr)}});
}

std::variant<spool_record, std::string> read_spool_record(std::string_view line) {
    auto parsed = engine::parse_untrusted_json(line);
    if (!parsed.ok()) return "not a spool record: " + parsed.error;
    auto delivery = engine::string_at(parsed.value, "delivery");
    bool known_host = delivery && (delivery->starts_with("github:") || delivery->starts_with("gitee:"));
    bool plain = delivery && delivery->size() <= 120 && std::all_of(delivery->begin(), delivery->end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == ':';
    });
    if (!known_host || !plain) return std::string("delivery: expected \"github:<id>\" or \"gitee:<digest>\"");
    const auto* pr = engine::object_at(parsed.value, "pr");
    auto facts = pr ? engine::facts_from_json(*pr) : std::nullopt;
    if (!facts) return std::string("pr: not the facts of a pull request");
    return spool_record{std::move(*delivery), std::move(*facts)};
}

}  // namespace lb::webhooks
