#include "community.hpp"

#include <algorithm>
#include <regex>

#include "rfc3339.hpp"
#include "untrusted_json.hpp"
#include "utf8.hpp"

namespace lb::engine {
namespace {

std::size_t code_points(std::string_view text) {
    std::size_t n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80;
    return n;
}

// Text a person types: valid UTF-8, no control characters, not blank, at most `limit` characters.
std::optional<std::string> text_field(const nlohmann::json& body, const char* key, std::size_t limit, bool required,
                                      sign_up_error& error) {
    if (!body.contains(key) || body[key].is_null()) {
        if (required) error = {key, std::string(key) + ": required"};
        return std::string();
    }
    auto value = string_at(body, key);
    if (!value) return error = {key, std::string(key) + ": expected a string"}, std::nullopt;
    if (!valid_utf8(*value) || has_control_characters(*value))
        return error = {key, std::string(key) + ": expected text without control characters"}, std::nullopt;
    if (value->find_first_not_of(' ') == std::string::npos && (required || !value->empty()))
        return error = {key, std::string(key) + ": must not be blank"}, std::nullopt;
    if (code_points(*value) > limit)
        return error = {key, std::string(key) + ": at most " + std::to_string(limit) + " characters"}, std::nullopt;
    return value;
}

}  // namespace

std::variant<sign_up, sign_up_error> read_sign_up(const nlohmann::json& body) {
    if (!body.is_object()) return sign_up_error{"(body)", "expected a JSON object"};
    static const char* known[] = {"name", "city", "school", "company"};
    for (const auto& [key, value] : body.items())
        if (std::find(std::begin(known), std::end(known), key) == std::end(known) && !find_host(key)) {
            // A member with an empty name (which JSON allows) is named by its place, not by nothing.
            std::string field = key.empty() ? "(body)" : key;
            return sign_up_error{field, field + ": " + (key.empty() ? "a member with an empty name" : "not a field") +
                                            " is not part of a sign-up (name, " + host_list("and") + " logins, city, school, company)"};
        }
    sign_up out;
    sign_up_error error;
    auto take = [&](std::string& into, const char* key, std::size_t limit, bool required) {
        if (!error.field.empty()) return;
        if (auto value = text_field(body, key, limit, required, error)) into = *value;
    };
    take(out.name, "name", 64, true);
    for (const auto& host : all_hosts()) {
        std::string login;
        take(login, std::string(host.id).c_str(), host.login_max, false);
        if (!error.field.empty()) return error;
        if (login.empty()) continue;
        if (!valid_login(host, login))
            return sign_up_error{std::string(host.id), std::string(host.id) + ": not a " + std::string(host.display_name) + " login (" +
                                                           std::string(host.login_rule) + ")"};
        out.logins.emplace(host.id, std::move(login));
    }
    take(out.city, "city", 64, false);
    take(out.school, "school", 64, false);
    take(out.company, "company", 64, false);
    if (!error.field.empty()) return error;
    if (out.logins.empty())
        return sign_up_error{"github", "github: give a login on at least one code host (" + host_list() + "), so merges can be counted"};
    return out;
}

std::variant<chapter_move, sign_up_error> read_chapter_move(const nlohmann::json& body) {
    if (!body.is_object()) return sign_up_error{"(body)", "expected a JSON object"};
    static const char* known[] = {"kind", "chapter", "since", "reason"};
    for (const auto& [key, value] : body.items())
        if (std::find(std::begin(known), std::end(known), key) == std::end(known)) {
            std::string field = key.empty() ? "(body)" : key;
            return sign_up_error{field, field + ": not part of a move (kind, chapter, since, reason)"};
        }
    chapter_move out;
    sign_up_error error;
    // text_field answers "" for a missing field and names it in error.
    auto kind = text_field(body, "kind", 16, true, error);
    if (!kind || !error.field.empty()) return error;
    if (*kind != "city" && *kind != "school" && *kind != "company")
        return sign_up_error{"kind", "kind: expected city, school or company"};
    out.kind = *kind;
    auto chapter = text_field(body, "chapter", 64, true, error);
    if (!chapter || !error.field.empty()) return error;
    out.chapter = *chapter;
    auto reason = text_field(body, "reason", 200, false, error);
    if (!reason || !error.field.empty()) return error;
    out.reason = *reason;
    if (body.contains("since") && !body["since"].is_null()) {
        auto text = string_at(body, "since");
        auto at = text ? parse_rfc3339(*text) : std::nullopt;
        if (!at) return sign_up_error{"since", "since: expected an RFC 3339 time with offset, like 2026-12-01T00:00:00+08:00"};
        out.since = *at;
    }
    return out;
}

nlohmann::json sign_up_json(const sign_up& s) {
    // The login keys go along, so the decision (a script that has no host table) frees or claims
    // exactly what the sign-up held.
    nlohmann::json out{{"name", s.name}, {"login_keys", nlohmann::json::array()}};
    for (const auto& host : all_hosts())
        if (const auto& login = login_on(s.logins, host.id); !login.empty()) {
            out[std::string(host.id)] = login;
            out["login_keys"].push_back(login_key(host.id, login));
        }
    out["city"] = s.city;
    out["school"] = s.school;
    out["company"] = s.company;
    return out;
}

host_logins logins_in(const nlohmann::json& record) {
    host_logins out;
    if (!record.is_object()) return out;
    for (const auto& host : all_hosts())
        if (auto it = record.find(host.id); it != record.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
            out.emplace(host.id, it->get<std::string>());
    return out;
}

std::string format_community_id(const community_settings& settings, long long number) {
    auto digits = std::to_string(number);
    if (static_cast<int>(digits.size()) < settings.id_width) digits.insert(0, settings.id_width - digits.size(), '0');
    return settings.id_prefix + digits;
}

bool looks_like_community_id(const community_settings& settings, std::string_view text) {
    if (!text.starts_with(settings.id_prefix)) return false;
    auto digits = text.substr(settings.id_prefix.size());
    return !digits.empty() && digits.size() <= 18 && digits.find_first_not_of("0123456789") == std::string_view::npos;
}


}  // namespace lb::engine
