// A vote from outside: a participant's entry body, a member's ballot body, and stored entry and
// ballot records. Whatever is taken has a link of the allowed shape and a title within its
// length; a ballot names 1..k distinct entries that exist, never the voter's own; a tally never
// gives more than max; records store back as themselves; every refusal names its field.
#include <algorithm>
#include <cstdint>
#include <set>
#include <string_view>

#include "config_loader.hpp"
#include "untrusted_json.hpp"
#include "utf8.hpp"
#include "votes.hpp"

namespace {

const lb::engine::contest& camp() {
    static const lb::engine::config cfg = [] {
        auto document = nlohmann::json::parse(R"({"admin_token_env": "LB_ADMIN_TOKEN", "contests": [{"id": "camp", "title": "Camp",
          "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-22T00:00:00Z", "repos": [],
          "participants": [{"id": "ann", "name": "Ann", "github": "ann-gh"}, {"id": "bo", "name": "Bo", "github": "bo-gh"}],
          "rules": {"components": [{"id": "notes", "kind": "votes", "max": 100, "vote": {"opens_at": "2026-12-10T00:00:00Z",
            "closes_at": "2026-12-20T00:00:00Z", "k": 3, "ballot": "ranked"}}]}}]})");
        return lb::engine::load_config(document).value;
    }();
    return cfg.contests.at(0);
}

void refusal_names_a_field(const lb::engine::write_refusal& r) {
    if (r.error.empty() || r.message.find(':') == std::string::npos) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto& c = camp();
    const auto& rule = *lb::engine::find_vote(c, "notes");
    if (auto stored = lb::engine::ballot::from_text(text))
        if (!lb::engine::ballot::from_text(lb::engine::to_text(stored->to_json()))) __builtin_trap();
    if (auto stored = lb::engine::vote_entry::from_text(text))
        if (!lb::engine::vote_entry::from_text(lb::engine::to_text(stored->to_json()))) __builtin_trap();
    auto parsed = lb::engine::parse_untrusted_json(text);
    if (!parsed.ok()) return 0;
    const long long day = 86400, start = 1796083200LL;
    for (long long now : {start + day, start + 12 * day, start + 30 * day}) {
        auto entry = lb::engine::read_vote_entry(rule, parsed.value, now);
        if (auto* refused = std::get_if<lb::engine::write_refusal>(&entry)) {
            refusal_names_a_field(*refused);
        } else {
            const auto& e = std::get<lb::engine::vote_entry>(entry);
            bool web = (e.url.starts_with("https://") && e.url.size() > 8) || (e.url.starts_with("http://") && e.url.size() > 7);
            if (!web || e.url.size() > 500 || e.url.find_first_of(" \t\r\n") != std::string::npos) __builtin_trap();
            if (e.title.empty() || e.title.size() > 200 || !lb::engine::valid_utf8(e.title) || now >= rule.vote->opens_at) __builtin_trap();
        }
        const std::set<std::string> entries{"ann", "bo", "cy"};
        auto read = lb::engine::read_ballot(rule, parsed.value, entries, "ann", now);
        if (auto* refused = std::get_if<lb::engine::write_refusal>(&read)) {
            refusal_names_a_field(*refused);
            continue;
        }
        const auto& b = std::get<lb::engine::ballot>(read);
        std::set<std::string> named(b.entries.begin(), b.entries.end());
        if (b.entries.empty() || b.entries.size() > 3 || named.size() != b.entries.size() || named.count("ann")) __builtin_trap();
        if (!std::includes(entries.begin(), entries.end(), named.begin(), named.end())) __builtin_trap();
        auto tally = lb::engine::count_ballots(*rule.vote, {b, b}, entries);
        for (const auto& [id, votes] : tally.votes)
            if (votes > 2 * 3 || lb::engine::vote_points(rule, tally, votes) > rule.max) __builtin_trap();
    }
    return 0;
}
