#include "recording.hpp"

#include "rfc3339.hpp"
#include "untrusted_json.hpp"

namespace lb::engine {

using nlohmann::json;

std::string recording_header(std::string_view contest, std::optional<unix_seconds> starts_at, std::size_t awards) {
    json header{{"recording", 1}, {"contest", contest}, {"awards", awards}};
    if (starts_at) header["starts_at"] = format_rfc3339(*starts_at);
    return header.dump();
}

std::string recording_line(long long t_ms, std::string_view award_record) {
    return "{\"t\":" + std::to_string(t_ms) + ",\"award\":" + std::string(award_record) + "}";
}

std::variant<recording, std::string> read_recording(std::string_view text) {
    recording out;
    std::size_t line_number = 0, at = 0;
    bool header_seen = false;
    long long last_t = 0;
    while (at < text.size()) {
        auto end = text.find('\n', at);
        auto line = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
        at = end == std::string_view::npos ? text.size() : end + 1;
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        auto where = "line " + std::to_string(line_number) + ": ";
        auto parsed = parse_untrusted_json(line);
        if (!parsed.ok()) return where + parsed.error;
        if (!parsed.value.is_object()) return where + "expected a JSON object";
        if (!header_seen) {
            if (integer_at(parsed.value, "recording") != 1) return where + "recording: expected the header {\"recording\": 1, ...}";
            auto contest = string_at(parsed.value, "contest");
            if (!contest) return where + "contest: expected a string";
            out.contest = *contest;
            if (parsed.value.contains("starts_at")) {
                auto starts = string_at(parsed.value, "starts_at");
                if (!starts || !(out.starts_at = parse_rfc3339(*starts))) return where + "starts_at: expected an RFC 3339 time";
            }
            header_seen = true;
            continue;
        }
        auto t = integer_at(parsed.value, "t");
        if (!t || *t < 0) return where + "t: expected Unix milliseconds";
        if (*t < last_t) return where + "t: earlier than the line before (a recording is in the order it was applied)";
        last_t = *t;
        const json* record = object_at(parsed.value, "award");
        auto a = record ? award::from_json(*record) : std::nullopt;
        if (!a) return where + "award: expected an award record";
        out.awards.push_back({*t, std::move(*a)});
    }
    if (!header_seen) return std::string("line 1: expected the header {\"recording\": 1, ...}");
    return out;
}

award shift_award(award a, long long seconds) {
    a.at += seconds;
    return a;
}

}  // namespace lb::engine
