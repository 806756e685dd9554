#include "reproductions.hpp"

#include "untrusted_json.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace lb::engine {

using nlohmann::json;

json submission::to_json() const {
    json j{{"id", id},
           {"participant", participant},
           {"model", model},
           {"claimed", claimed},
           {"evidence_url", evidence_url},
           {"submitted_at", submitted_at},
           {"sequence", sequence},
           {"verdict", verdict},
           {"auto_accepted", auto_accepted},
           {"judge", judge},
           {"verdict_reason", verdict_reason},
           {"judged_at", judged_at}};
    j["measured"] = measured ? json(*measured) : json(nullptr);
    return j;
}

std::optional<submission> submission::from_json(const json& j) {
    auto id = string_at(j, "id");
    auto participant = string_at(j, "participant");
    auto model = string_at(j, "model");
    auto submitted_at = integer_at(j, "submitted_at");
    if (!id || !participant || !model || !submitted_at) return std::nullopt;
    submission s;
    s.id = std::move(*id);
    s.participant = std::move(*participant);
    s.model = std::move(*model);
    if (const auto* claimed = object_at(j, "claimed")) s.claimed = *claimed;
    s.evidence_url = string_at(j, "evidence_url").value_or("");
    s.submitted_at = *submitted_at;
    s.sequence = integer_at(j, "sequence").value_or(0);
    s.verdict = string_at(j, "verdict").value_or("pending");
    s.measured = number_at(j, "measured");
    s.auto_accepted = bool_at(j, "auto_accepted").value_or(false);
    s.judge = string_at(j, "judge").value_or("");
    s.verdict_reason = string_at(j, "verdict_reason").value_or("");
    s.judged_at = integer_at(j, "judged_at").value_or(0);
    return s;
}

std::optional<submission> submission::from_text(std::string_view text) {
    auto parsed = parse_untrusted_json(text);
    return parsed.ok() ? from_json(parsed.value) : std::nullopt;
}

bool qualifies(const model_rule& model, const submission& s) {
    if (s.verdict != "accepted") return false;
    if (s.auto_accepted && !s.measured) return true;
    if (!s.measured) return false;
    // A tolerance written as 0.01 must admit a measurement exactly 0.01 away.
    return std::fabs(*s.measured - model.target) <= model.tolerance + 1e-9;
}

std::vector<award> reproduction_awards(const contest& c, const model_rule& model, const std::vector<submission>& submissions,
                                       std::int64_t version) {
    std::vector<const submission*> ordered;
    for (const auto& s : submissions)
        if (s.model == model.id) ordered.push_back(&s);
    std::sort(ordered.begin(), ordered.end(), [](const submission* a, const submission* b) {
        return std::tie(a->submitted_at, a->sequence, a->id) < std::tie(b->submitted_at, b->sequence, b->id);
    });
    if (ordered.empty()) return {};
    auto clamp = [&](unix_seconds t) { return std::clamp(t, c.starts_at, c.ends_at); };
    std::map<std::string, const submission*> first_qualifying;  // participant -> earliest qualifying submission
    std::vector<std::string> participants;
    const submission* winner = nullptr;
    for (const submission* s : ordered) {
        if (std::find(participants.begin(), participants.end(), s->participant) == participants.end()) participants.push_back(s->participant);
        if (!qualifies(model, *s)) continue;
        first_qualifying.emplace(s->participant, s);
        const participant* p = c.find_participant(s->participant);
        if (!winner && p && !p->disqualified) winner = s;
    }
    std::vector<award> out;
    for (const auto& pid : participants) {
        award a;
        a.subject = "reproduction:" + model.id + ":" + pid;
        a.kind = "reproduction";
        a.component = "reproductions";
        a.participant = pid;
        a.version = version;
        auto it = first_qualifying.find(pid);
        if (it != first_qualifying.end()) {
            a.points = model.points;
            a.at = clamp(it->second->submitted_at);
            a.reason = "reproduced " + model.id + " (submission " + it->second->id + ")";
            a.details = {{"model", model.id}, {"submission", it->second->id}, {"evidence_url", it->second->evidence_url}};
            if (it->second->measured) a.details["measured"] = *it->second->measured;
        } else {
            a.at = clamp(ordered.front()->submitted_at);
            a.reason = "no accepted reproduction of " + model.id + " within tolerance";
            a.details = {{"model", model.id}};
        }
        if (const participant* p = c.find_participant(pid)) a.contributions = contributions_for(c, *p, a.component, a.points, a.at);
        out.push_back(std::move(a));
    }
    award bonus;
    bonus.subject = "first_bonus:" + model.id;
    bonus.kind = "first_bonus";
    bonus.component = "reproductions";
    bonus.version = version;
    bonus.details = {{"model", model.id}};
    if (winner && model.first_bonus != 0) {
        bonus.participant = winner->participant;
        bonus.points = model.first_bonus;
        bonus.at = clamp(winner->submitted_at);
        bonus.reason = "first accepted reproduction of " + model.id + " (submission " + winner->id + ")";
        bonus.details["submission"] = winner->id;
        bonus.contributions = contributions_for(c, *c.find_participant(winner->participant), bonus.component, bonus.points, bonus.at);
    } else {
        bonus.at = c.starts_at;
        bonus.reason = "no accepted reproduction of " + model.id + " yet";
    }
    out.push_back(std::move(bonus));
    return out;
}

const model_rule* reproduction_label_model(const contest& c, const pull_request_facts& pr) {
    for (const auto& label : pr.labels) {
        auto normalized = normalize_label(label);
        for (const auto& m : c.models)
            if (normalized == normalize_label("reproduce/" + m.id)) return &m;
    }
    return nullptr;
}

submission submission_from_pull_request(const contest& c, const model_rule& model, const participant& author,
                                        const pull_request_facts& pr) {
    submission s;
    s.id = "pr:" + pr.subject();
    s.participant = author.id;
    s.model = model.id;
    s.evidence_url = pr.url;
    s.submitted_at = pr.merged_at.value_or(pr.updated_at);
    s.sequence = s.submitted_at;  // no arrival counter for PRs; the merge time orders them
    if (c.auto_accept_reproduction_prs) {
        s.verdict = "accepted";
        s.auto_accepted = true;
        s.judge = "auto";
        s.judged_at = s.submitted_at;
    }
    return s;
}

}  // namespace lb::engine
