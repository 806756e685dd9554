#include "certificates.hpp"

#include <algorithm>

#include "untrusted_json.hpp"

namespace lb::engine {

using json = nlohmann::json;

namespace {

json text_json(const localized_text& t) { return {{"en", t.en}, {"zh", t.zh}}; }

localized_text text_at(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_object()) return {};
    return {string_at(*it, "en").value_or(""), string_at(*it, "zh").value_or("")};
}

}  // namespace

json certificate::content() const {
    json j{{"id", id}, {"kind", kind}, {"contest", contest}, {"contest_title", text_json(contest_title)}, {"participant", participant},
           {"name", name}, {"community_id", community_id}, {"rank", rank}, {"title", text_json(title)}, {"ended_at", ended_at},
           {"revision", revision}};
    if (kind == "level") j["level"] = level;
    return j;
}

json certificate::to_json() const {
    json j = content();
    j["issued_at"] = issued_at;
    return j;
}

std::optional<certificate> certificate::from_text(std::string_view text) {
    auto parsed = parse_untrusted_json(text);
    if (!parsed.ok() || !parsed.value.is_object()) return std::nullopt;
    const auto& j = parsed.value;
    auto id = string_at(j, "id");
    auto contest_id = string_at(j, "contest");
    auto participant = string_at(j, "participant");
    auto rank = integer_at(j, "rank");
    auto revision = integer_at(j, "revision").value_or(1);
    auto kind = string_at(j, "kind").value_or("placing");
    // A record this engine wrote: a placing's rank (a level's is 0) and a revision it could reach
    // (the next one must not overflow).
    bool rank_fits = rank && (kind == "level" ? *rank == 0 : *rank >= 1);
    if (!id || !contest_id || !participant || !rank_fits || (kind != "placing" && kind != "level") || revision < 1 || revision > 1'000'000'000)
        return std::nullopt;
    certificate out;
    out.id = *id;
    out.kind = kind;
    out.level = string_at(j, "level").value_or("");
    out.contest = *contest_id;
    out.contest_title = text_at(j, "contest_title");
    out.participant = *participant;
    out.name = string_at(j, "name").value_or("");
    out.community_id = string_at(j, "community_id").value_or("");
    out.rank = *rank;
    out.title = text_at(j, "title");
    out.ended_at = integer_at(j, "ended_at").value_or(0);
    out.issued_at = integer_at(j, "issued_at").value_or(0);
    out.revision = revision;
    return out;
}

certificate level_certificate(const contest& c, const participant& p, const std::string& community_id, const std::string& name,
                              const std::string& level_id, const localized_text& level_name, unix_seconds now) {
    certificate cert;
    cert.kind = "level";
    cert.level = level_id;
    cert.contest = c.id;
    cert.contest_title = c.title;
    cert.participant = p.id;
    cert.name = name.empty() ? p.name : name;
    cert.community_id = community_id;
    cert.title = level_name;
    cert.ended_at = now;  // the day it was reached: the date printed
    cert.issued_at = now;
    return cert;
}

long long deepest_placing(const contest& c) {
    long long deepest = 0;
    for (const auto& p : c.placings) deepest = std::max(deepest, p.to);
    return deepest;
}

std::vector<certificate> owed_certificates(const contest& c, const std::vector<final_rank>& ranks,
                                           const std::vector<std::string>& community_ids, unix_seconds now) {
    std::vector<certificate> out;
    for (std::size_t i = 0; i < ranks.size(); ++i) {
        const auto* placing = c.placing_for(ranks[i].rank);
        const auto* p = c.find_participant(ranks[i].participant);
        if (!placing || !p || p->disqualified) continue;
        certificate cert;
        cert.contest = c.id;
        cert.contest_title = c.title;
        cert.participant = p->id;
        cert.name = p->name;
        cert.community_id = i < community_ids.size() ? community_ids[i] : "";
        cert.rank = ranks[i].rank;
        cert.title = placing->title;
        cert.ended_at = c.ends_at;
        cert.issued_at = now;
        out.push_back(std::move(cert));
    }
    return out;
}

certificate reissue(const certificate& kept, certificate fresh) {
    fresh.id = kept.id;
    fresh.revision = kept.revision;
    if (fresh.content() != kept.content()) {
        fresh.revision = kept.revision + 1;
    } else {
        fresh.issued_at = kept.issued_at;
    }
    return fresh;
}

bool is_certificate_id(std::string_view text) {
    return text.size() == 32 && std::all_of(text.begin(), text.end(), [](char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); });
}

}  // namespace lb::engine
