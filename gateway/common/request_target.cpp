#include "common/request_target.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "form_body.hpp"
#include "utf8.hpp"

namespace lb::gateway {

using webhooks::percent_decode;

namespace {

// Decoded text that may go on: UTF-8 without control characters. "" when fine, else why not.
std::string check_text(const std::optional<std::string>& decoded) {
    if (!decoded) return "a bad %-escape";
    if (!engine::valid_utf8(*decoded)) return "not UTF-8 once decoded";
    if (engine::has_control_characters(*decoded)) return "control characters are not allowed";
    return "";
}

std::optional<request_target> refuse(std::string* error, std::string reason) {
    if (error) *error = std::move(reason);
    return std::nullopt;
}

}  // namespace

std::optional<request_target> parse_target(std::string_view target, std::string* error) {
    if (target.empty() || target[0] != '/') return refuse(error, "path: expected an absolute path");
    request_target out;
    auto question = target.find('?');
    std::string_view path = target.substr(0, question);
    std::size_t start = 1;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        auto piece = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (!piece.empty()) {
            auto decoded = percent_decode(piece, false);
            if (auto why = check_text(decoded); !why.empty()) return refuse(error, "path: " + why);
            out.segments.push_back(std::move(*decoded));
        }
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    if (question == std::string_view::npos) return out;
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        auto equals = pair.find('=');
        auto key = percent_decode(pair.substr(0, equals), true);
        if (auto why = check_text(key); !why.empty()) return refuse(error, "query: a key is " + why);
        auto value = percent_decode(equals == std::string_view::npos ? "" : pair.substr(equals + 1), true);
        if (auto why = check_text(value); !why.empty()) return refuse(error, "query." + *key + ": " + why);
        if (!key->empty() && !out.query.emplace(*key, *value).second) return refuse(error, "query." + *key + ": given twice");
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out;
}

std::optional<long long> parse_bounded(const std::string& text, long long low, long long high) {
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < low || value > high)
        return std::nullopt;
    return value;
}

}  // namespace lb::gateway

namespace lb::gateway {

std::optional<std::vector<std::string>> parse_id_list(std::string_view text, std::size_t max_ids) {
    auto plain = [](std::string_view id) {
        if (id.empty() || id.size() > 64 || !std::isalnum(static_cast<unsigned char>(id[0]))) return false;
        for (char ch : id)
            if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '.' && ch != '-') return false;
        return true;
    };
    std::vector<std::string> ids;
    for (std::size_t start = 0;;) {
        auto comma = text.find(',', start);
        auto id = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (!plain(id)) return std::nullopt;
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
            if (ids.size() == max_ids) return std::nullopt;
            ids.emplace_back(id);
        }
        if (comma == std::string_view::npos) return ids;
        start = comma + 1;
    }
}

}  // namespace lb::gateway
