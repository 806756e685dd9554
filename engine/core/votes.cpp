#include "votes.hpp"

#include <algorithm>

#include "fixed_points.hpp"
#include "json_reader.hpp"
#include "rfc3339.hpp"
#include "untrusted_json.hpp"
#include "utf8.hpp"

namespace lb::engine {

using json = nlohmann::json;

namespace {

constexpr std::size_t max_title_bytes = 200;

write_refusal vote_field_error(std::string message) { return {400, "bad_field", std::move(message)}; }

}  // namespace

json vote_entry::to_json() const { return {{"participant", participant}, {"url", url}, {"title", title}, {"handed_at", handed_at}}; }

std::optional<vote_entry> vote_entry::from_text(std::string_view text) {
    auto parsed = parse_untrusted_json(text);
    if (!parsed.ok() || !parsed.value.is_object()) return std::nullopt;
    const auto& j = parsed.value;
    auto participant = string_at(j, "participant");
    auto handed_at = integer_at(j, "handed_at");
    if (!participant || !handed_at) return std::nullopt;
    return vote_entry{*participant, string_at(j, "url").value_or(""), string_at(j, "title").value_or(""), *handed_at};
}

json ballot::to_json() const {
    json j{{"voter", voter}, {"entries", entries}, {"cast_at", cast_at}, {"client", client}};
    if (voided) j.update({{"voided", true}, {"void_reason", void_reason}, {"voided_by", voided_by}});
    return j;
}

std::optional<ballot> ballot::from_text(std::string_view text) {
    auto parsed = parse_untrusted_json(text);
    if (!parsed.ok() || !parsed.value.is_object()) return std::nullopt;
    const auto& j = parsed.value;
    auto voter = string_at(j, "voter");
    auto cast_at = integer_at(j, "cast_at");
    auto entries = j.find("entries");
    if (!voter || !cast_at || entries == j.end() || !entries->is_array()) return std::nullopt;
    ballot b;
    b.voter = *voter;
    b.cast_at = *cast_at;
    for (const auto& e : *entries)
        if (e.is_string()) b.entries.push_back(e.get<std::string>());
    b.client = string_at(j, "client").value_or("");
    b.voided = bool_at(j, "voided").value_or(false);
    b.void_reason = string_at(j, "void_reason").value_or("");
    b.voided_by = string_at(j, "voided_by").value_or("");
    return b;
}

const component_rule* find_vote(const contest& c, std::string_view component_id) {
    const component_rule* rule = c.find_component(component_id);
    return rule && rule->vote ? rule : nullptr;
}

std::variant<vote_entry, write_refusal> read_vote_entry(const component_rule& rule, const json& body, unix_seconds now) {
    auto url = string_at(body, "url");
    if (!url || !is_web_link(*url)) return vote_field_error("url: expected an http(s) URL of at most 500 bytes");
    auto title = string_at(body, "title");
    if (!title || title->empty() || title->size() > max_title_bytes || !valid_utf8(*title) || has_control_characters(*title))
        return vote_field_error("title: expected text of 1 to 200 bytes without control characters");
    // Every voter sees the same entries: they are handed in (and replaced) until the vote opens.
    if (now >= rule.vote->opens_at)
        return write_refusal{409, "vote_open", "component: entries to \"" + rule.id + "\" were taken until it opened at " + format_rfc3339(rule.vote->opens_at)};
    return vote_entry{"", *url, *title, now};
}

std::variant<ballot, write_refusal> read_ballot(const component_rule& rule, const json& body, const std::set<std::string>& entries,
                                                std::string_view own_entry, unix_seconds now) {
    const auto& v = *rule.vote;
    auto list = body.find("entries");
    if (list == body.end() || !list->is_array() || list->empty() || list->size() > static_cast<std::size_t>(v.k))
        return vote_field_error("entries: expected an array of 1 to " + std::to_string(v.k) + " participant ids");
    ballot b;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto& item = (*list)[i];
        auto where = indexed_path("entries", i);
        if (!item.is_string() || !entries.count(item.get<std::string>()))
            return vote_field_error(where + ": expected the participant id of an entry of \"" + rule.id + "\"");
        const auto& id = item.get_ref<const std::string&>();
        if (id == own_entry) return write_refusal{403, "own_entry", where + ": a voter cannot vote for their own entry"};
        if (std::find(b.entries.begin(), b.entries.end(), id) != b.entries.end())
            return vote_field_error(where + ": \"" + id + "\" is named twice");
        b.entries.push_back(id);
    }
    if (now < v.opens_at) return write_refusal{409, "not_open", "component: the vote \"" + rule.id + "\" opens at " + format_rfc3339(v.opens_at)};
    if (now >= v.closes_at)
        return write_refusal{409, "vote_closed", "component: the vote \"" + rule.id + "\" closed at " + format_rfc3339(v.closes_at)};
    b.cast_at = now;
    return b;
}

vote_tally count_ballots(const vote_rules& rule, const std::vector<ballot>& ballots, const std::set<std::string>& entries) {
    vote_tally out;
    for (const auto& b : ballots) {
        if (b.voided) continue;
        ++out.ballots;
        long long place = 0;
        for (const auto& id : b.entries) {
            long long worth = rule.ranked ? rule.k - place++ : 1;
            if (worth > 0 && entries.count(id)) out.votes[id] += worth;
        }
    }
    for (const auto& [id, votes] : out.votes) out.most = std::max(out.most, votes);
    return out;
}

centi vote_points(const component_rule& rule, const vote_tally& tally, long long votes) {
    if (votes <= 0) return 0;
    if (rule.vote->per_vote) return std::min<centi>(rule.max, *rule.vote->per_vote * votes);
    if (tally.most <= 0) return 0;
    // max × votes / most, rounded half up in hundredths (votes ≤ most, so it never passes max)
    return (rule.max * votes * 2 + tally.most) / (tally.most * 2);
}

std::vector<award> vote_awards(const contest& c, const component_rule& rule, const vote_tally& tally, const std::vector<vote_entry>& entries,
                               std::int64_t version, unix_seconds at) {
    std::vector<award> out;
    for (const auto& e : entries) {
        const participant* p = c.find_participant(e.participant);
        if (!p) continue;
        auto found = tally.votes.find(e.participant);
        long long votes = found == tally.votes.end() ? 0 : found->second;
        award a;
        a.subject = "vote:" + rule.id + ":" + p->id;
        a.kind = "vote";
        a.component = rule.id;
        a.participant = p->id;
        a.points = vote_points(rule, tally, votes);
        a.at = at;
        a.version = version;
        a.reason = "vote " + rule.id;
        a.details = {{"votes", votes}, {"ballots", tally.ballots}, {"most", tally.most}, {"url", e.url}, {"title", e.title}};
        a.contributions = contributions_for(c, *p, rule.id, a.points, at);
        out.push_back(std::move(a));
    }
    return out;
}

bool tallies_visible(const vote_rules& rule, unix_seconds now) { return rule.live_tallies ? now >= rule.opens_at : now >= rule.closes_at; }

std::vector<ballot_signals> signals_of(const vote_rules& rule, const std::vector<ballot>& ballots,
                                       const std::map<std::string, unix_seconds>& joined_at) {
    std::map<std::string, long long> per_client;
    for (const auto& b : ballots)
        if (!b.client.empty()) ++per_client[b.client];
    // Identical ballots (the same entries, in any order) sorted by time: a neighbour within the
    // burst window marks both.
    std::vector<std::pair<std::vector<std::string>, std::size_t>> keyed;
    for (std::size_t i = 0; i < ballots.size(); ++i) {
        auto key = ballots[i].entries;
        std::sort(key.begin(), key.end());
        keyed.emplace_back(std::move(key), i);
    }
    std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
        return std::tie(a.first, ballots[a.second].cast_at) < std::tie(b.first, ballots[b.second].cast_at);
    });
    std::vector<ballot_signals> out(ballots.size());
    for (std::size_t i = 0; i + 1 < keyed.size(); ++i) {
        const auto& [key, a] = keyed[i];
        const auto& [next_key, b] = keyed[i + 1];
        if (key == next_key && ballots[b].cast_at - ballots[a].cast_at <= burst_seconds) out[a].burst = out[b].burst = true;
    }
    for (std::size_t i = 0; i < ballots.size(); ++i) {
        if (!ballots[i].client.empty()) out[i].same_client = per_client[ballots[i].client];
        auto joined = joined_at.find(ballots[i].voter);
        out[i].joined_after_open = joined != joined_at.end() && joined->second >= rule.opens_at;
    }
    return out;
}

}  // namespace lb::engine
