#include "team_moves.hpp"

#include <algorithm>

namespace lb::engine {

const team* team_named(const std::vector<team>& teams, team_kind kind, std::string_view chapter) {
    if (chapter.empty()) return nullptr;
    auto folded = to_lower_ascii(chapter);
    for (const auto& t : teams) {
        if (t.kind != kind) continue;
        for (const auto* name : {&t.id, &t.name.en, &t.name.zh})
            if (!name->empty() && (*name == chapter || to_lower_ascii(*name) == folded)) return &t;
    }
    return nullptr;
}

std::vector<team_move> team_moves(const std::vector<team>& teams, const std::vector<membership>& memberships) {
    std::vector<team_move> out;
    for (auto kind : all_team_kinds) {
        std::vector<const membership*> of_kind;
        for (const auto& m : memberships)
            if (m.kind == to_string(kind)) of_kind.push_back(&m);
        std::stable_sort(of_kind.begin(), of_kind.end(), [](const membership* a, const membership* b) { return a->since < b->since; });
        for (std::size_t i = 1; i < of_kind.size(); ++i) {
            const team* t = team_named(teams, kind, of_kind[i]->chapter);
            out.push_back({kind, t ? t->id : "", of_kind[i]->since});
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const team_move& a, const team_move& b) { return a.since < b.since; });
    return out;
}

const participant* participant_of_person(const roster& r, const std::string& community_id, const host_logins& logins) {
    const participant* found = nullptr;
    for (const auto& p : r.participants())
        if (p.person == community_id) found = &p;
    for (const auto& host : all_hosts()) {
        if (found) break;
        if (const auto& login = login_on(logins, host.id); !login.empty()) found = r.find_by_login(host.id, login);
    }
    // A participant who names another person is not this one, whatever their login.
    if (found && !found->person.empty() && found->person != community_id) return nullptr;
    return found;
}

}  // namespace lb::engine
