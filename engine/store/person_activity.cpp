#include "person_activity.hpp"

#include <algorithm>
#include <memory>

#include "award.hpp"
#include "clock.hpp"
#include "ledger_entry.hpp"
#include "rfc3339.hpp"
#include "store_keys.hpp"
#include "team_moves.hpp"
#include "untrusted_json.hpp"

namespace lb::engine {

using nlohmann::json;

namespace {

struct taking_part {
    const contest* c;
    const participant* p;
    std::vector<std::string> subjects;
};

constexpr std::size_t max_subjects_per_contest = 5000;  // a profile shows a person, not a bulk export

json contest_view(const taking_part& part, const redis_value& records, activity_totals& totals, std::optional<unix_seconds> frozen) {
    json awards = json::array();
    centi points = 0;
    long long merged = 0;
    for (std::size_t i = 0; i < part.subjects.size() && i < records.elements.size(); ++i) {
        if (records.elements[i].is_nil()) continue;
        auto entry = read_ledger_entry(records.elements[i].text);
        if (!entry || entry->participant != part.p->id) continue;
        if (frozen && entry->at >= *frozen) continue;
        points += entry->points;
        if (entry->kind == "pull_request") ++merged;
        awards.push_back({{"subject", part.subjects[i]}, {"kind", entry->kind}, {"points", points_json(entry->points)},
                          {"at", format_rfc3339(entry->at)}});
    }
    std::sort(awards.begin(), awards.end(), [](const json& a, const json& b) { return a["at"] < b["at"]; });
    if (!part.p->disqualified) {
        totals.points += points;
        totals.merged_prs += merged;
    }
    const auto& c = *part.c;
    return {{"id", c.id}, {"title", {{"en", c.title.en}, {"zh", c.title.zh}}}, {"participant", part.p->id},
            {"starts_at", format_rfc3339(c.starts_at)}, {"ends_at", format_rfc3339(c.ends_at)}, {"points", points_json(points)},
            {"merged_prs", merged}, {"disqualified", part.p->disqualified}, {"frozen", frozen.has_value()}, {"awards", std::move(awards)}};
}

}  // namespace

const participant* participant_for(const contest& c, const std::string& community_id, const host_logins& logins) {
    return participant_of_person(c.members(), community_id, logins);
}

void read_person_activity(redis_executor& redis, const config& cfg, const std::string& community_id, const json& person,
                          bool public_view, std::function<void(std::optional<person_activity>, std::string error)> done) {
    auto logins = logins_in(person);
    auto parts = std::make_shared<std::vector<taking_part>>();
    for (const auto& c : cfg.contests)
        if (const auto* p = participant_for(c, community_id, logins)) parts->push_back({&c, p, {}});
    if (parts->empty()) {
        person_activity none;
        none.level = level_reached(cfg.community.ladder, none.totals);
        return done(std::move(none), "");
    }
    std::vector<redis_command> sets;
    for (const auto& part : *parts) sets.push_back({{"SMEMBERS", keys::subjects(part.c->id, part.p->id)}});
    redis.execute(std::move(sets), [&redis, &cfg, parts, public_view, done = std::move(done)](std::vector<redis_value> replies) mutable {
        std::vector<redis_command> lookups;
        for (std::size_t i = 0; i < parts->size(); ++i) {
            if (replies.at(i).is_error()) return done(std::nullopt, replies[i].text);
            auto& part = (*parts)[i];
            for (const auto& s : replies[i].elements) part.subjects.push_back(s.text);
            std::sort(part.subjects.begin(), part.subjects.end());
            if (part.subjects.size() > max_subjects_per_contest) part.subjects.resize(max_subjects_per_contest);
            redis_command lookup{{"HMGET", keys::ledger(part.c->id)}};
            lookup.argv.insert(lookup.argv.end(), part.subjects.begin(), part.subjects.end());
            if (part.subjects.empty()) lookup = {{"PING"}};  // HMGET needs a field; this reply is not read
            lookups.push_back(std::move(lookup));
        }
        redis.execute(std::move(lookups), [&cfg, parts, public_view, done = std::move(done)](std::vector<redis_value> records) {
            person_activity out;
            auto now = now_seconds();
            for (std::size_t i = 0; i < parts->size(); ++i) {
                if (records.at(i).is_error()) return done(std::nullopt, records[i].text);
                auto frozen = public_view ? (*parts)[i].c->frozen_since(now) : std::nullopt;
                out.contests.push_back(contest_view((*parts)[i], records[i], out.totals, frozen));
            }
            out.level = level_reached(cfg.community.ladder, out.totals);
            done(std::move(out), "");
        });
    });
}

}  // namespace lb::engine
