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
    static const char* known[] = {"name", "github", "gitee", "city", "school", "company"};
    for (const auto& [key, value] : body.items())
        if (std::find(std::begin(known), std::end(known), key) == std::end(known)) {
            // A member with an empty name (which JSON allows) is named by its place, not by nothing.
            std::string field = key.empty() ? "(body)" : key;
            return sign_up_error{field, field + ": " + (key.empty() ? "a member with an empty name" : "not a field") +
                                            " is not part of a sign-up (name, github, gitee, city, school, company)"};
        }
    sign_up out;
    sign_up_error error;
    auto take = [&](std::string& into, const char* key, std::size_t limit, bool required) {
        if (!error.field.empty()) return;
        if (auto value = text_field(body, key, limit, required, error)) into = *value;
    };
    take(out.name, "name", 64, true);
    take(out.github, "github", 39, false);
    take(out.gitee, "gitee", 40, false);
    take(out.city, "city", 64, false);
    take(out.school, "school", 64, false);
    take(out.company, "company", 64, false);
    if (!error.field.empty()) return error;
    // GitHub: letters, digits and single hyphens inside; Gitee: letters, digits, '_', '-', '.'.
    static const std::regex github(R"([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})");
    static const std::regex gitee(R"([A-Za-z0-9][A-Za-z0-9_.-]{1,39})");
    if (!out.github.empty() && !std::regex_match(out.github, github))
        return sign_up_error{"github", "github: not a GitHub login (letters, digits and single hyphens, at most 39)"};
    if (!out.gitee.empty() && !std::regex_match(out.gitee, gitee))
        return sign_up_error{"gitee", "gitee: not a Gitee login (letters, digits, '_', '-' and '.', 2 to 40)"};
    if (out.github.empty() && out.gitee.empty())
        return sign_up_error{"github", "github: give a GitHub or a Gitee login (or both), so merges can be counted"};
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
    return {{"name", s.name}, {"github", s.github}, {"gitee", s.gitee}, {"city", s.city}, {"school", s.school}, {"company", s.company}};
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

std::string login_key(std::string_view host, std::string_view login) {
    std::string key(host);
    key += ':';
    for (char c : login) key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return key;
}

}  // namespace lb::engine
