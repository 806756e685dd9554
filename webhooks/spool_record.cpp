#include "spool_record.hpp"

#include <algorithm>

#include "award.hpp"
#include "untrusted_json.hpp"

namespace lb::webhooks {

std::string spool_record_line(const spool_record& record) {
    nlohmann::json line{{"delivery", record.delivery}, {"pr", engine::facts_to_json(record.pr)}};
    if (record.author_id > 0) line["author_id"] = record.author_id;
    return engine::to_text(line);
}

std::variant<spool_record, std::string> read_spool_record(std::string_view line) {
    auto parsed = engine::parse_untrusted_json(line);
    if (!parsed.ok()) return "not a spool record: " + parsed.error;
    auto delivery = engine::string_at(parsed.value, "delivery");
    bool known_host = delivery && engine::find_host(delivery->substr(0, delivery->find(':'))) && delivery->find(':') != std::string::npos;
    bool plain = delivery && delivery->size() <= 120 && std::all_of(delivery->begin(), delivery->end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == ':';
    });
    if (!known_host || !plain) return std::string("delivery: expected \"<host>:<delivery id or digest>\" with host ") + engine::host_list();
    const auto* pr = engine::object_at(parsed.value, "pr");
    auto facts = pr ? engine::facts_from_json(*pr) : std::nullopt;
    if (!facts) return std::string("pr: not the facts of a pull request");
    auto author_id = engine::integer_at(parsed.value, "author_id").value_or(0);
    if (facts->author.empty() && author_id <= 0) return std::string("pr.author: empty, and no author_id to look it up by");
    return spool_record{std::move(*delivery), std::move(*facts), facts->author.empty() ? author_id : 0};
}

}  // namespace lb::webhooks
