#include "contest.hpp"

#include <algorithm>
#include <limits>

namespace lb::engine {

const char* to_string(team_kind kind) {
    switch (kind) {
        case team_kind::city: return "city";
        case team_kind::school: return "school";
        case team_kind::company: return "company";
    }
    return "city";
}

std::optional<team_kind> parse_team_kind(std::string_view text) {
    for (auto kind : all_team_kinds)
        if (text == to_string(kind)) return kind;
    return std::nullopt;
}

std::string to_lower_ascii(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

roster::roster(std::vector<team> teams, std::vector<participant> participants)
    : teams_(std::move(teams)), participants_(std::move(participants)) {
    for (std::size_t i = 0; i < teams_.size(); ++i) team_index_.emplace(teams_[i].id, i);
    for (std::size_t i = 0; i < participants_.size(); ++i) {
        const auto& p = participants_[i];
        participant_index_.emplace(p.id, i);
        if (!p.moves.empty()) participants_[i].teams_after_moves = teams_at(p, std::numeric_limits<unix_seconds>::max());
        for (const auto& [host, login] : p.logins) login_index_.emplace(login_key(host, login), i);
    }
}

std::vector<std::string> roster::teams_at(const participant& p, unix_seconds at) const {
    if (p.moves.empty()) return p.teams;
    std::vector<std::string> out;
    for (const auto& team_id : p.teams) {
        const team* t = find_team(team_id);
        bool moved = t && std::any_of(p.moves.begin(), p.moves.end(), [&](const team_move& m) { return m.kind == t->kind && m.since <= at; });
        if (!moved) out.push_back(team_id);
    }
    for (auto kind : all_team_kinds) {
        const team_move* latest = nullptr;
        for (const auto& m : p.moves)
            if (m.kind == kind && m.since <= at && (!latest || m.since >= latest->since)) latest = &m;
        if (latest && !latest->team.empty() && std::find(out.begin(), out.end(), latest->team) == out.end()) out.push_back(latest->team);
    }
    return out;
}

const team* roster::find_team(std::string_view team_id) const {
    auto it = team_index_.find(std::string(team_id));
    return it == team_index_.end() ? nullptr : &teams_[it->second];
}

const participant* roster::find_participant(std::string_view participant_id) const {
    auto it = participant_index_.find(std::string(participant_id));
    return it == participant_index_.end() ? nullptr : &participants_[it->second];
}

const participant* roster::find_by_login(std::string_view host, std::string_view login) const {
    auto it = login_index_.find(login_key(host, login));
    return it == login_index_.end() ? nullptr : &participants_[it->second];
}

namespace {
constexpr long long roster_grace_seconds = 600;
}

roster_slot::roster_slot() : kept_(std::make_shared<kept>()) {
    kept_->rosters.emplace_back(std::make_unique<roster>(), 0);
    current_.store(kept_->rosters.back().first.get());
}

roster_slot::roster_slot(const roster_slot& other) : current_(other.current_.load()), kept_(other.kept_) {}

roster_slot& roster_slot::operator=(const roster_slot& other) {
    current_.store(other.current_.load());
    kept_ = other.kept_;
    return *this;
}

void roster_slot::publish(roster next, unix_seconds now) {
    std::lock_guard lock(kept_->mutex);
    auto& rosters = kept_->rosters;
    // Earlier rosters may still be read by requests in flight; free only long-replaced ones.
    std::erase_if(rosters, [&](const auto& entry) {
        return entry.first.get() != current_.load() && entry.second != 0 && now - entry.second > roster_grace_seconds;
    });
    for (auto& entry : rosters)
        if (entry.first.get() == current_.load()) entry.second = now;
    rosters.emplace_back(std::make_unique<roster>(std::move(next)), 0);
    current_.store(rosters.back().first.get(), std::memory_order_release);
}

void contest::build_indexes() { publish_roster(roster(teams, participants), 0); }

const team* contest::find_team(std::string_view team_id) const { return members().find_team(team_id); }

const participant* contest::find_participant(std::string_view participant_id) const {
    return members().find_participant(participant_id);
}

const participant* contest::find_by_login(std::string_view host, std::string_view login) const {
    return members().find_by_login(host, login);
}

std::optional<unix_seconds> contest::frozen_since(unix_seconds now) const {
    switch (freeze_.mode()) {
        case freeze_mode::unfrozen: return std::nullopt;
        case freeze_mode::frozen: return freeze_.since();
        case freeze_mode::by_schedule: break;
    }
    if (freeze_at && now >= *freeze_at) return freeze_at;
    return std::nullopt;
}

const model_rule* contest::find_model(std::string_view model_id) const {
    for (const auto& m : models)
        if (m.id == model_id) return &m;
    return nullptr;
}

const assignment_rule* hand_in_rules::find(std::string_view assignment_id) const {
    for (const auto& a : assignments)
        if (a.id == assignment_id) return &a;
    return nullptr;
}

const placing_rule* contest::placing_for(long long rank) const {
    for (const auto& p : placings)
        if (rank >= p.from && rank <= p.to) return &p;
    return nullptr;
}

const component_rule* contest::find_component(std::string_view component_id) const {
    for (const auto& rule : components)
        if (rule.id == component_id) return &rule;
    return nullptr;
}

bool contest::has_repo(std::string_view host, std::string_view full_name) const {
    auto key = std::string(host) + ":" + to_lower_ascii(full_name);
    return std::find(repos.begin(), repos.end(), key) != repos.end();
}

std::vector<std::string> contest::boards() const {
    std::vector<std::string> out{"participants", "teams"};
    for (auto kind : all_team_kinds) out.push_back(std::string("teams:") + to_string(kind));
    if (pull_requests.enabled) out.push_back("component:pull_requests");
    if (!models.empty()) out.push_back("component:reproductions");
    for (const auto& c : components) out.push_back("component:" + c.id);
    return out;
}

bool contest::has_board(std::string_view board) const {
    // Called for every contribution of every award: no allocation here.
    if (board == "participants" || board == "teams") return true;
    if (board.starts_with("teams:")) return parse_team_kind(board.substr(6)).has_value();
    if (!board.starts_with("component:")) return false;
    auto component = board.substr(10);
    if (component == "pull_requests") return pull_requests.enabled;
    if (component == "reproductions") return !models.empty();
    return find_component(component) != nullptr;
}

bool contest::is_team_board(std::string_view board) const { return board.starts_with("teams"); }

std::string contest::member_name(std::string_view board, std::string_view member, std::string_view lang) const {
    if (is_team_board(board)) {
        const team* t = find_team(member);
        if (!t) return std::string(member);
        return lang == "zh" ? t->name.zh : t->name.en;
    }
    const participant* p = find_participant(member);
    return p ? p->name : std::string(member);
}

webhook_settings::webhook_settings() {
    for (const auto& host : all_hosts()) {
        auto& h = hosts[std::string(host.id)];
        h.api.api_url = host.api_url;
        h.mode = host.auth_modes[0];
    }
}

const host_hook_settings& webhook_settings::of(std::string_view host) const {
    static const host_hook_settings none;
    auto it = hosts.find(host);
    return it == hosts.end() ? none : it->second;
}

const contest* config::find_contest(std::string_view contest_id) const {
    for (const auto& c : contests)
        if (c.id == contest_id) return &c;
    return nullptr;
}

std::vector<std::string> login_keys(const participant& p) {
    std::vector<std::string> out;
    for (const auto& host : all_hosts())
        if (const auto& login = login_on(p.logins, host.id); !login.empty()) out.push_back(login_key(host.id, login));
    return out;
}

const season* config::find_season(std::string_view season_id) const {
    for (const auto& s : seasons)
        if (s.id == season_id) return &s;
    return nullptr;
}

}  // namespace lb::engine
