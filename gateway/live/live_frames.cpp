#include "live/live_frames.hpp"

#include <regex>
#include <unordered_map>

#include "award.hpp"
#include "common/request_target.hpp"
#include "untrusted_json.hpp"
#include "clock.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

std::variant<subscription, std::string> checked(subscription sub) {
    static const std::regex id_pattern("[A-Za-z0-9_.:-]{0,64}");
    if (sub.contest.empty()) return std::string("contest: required");
    if (!std::regex_match(sub.board, id_pattern) || sub.board.empty()) return std::string("board: not a board name");
    if (!std::regex_match(sub.me, id_pattern)) return std::string("me: not an id");
    if (sub.limit < 1 || sub.limit > max_live_limit) return std::string("limit: expected 1 to 200");
    if (sub.events < 0 || sub.events > static_cast<int>(max_frame_events)) return std::string("events: expected 0 to 20");
    return sub;
}

// Cuts at a character boundary: titles are arbitrary UTF-8 from the hosts.
std::string clip_utf8(std::string text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text.resize(end);
    return text + "…";
}

json rows_json(const engine::contest& c, const std::string& board, const std::vector<engine::standings_row>& rows) {
    json out = json::array();
    for (const auto& row : rows) out.push_back(engine::standings_row_to_json(c, board, row));
    return out;
}

}  // namespace

std::variant<subscription, std::string> parse_subscription(const std::map<std::string, std::string>& query) {
    subscription sub;
    auto get = [&](const char* key, std::string fallback) {
        auto it = query.find(key);
        return it == query.end() ? fallback : it->second;
    };
    sub.contest = get("contest", "");
    sub.board = get("board", "participants");
    sub.me = get("me", "");
    auto limit = parse_bounded(get("limit", "25"), 1, max_live_limit);
    if (!limit) return std::string("limit: expected 1 to 200");
    sub.limit = static_cast<int>(*limit);
    auto events = parse_bounded(get("events", "20"), 0, static_cast<long long>(max_frame_events));
    if (!events) return std::string("events: expected 0 to 20");
    sub.events = static_cast<int>(*events);
    return checked(std::move(sub));
}

std::variant<subscription, std::string> parse_subscribe_message(const json& message) {
    if (!message.is_object()) return std::string("expected a JSON object");
    subscription sub;
    auto text = [&](const char* key, std::string& out) {
        if (!message.contains(key)) return true;
        auto value = engine::string_at(message, key);
        if (!value) return false;
        out = std::move(*value);
        return true;
    };
    if (!text("contest", sub.contest)) return std::string("contest: expected a string");
    if (!text("board", sub.board)) return std::string("board: expected a string");
    if (!text("me", sub.me)) return std::string("me: expected a string");
    if (!text("admin_token", sub.admin_token)) return std::string("admin_token: expected a string");
    if (message.contains("limit")) {
        auto limit = engine::integer_at(message, "limit");
        if (!limit || *limit < 1 || *limit > max_live_limit) return std::string("limit: expected 1 to 200");
        sub.limit = static_cast<int>(*limit);
    }
    if (message.contains("events")) {
        auto events = engine::integer_at(message, "events");
        if (!events || *events < 0 || *events > static_cast<long long>(max_frame_events)) return std::string("events: expected 0 to 20");
        sub.events = static_cast<int>(*events);
    }
    return checked(std::move(sub));
}

std::variant<client_message, std::string> parse_client_message(std::string_view text) {
    auto parsed = engine::parse_untrusted_json(text, 4);
    if (!parsed.ok()) return "(message): " + parsed.error;
    if (!parsed.value.is_object()) return std::string("(message): expected a JSON object");
    auto type = engine::string_at(parsed.value, "type");
    if (type == "resync") return client_message{client_message::kind::resync, {}};
    if (type != "subscribe") return std::string("type: expected \"subscribe\" or \"resync\"");
    auto sub = parse_subscribe_message(parsed.value);
    if (auto* error = std::get_if<std::string>(&sub)) return std::move(*error);
    return client_message{client_message::kind::subscribe, std::get<subscription>(std::move(sub))};
}

std::string validate_subscription(const engine::config& config, const subscription& sub) {
    const engine::contest* c = config.find_contest(sub.contest);
    if (!c) return "contest: unknown contest \"" + sub.contest + "\"";
    if (!c->has_board(sub.board)) return "board: contest \"" + sub.contest + "\" has no board \"" + sub.board + "\"";
    if (!sub.me.empty()) {
        bool known = c->is_team_board(sub.board) ? c->find_team(sub.me) != nullptr : c->find_participant(sub.me) != nullptr;
        if (!known) return "me: \"" + sub.me + "\" is not on this board's roster";
    }
    return "";
}

row_diff diff_rows(const std::vector<engine::standings_row>& before, const std::vector<engine::standings_row>& after) {
    row_diff diff;
    std::unordered_map<std::string, const engine::standings_row*> old_rows;
    for (const auto& row : before) old_rows.emplace(row.id, &row);
    for (const auto& row : after) {
        auto it = old_rows.find(row.id);
        if (it == old_rows.end() || it->second->rank != row.rank || it->second->points != row.points ||
            it->second->reached_at != row.reached_at)
            diff.changed.push_back(row);
        if (it != old_rows.end()) old_rows.erase(it);
    }
    for (const auto& row : before)
        if (old_rows.count(row.id)) diff.removed.push_back(row.id);
    return diff;
}

json screen_event(const engine::contest& c, const json& event) {
    // Compact on purpose: every viewer receives every event, so each byte here is paid thousands of times.
    using engine::string_at;
    static const json no_details = json::object();
    const json* found = engine::object_at(event, "details");
    const json& details = found ? *found : no_details;
    std::string kind = string_at(event, "kind").value_or("");
    auto number_or_zero = [](const json& object, const char* key) {
        const json* value = object.is_object() && object.contains(key) ? &object[key] : nullptr;
        return value && value->is_number() ? *value : json(0);
    };
    json out{{"id", string_at(event, "id").value_or("")},
             {"source", kind == "pull_request" ? string_at(details, "host").value_or("") : kind},
             {"repo", string_at(details, "repo").value_or("")},
             {"number", engine::integer_at(details, "number").value_or(0)},
             {"url", string_at(details, "url").value_or(string_at(details, "evidence_url").value_or(""))},
             {"title", clip_utf8(string_at(details, "title").value_or(string_at(event, "reason").value_or("")), max_title_bytes)},
             {"participant", nullptr},
             {"points", number_or_zero(event, "points")},
             {"delta", number_or_zero(event, "delta")},
             {"team", nullptr}};
    if (auto login = string_at(event, "unattributed_login")) out["unattributed_login"] = *login;
    if (auto model = string_at(details, "model")) out["model"] = *model;
    if (kind == "component" || kind == "homework" || kind == "vote")
        if (auto component = string_at(event, "component")) out["component"] = *component;
    if (auto pid = string_at(event, "participant")) {
        out["participant"] = *pid;
        if (const auto* p = c.find_participant(*pid)) {
            out["participant_name"] = p->name;
            if (!p->teams.empty())
                if (const auto* t = c.find_team(p->teams.front()))
                    out["team"] = {{"id", t->id}, {"name", t->name.en}, {"name_zh", t->name.zh}};
        }
    }
    return out;
}

json contest_times(const engine::contest& c) {
    json j{{"id", c.id}, {"title", {{"en", c.title.en}, {"zh", c.title.zh}}},
           {"starts_at", engine::format_rfc3339(c.starts_at)}, {"ends_at", engine::format_rfc3339(c.ends_at)}};
    j["freeze_at"] = c.freeze_at ? json(engine::format_rfc3339(*c.freeze_at)) : json(nullptr);
    return j;
}

std::string snapshot_frame(const engine::contest& c, const std::string& board, long long seq, const engine::standings_page& page,
                           const json& events, const std::optional<json>& me) {
    json frame{{"type", "snapshot"}, {"seq", seq}, {"contest", contest_times(c)}, {"board", board},
               {"frozen", page.frozen}, {"total", page.total}, {"rows", rows_json(c, board, page.rows)},
               {"events", events}, {"server_time", engine::format_rfc3339(engine::now_seconds())}};
    frame["me"] = me ? *me : json(nullptr);
    return engine::to_text(frame);
}

std::string update_frame(const engine::contest& c, const std::string& board, long long seq, const row_diff& diff,
                         long long total, bool frozen, const json& all_events, bool reveal, std::size_t max_events) {
    json events = all_events;
    if (events.size() > max_events) events.erase(events.begin(), events.end() - static_cast<long>(max_events));
    json frame{{"type", "update"}, {"seq", seq}, {"board", board}, {"frozen", frozen}, {"total", total},
               {"rows", rows_json(c, board, diff.changed)}, {"removed", diff.removed}, {"events", events}};
    if (reveal) frame["reveal"] = true;
    return engine::to_text(frame);
}

std::string me_frame(const json& row) { return engine::to_text({{"type", "me"}, {"row", row}}); }

}  // namespace lb::gateway
